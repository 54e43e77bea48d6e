"""A server process starts ready to serve: the URL configuration and every view already imported, and all of
it out of the garbage collector's reach, so no request pays for a full collection walking the whole app
(``config.serving``)."""

import os
import subprocess
import sys

from tests.deploy.servers import ROOT, SHARED

STARTED = """
import gc, sys
import config.wsgi
print(gc.get_freeze_count(), len(gc.get_objects()), "web.network.agents" in sys.modules)
"""


def test_the_wsgi_module_loads_the_views_and_freezes_what_it_loaded():
    env = {**os.environ, **SHARED}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTEST_XDIST_WORKER"):
        env.pop(name, None)
    started = subprocess.run(
        [sys.executable, "-c", STARTED], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120
    )
    frozen, tracked, views_loaded = started.stdout.split()

    assert views_loaded == "True"  # imported at start-up, not by the first request
    assert int(frozen) > 50_000  # Django, the views and their libraries
    assert int(tracked) < int(frozen) // 20  # what a full collection still walks
