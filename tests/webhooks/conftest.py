"""A real HTTP receiver on 127.0.0.1 that records what govtrack sends it, and an endpoint pointing at it."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from govtrack import events
from webhooks.models import Endpoint


@dataclass
class Receiver:
    url: str
    #: The HTTP status the next requests get (one per request; the last one repeats).
    answers: list[int] = field(default_factory=lambda: [200])
    received: list[tuple[dict, bytes]] = field(default_factory=list)
    extra_headers: dict = field(default_factory=dict)


@pytest.fixture
def receiver():
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            code = state.answers.pop(0) if len(state.answers) > 1 else state.answers[0]
            self.send_response(code)
            for name, value in state.extra_headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_port}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def local_receivers(settings):
    """Deliveries may go to 127.0.0.1 over plain HTTP, as on a developer's machine."""
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True


@pytest.fixture
def endpoint(org_a, admin_a, receiver, local_receivers):
    return Endpoint.objects.create(organisation=org_a, name="Service desk", url=receiver.url, created_by=admin_a,
                                   events=[events.ESCALATION_PROPOSED, events.BREACH_RECORDED])
