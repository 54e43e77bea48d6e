"""App servers and a visitor for the deployment tests: gunicorn processes on ports of their own, and one
browser whose cookies belong to the host, not the port (as a browser's do), so it can be served by
either server in turn.

The servers run the app from this tree against the PostgreSQL test database pytest-django made (the
test writes its rows with ``transactional_db``, so they are committed and every server sees them), with
DEBUG on only so the pages need no collected static files; the secret key is one both servers share,
as every app server of an installation must.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from html import unescape
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from django.contrib.auth.hashers import PBKDF2PasswordHasher

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "perisai-deploy-2022"
SHARED = {
    "DEBUG": "true",
    "SECRET_KEY": "two-app-servers-" + "s" * 40,
    "ALLOWED_HOSTS": "127.0.0.1",
    "PERISAI_REQUIRE_TWO_FACTOR": "false",
    "LOG_LEVEL": "WARNING",
    "GUNICORN_WORKERS": "1",
}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def usable_password(user):
    """Give ``user`` a password the servers can check: the suite hashes with MD5 for speed, which the
    app's own settings do not accept; PBKDF2 with few iterations is accepted (and upgraded at sign-in)."""
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])
    return user


def database_url(settings_dict, port=None):
    """The URL of the database ``settings_dict`` describes (the test database), on ``port`` if given."""
    user = settings_dict.get("USER") or "postgres"
    host = settings_dict.get("HOST") or "127.0.0.1"
    return f"postgres://{user}@{host}:{port or settings_dict.get('PORT') or 5432}/{settings_dict['NAME']}"


class Gunicorn:
    """``gunicorn config.wsgi`` as the README deploys it, one worker, on a free port of 127.0.0.1."""

    def __init__(self, log_directory, **environment):
        self.port = free_port()
        env = {**os.environ, **SHARED, **environment, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        for name in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_XDIST_WORKER"):
            env.pop(name, None)
        self.log_path = Path(log_directory) / f"gunicorn-{self.port}.log"
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", "/health/")
                if connection.getresponse().status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn on {self.port} did not start:\n{self.log_path.read_text()[-3000:]}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def start_servers(count, log_directory, **environment):
    """``count`` servers started together (they boot in parallel), each answering its health check."""
    servers = [Gunicorn(log_directory, **environment) for _ in range(count)]
    try:
        return [server.wait_ready() for server in servers]
    except BaseException:
        for server in servers:
            server.stop()
        raise


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    @property
    def location(self):
        return self.headers.get("Location", "")

    def form_token(self):
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.text)
        assert found, f"no CSRF token on the page (status {self.status})"
        return found.group(1)

    def messages(self):
        """The texts of the page's messages (the alerts the base template draws)."""
        return [
            unescape(re.sub(r"<[^>]+>|\s+", " ", html)).strip()
            for html in re.findall(r'<div class="alert[^"]*" role="alert">(.*?)</div>', self.text, re.S)
        ]


class Browser:
    """One visitor: a cookie jar kept by host (cookies ignore the port), English pages, plain HTTP."""

    def __init__(self):
        self.cookies = {}

    def request(self, port, method, path, *, body=None, content_type=None):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {"Accept-Language": "en", "Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            result = Response(response.status, response.headers, response.read())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self._keep(header)
        return result

    def _keep(self, header):
        pair, *attributes = [part.strip() for part in header.split(";")]
        name, _, value = pair.partition("=")
        expired = any(
            attribute.lower() == "max-age=0" or attribute.lower().startswith("expires=thu, 01 jan 1970")
            for attribute in attributes
        )
        if expired:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def get(self, port, path):
        return self.request(port, "GET", path)

    def post(self, port, path, data, *, files=None):
        if files:
            body, content_type = multipart(data, files)
        else:
            body, content_type = urlencode(data).encode(), "application/x-www-form-urlencoded"
        return self.request(port, "POST", path, body=body, content_type=content_type)

    def sign_in(self, port, username):
        page = self.get(port, "/accounts/login/")
        response = self.post(
            port,
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": page.form_token()},
        )
        assert response.status == 302, f"sign-in answered {response.status}: {response.messages()}"
        return response


def path_of(location):
    """The path (and query) a redirect points to, whichever server it came from."""
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def multipart(data, files):
    boundary = uuid.uuid4().hex
    chunks = []
    for name, value in data.items():
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"
