"""Page cache tests: the cache on, two practices, and a local CDN purge peer."""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.factories import PracticeFactory

ALPHA = "alpha.example.test"
BRAVO = "bravo.example.test"
PURGE_TOKEN = "purge-secret-for-tests"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The Celery worker (a session fixture, started after collection) inherits this
# environment, so its settings point the purge client at the peer below. One port per
# xdist worker: when only tests/page_cache is run, pytest's controller imports this
# conftest too and its environment would hand every worker the same port.
_PORT_VARIABLE = f"PAGE_CACHE_TEST_PURGE_PORT_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
PURGE_PORT = int(os.environ.setdefault(_PORT_VARIABLE, str(_free_port())))
PURGE_URL = f"http://127.0.0.1:{PURGE_PORT}/purge"
os.environ["CDN_PURGE_URL"] = PURGE_URL
os.environ.setdefault("CDN_PURGE_TOKEN", PURGE_TOKEN)


@pytest.fixture(autouse=True)
def _page_cache_on(settings) -> None:
    settings.PAGE_CACHE_ENABLED = True
    settings.DEMO_REQUEST_MIN_FILL_SECONDS = 0


@pytest.fixture
def alpha(db):
    return PracticeFactory(name="Alpha Family Care", slug="alpha", hostname=ALPHA)


@pytest.fixture
def bravo(db):
    return PracticeFactory(name="Bravo Dermatology", slug="bravo", hostname=BRAVO)


class PurgePeer:
    """A stand-in CDN purge API on 127.0.0.1: records every request it gets."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.fail_next = 0
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if peer.fail_next:
                    peer.fail_next -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                peer.requests.append(
                    {
                        "path": self.path,
                        "authorization": self.headers.get("Authorization"),
                        "surrogate_key": self.headers.get("Surrogate-Key"),
                        "json": json.loads(body),
                    }
                )
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", PURGE_PORT), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def purge_peer_server() -> Iterator[PurgePeer]:
    peer = PurgePeer()
    yield peer
    peer.close()


@pytest.fixture
def purge_peer(purge_peer_server, settings) -> PurgePeer:
    settings.CDN_PURGE_URL = PURGE_URL
    settings.CDN_PURGE_TOKEN = PURGE_TOKEN
    purge_peer_server.requests.clear()
    purge_peer_server.fail_next = 0
    return purge_peer_server


def get(client, path: str, host: str = ALPHA, **extra):
    return client.get(path, HTTP_HOST=host, **extra)
