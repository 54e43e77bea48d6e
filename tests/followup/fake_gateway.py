"""A real HTTP server on 127.0.0.1 and a free port, in a thread, standing in for an SMS/WhatsApp gateway.

It records every request (path, headers, JSON body) and answers as the test tells it: a status, a delay,
a redirect. ``with fake_gateway() as gateway: ... gateway.url ... gateway.requests``.
"""

import json
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict
    body: dict


@dataclass
class FakeGateway:
    url: str = ""
    status: int = 200
    delay: float = 0.0
    location: str = ""
    answers: list = field(default_factory=list)
    """Statuses to answer with, one per request, before falling back to ``status``."""
    requests: list = field(default_factory=list)


def _handler(gateway):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            headers = {key.lower(): value for key, value in self.headers.items()}
            gateway.requests.append(Received(self.path, headers, json.loads(raw or "{}")))
            if gateway.delay:
                time.sleep(gateway.delay)
            status = gateway.answers.pop(0) if gateway.answers else gateway.status
            self.send_response(status)
            if gateway.location:
                self.send_header("Location", gateway.location)
            payload = json.dumps({"id": len(gateway.requests)}).encode()
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            try:
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                pass

        do_GET = do_POST  # noqa: N815 (a followed redirect would arrive as GET)

        def log_message(self, *args):
            pass

    return Handler


@contextmanager
def fake_gateway(**answers):
    gateway = FakeGateway(**answers)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(gateway))
    server.daemon_threads = True
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/send"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
