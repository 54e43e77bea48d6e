"""PostgreSQL restarts while gunicorn serves: the app reconnects by itself, no stream of errors.

The app keeps connections open (CONN_MAX_AGE) with CONN_HEALTH_CHECKS, so after a restart each
worker notices its dead connection at the start of the next request and opens a new one.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connections

from tests.operations.conftest import ROOT, manage, require

# It restarts the one PostgreSQL server every other test uses: `make test` runs it alone, after the rest.
pytestmark = [pytest.mark.postgres, pytest.mark.alone]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def status_of(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def wait_until(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def restart_postgres():
    cluster = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"], check=True)
    ready = ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"]
    assert wait_until(lambda: subprocess.run(ready).returncode == 0, 60), "PostgreSQL did not come back"


@pytest.fixture
def gunicorn(scratch_database, tmp_path):
    """The app under gunicorn (2 workers), production settings, on a scratch database."""
    require(shutil.which("pg_ctlcluster") and Path("/etc/postgresql").is_dir(), "pg_ctlcluster is not available")
    require(os.geteuid() == 0, "restarting PostgreSQL needs root")
    _, database_url = scratch_database("restart")
    manage(database_url, "migrate", "--noinput")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "restart-test-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "CONN_MAX_AGE": "600",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set while browser tests run; production never has it
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/health/"
    try:
        assert wait_until(lambda: status_of(url) == 200, 60), "gunicorn did not start"
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_app_recovers_after_postgres_restart_without_errors(gunicorn):
    before = [status_of(gunicorn) for _ in range(20)]
    assert before == [200] * 20
    try:
        restart_postgres()
        after = [status_of(gunicorn) for _ in range(40)]
    finally:
        connections.close_all()
    assert after == [200] * 40
