"""With no database to reach: the health check says 503 at once, to a probe with a session cookie too, and a
page's connection waits ``DATABASE_CONNECT_WAIT`` seconds before giving up.

Each check runs the app in a process of its own, configured for production, whose ``DATABASE_URL`` names a
port where no server listens: a real connection refused, no database of the test run touched.
"""

import json
import os
import socket
import subprocess
import sys

from tests.operations.conftest import ROOT

PROBE = """
import json, time
import django
django.setup()
from django.db import OperationalError, connection
from django.test import Client

result = {}
client = Client(raise_request_exception=False)
started = time.monotonic()
result["health"] = client.get("/health/").status_code
client.cookies["sessionid"] = "k7x2m9q4w8e1r5t3y6u0i2o4p7a9s1d3"  # a browser's session cookie
result["health_with_session"] = client.get("/health/").status_code
result["health_seconds"] = time.monotonic() - started
started = time.monotonic()
try:
    connection.ensure_connection()
except OperationalError:
    result["page_gave_up_after"] = time.monotonic() - started
print(json.dumps(result))
"""


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


def run_without_database(**environment):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"postgres://perisai@127.0.0.1:{closed_port()}/perisai",
        "DEBUG": "false",
        "SECRET_KEY": "unavailable-test-" + "x" * 40,
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "PYTHONPATH": str(ROOT),
        **environment,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_health_check_says_503_at_once_with_or_without_a_session_cookie():
    result = run_without_database(DATABASE_CONNECT_WAIT="10")
    assert result["health"] == 503
    assert result["health_with_session"] == 503
    assert result["health_seconds"] < 3  # it did not wait the 10 seconds a page waits


def test_a_page_waits_for_the_database_as_long_as_told_then_gives_up():
    result = run_without_database(DATABASE_CONNECT_WAIT="2")
    assert 1.5 <= result["page_gave_up_after"] < 5
    assert run_without_database(DATABASE_CONNECT_WAIT="0")["page_gave_up_after"] < 1
