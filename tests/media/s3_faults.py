"""A fault-injecting HTTP proxy in front of the moto server: S3 "briefly unreachable"
for real, seen by a real worker process through its real boto3 client.

`proxy.fail_next(n)` makes the next n matching requests answer 503 SlowDown (what S3
says when throttling); `proxy.down = True` drops connections (EndpointConnectionError /
ConnectionClosedError in boto3). Everything else is forwarded to moto unchanged, and
every request is logged (method, path, status) for assertions.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

SLOW_DOWN = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>'
    b"<Message>Please reduce your request rate.</Message></Error>"
)
WRITE_METHODS = frozenset({"PUT", "POST", "DELETE"})


@dataclass
class FaultState:
    failures_left: int = 0
    methods: frozenset[str] = WRITE_METHODS
    down: bool = False
    log: list[tuple[str, str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take_failure(self, method: str) -> bool:
        with self.lock:
            if self.failures_left > 0 and method in self.methods:
                self.failures_left -= 1
                return True
            return False


class FaultProxy:
    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream_host, self.upstream_port = parts.hostname, parts.port or 80
        self.state = FaultState()
        handler = _handler(self)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def fail_next(self, count: int, methods: frozenset[str] = WRITE_METHODS) -> None:
        with self.state.lock:
            self.state.failures_left, self.state.methods = count, methods

    @property
    def failures_left(self) -> int:
        return self.state.failures_left

    def requests(self, status: int | None = None) -> list[tuple[str, str, int]]:
        with self.state.lock:
            return [entry for entry in self.state.log if status is None or entry[2] == status]

    def start(self) -> FaultProxy:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(proxy: FaultProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            state = proxy.state
            if state.down:
                state.log.append((self.command, self.path, 0))
                self.close_connection = True
                self.connection.close()
                return
            if state.take_failure(self.command):
                state.log.append((self.command, self.path, 503))
                self.send_response(503, "Slow Down")
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(SLOW_DOWN)))
                self.end_headers()
                self.wfile.write(SLOW_DOWN)
                return
            upstream = http.client.HTTPConnection(proxy.upstream_host, proxy.upstream_port)
            headers = dict(self.headers.items())
            upstream.request(self.command, self.path, body=body, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
            state.log.append((self.command, self.path, answer.status))
            self.send_response(answer.status, answer.reason)
            skipped = {"transfer-encoding", "connection"}
            if self.command != "HEAD":  # HEAD keeps the object's own Content-Length
                skipped.add("content-length")
                self.send_header("Content-Length", str(len(data)))
            for key, value in answer.getheaders():
                if key.lower() not in skipped:
                    self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
            upstream.close()

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward  # noqa: N815 (http.server API)

    return Handler


@contextmanager
def fault_proxy(upstream: str) -> Iterator[FaultProxy]:
    proxy = FaultProxy(upstream).start()
    try:
        yield proxy
    finally:
        proxy.stop()
