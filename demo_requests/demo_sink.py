"""A local CRM for the demo: receives the signed lead webhooks and says so, nothing more.

Standard library only. `POST /leads` checks the webhook contract of
demo_requests.crm.webhook (`X-Timestamp`, `X-Signature: sha256=<hex>` = HMAC-SHA256 of
f"{timestamp}.{body}", `Idempotency-Key`) and answers 200 `{"received": true}`, or 401
for a missing/bad signature or a timestamp older than five minutes. Each accepted lead
prints one line WITHOUT personal data (its key and the names of its fields only).
`GET /leads` returns `{"count", "keys", "accepted", "rejected"}` for tests and the curious;
repeated keys (a retried delivery) are counted once in `count`/`keys`.

Run it with `python manage.py run_crm_sink` (the demo starts it), or in a thread:
`sink = CrmSink(secret, port=0).start(); ...; sink.stop()`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TextIO

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8025
PATH = "/leads"
MAX_BODY = 1_000_000
MAX_SKEW_SECONDS = 300
_SAFE_KEY = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]")


def expected_signature(secret: str, timestamp: str, body: bytes) -> str:
    message = timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_is_valid(secret: str, timestamp: str, signature: str, body: bytes) -> bool:
    if not secret or not timestamp or not signature:
        return False
    try:
        age = abs(time.time() - int(timestamp))
    except ValueError:
        return False
    if age > MAX_SKEW_SECONDS:
        return False
    return hmac.compare_digest(expected_signature(secret, timestamp, body), signature)


class SinkState:
    """What the sink has seen (keys and field names only; never the values)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.keys: list[str] = []
        self.fields: dict[str, list[str]] = {}
        self.accepted = 0
        self.rejected = 0

    def record(self, key: str, field_names: list[str]) -> None:
        with self.lock:
            self.accepted += 1
            if key not in self.fields:
                self.keys.append(key)
            self.fields[key] = field_names

    def reject(self) -> None:
        with self.lock:
            self.rejected += 1

    def summary(self) -> dict:
        with self.lock:
            return {
                "count": len(self.keys),
                "keys": list(self.keys),
                "accepted": self.accepted,
                "rejected": self.rejected,
            }


class SinkHandler(BaseHTTPRequestHandler):
    server: SinkServer
    server_version = "crm-sink/1"

    def log_message(self, format: str, *args: object) -> None:
        """No access log: the sink's only output is its one line per lead."""

    def _json(self, status: int, document: dict) -> None:
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] != PATH:
            self._json(404, {"error": "not found"})
            return
        self._json(200, self.server.state.summary())

    def do_POST(self) -> None:
        if self.path.split("?", 1)[0] != PATH:
            self._json(404, {"error": "not found"})
            return
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            self._json(413, {"error": "body too large"})
            return
        body = self.rfile.read(length)
        timestamp = self.headers.get("X-Timestamp", "")
        signature = self.headers.get("X-Signature", "")
        if not signature_is_valid(self.server.secret, timestamp, signature, body):
            self.server.state.reject()
            self.server.say("crm-sink: lead rejected (bad or missing signature)")
            self._json(401, {"error": "bad signature"})
            return
        key = self.headers.get("Idempotency-Key", "")
        if not _SAFE_KEY.match(key):
            self._json(400, {"error": "missing or malformed Idempotency-Key"})
            return
        try:
            document = json.loads(body)
            fields = document.get("fields") or {}
            names = [_SAFE_NAME.sub("", str(name))[:60] for name in fields]
        except (ValueError, AttributeError):
            self._json(400, {"error": "body is not a JSON lead"})
            return
        self.server.state.record(key, names)
        self.server.say(f"crm-sink: lead {key} received (fields: {', '.join(names)})")
        self._json(200, {"received": True})


class SinkServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], secret: str, out: TextIO | None = None):
        super().__init__(address, SinkHandler)
        self.secret = secret
        self.state = SinkState()
        self.out = out
        self._out_lock = threading.Lock()

    def say(self, line: str) -> None:
        out = self.out or sys.stdout
        with self._out_lock:
            out.write(line + "\n")
            out.flush()


class CrmSink:
    """The sink on host:port (port 0: a free one), served from a background thread."""

    def __init__(
        self,
        secret: str,
        *,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        out: TextIO | None = None,
    ):
        if not secret:
            raise ValueError("the CRM sink needs a signing secret")
        self.server = SinkServer((host, port), secret, out)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{self.server.server_address[0]}:{self.port}{PATH}"

    @property
    def state(self) -> SinkState:
        return self.server.state

    def start(self) -> CrmSink:
        self._thread = threading.Thread(
            target=self.server.serve_forever, name="crm-sink", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.server.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:
            self.server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.server.server_close()
