"""PostgreSQL restarts while gunicorn serves signed-in users: no request fails, they only wait.

The app keeps connections open (CONN_MAX_AGE) with CONN_HEALTH_CHECKS, so after a restart each worker
notices its dead connection at the start of the next request and opens a new one; opening one waits
out the seconds the server is down (``perisai.postgresql``), and a safe request whose query the
shutdown cut is run once more (``web.middleware.DatabaseRetryMiddleware``).

The server restarted here is a private one this test creates (``initdb`` in a scratch directory, its own
port), so the PostgreSQL every other test uses is never touched; ``alone`` keeps it out of the parallel
run all the same, because it loads both cores for half a minute and measures time.
"""

import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from tests.operations.conftest import ROOT, manage, require

pytestmark = [pytest.mark.alone]

CLIENTS = 4  # threads asking at once, for 2 workers: requests queue as they would under load
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "restart-test-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "CONN_MAX_AGE": "600",
    "PERISAI_REQUIRE_TWO_FACTOR": "false",  # the load is a signed-in page, not the second factor
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


class PrivatePostgres:
    """A PostgreSQL server of our own in a scratch directory, on its own port, trusting local users."""

    def __init__(self):
        # Debian keeps the server's own tools under /usr/lib/postgresql/<version>/bin, off the PATH.
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
        pg_ctl = str(found[-1]) if found else shutil.which("pg_ctl")
        require(pg_ctl, "pg_ctl is not installed")
        self.bin = Path(pg_ctl).parent
        # PostgreSQL refuses to run as root: then the server runs as the postgres user.
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.directory = Path(tempfile.mkdtemp(prefix="perisai-restart-"))
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
        self.data = self.directory / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/perisai"

    def run(self, tool, *args):
        subprocess.run([*self.as_owner, str(self.bin / tool), *args], check=True, capture_output=True, timeout=120)

    def pg_ctl(self, *args):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.directory / "server.log"), "-o", options, "-w", *args)

    def start(self):
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        self.pg_ctl("start")
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "perisai")

    def restart(self, down_for):
        """Stopped as ``pg_ctlcluster restart`` and systemd stop it (``-m fast``: every session is ended,
        queries in flight included), kept down ``down_for`` seconds (a restart on a busy server takes a
        few; this private one would be back in a fraction of a second), started again. How long it was
        away, in seconds."""
        started = time.monotonic()
        self.pg_ctl("stop", "-m", "fast")
        time.sleep(down_for)
        self.pg_ctl("start")
        return time.monotonic() - started

    def stop(self):
        self.pg_ctl("stop", "-m", "fast")

    def remove(self):
        subprocess.run([*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.data), "stop", "-m", "immediate"],
                       capture_output=True)  # fmt: skip
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres():
    """One private server for this module's tests (migrating a database takes a while); the last test
    stops it."""
    server = PrivatePostgres()
    try:
        server.start()
        yield server
    finally:
        server.remove()


class Browser:
    """One signed-in visitor over plain HTTP, cookies kept by hand (production marks them Secure)."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {**(headers or {}), "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except OSError:
            return None, b""
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content

    def sign_in(self, database_url, username):
        """A session for ``username`` made as the sign-in page makes one (``login()``), by the app itself:
        the page's own form would need the static files' manifest, which a test does not build."""
        code = (
            "from django.test import Client; from agents.models import User; c = Client(); "
            f"c.force_login(User.objects.get(username={username!r})); print(c.cookies['sessionid'].value)"
        )
        output = manage(database_url, "shell", "--no-imports", "-c", code, **PRODUCTION)
        self.cookies["sessionid"] = output.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def gunicorn(postgres, tmp_path_factory):
    """The app under gunicorn (2 workers), production settings, on the private server's database."""
    manage(postgres.url, "migrate", "--noinput")
    manage(postgres.url, "createsuperuser", "--noinput", "--username", "ops", "--email", "",
           DJANGO_SUPERUSER_PASSWORD="restart-password-2022")  # fmt: skip
    port = free_port()
    env = {**os.environ, **PRODUCTION, "DATABASE_URL": postgres.url}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set while browser tests run; production never has it
    log = (tmp_path_factory.mktemp("gunicorn") / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        assert wait_until(lambda: Browser(port).request("GET", "/health/")[0] == 200, 60), "gunicorn did not start"
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def load(port, database_url, seconds_before, during, seconds_after):
    """``CLIENTS`` signed-in users asking for a report over and over while ``during()`` runs; every status."""
    statuses = []
    stop = threading.Event()
    browsers = [Browser(port) for _ in range(CLIENTS)]
    for browser in browsers:
        browser.sign_in(database_url, "ops")

    def ask(browser):
        while not stop.is_set():
            statuses.append(browser.request("GET", "/reports/monthly.csv?year=2022&through=6")[0])

    threads = [threading.Thread(target=ask, args=(browser,)) for browser in browsers]
    for thread in threads:
        thread.start()
    try:
        time.sleep(seconds_before)
        result = during()
        time.sleep(seconds_after)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=90)
    return statuses, result


def test_a_restart_under_load_fails_no_request(postgres, gunicorn):
    statuses, took = load(gunicorn, postgres.url, 2, lambda: postgres.restart(down_for=2.5), 3)
    failed = [status for status in statuses if status != 200]
    assert len(statuses) > 50, "too little load to prove anything"
    assert failed == [], f"{len(failed)} of {len(statuses)} requests failed during a {took:.1f} s restart"


def test_while_the_database_is_down_the_health_check_says_503_at_once_even_to_a_session(postgres, gunicorn):
    browser = Browser(gunicorn)
    browser.sign_in(postgres.url, "ops")
    postgres.stop()
    started = time.monotonic()
    assert browser.request("GET", "/health/")[0] == 503
    assert Browser(gunicorn).request("GET", "/health/")[0] == 503
    assert time.monotonic() - started < 5, "the health check waited for the database instead of answering"
