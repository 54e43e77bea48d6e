"""The production settings with one change for the benchmarks: static files collected into a temporary
folder (``BENCH_STATIC_ROOT``), so a benchmark run never writes into the work tree."""

import os
from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import STATIC_ROOT

STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", STATIC_ROOT))
