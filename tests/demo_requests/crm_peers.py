"""Local stand-ins for the CRMs, speaking their documented HTTP contracts closely
enough for the official clients (hubspot-api-client, simple-salesforce) and for our
signed webhook. Each runs in a thread on 127.0.0.1, records what it received, can
fail a seeded fraction of calls, and can be taken down (stop listening) and back up
on the same port.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import random
import re
import ssl
import subprocess
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address) -> None:
        pass  # a client killed mid-request (the SIGKILL test) is expected here


class Peer:
    """Base: routing, failure injection, up/down."""

    routes: list[tuple[str, str]] = []  # (method, regex) -> handler name

    def __init__(
        self,
        *,
        fail_rate: float = 0.0,
        seed: int = 1,
        latency: float = 0.0,
        rate_limit_share: float = 0.5,
    ):
        self.fail_rate = fail_rate
        # Of the failures, the share answered 429 + Retry-After (refused before any work,
        # as HubSpot's and Salesforce's limits are); the rest are 5xx, half of them after
        # the work was done (the answer lost to the client).
        self.rate_limit_share = rate_limit_share
        # (path regex, answer, after the work?) for the next matching calls
        self.canned: list[tuple[str, tuple, bool]] = []
        self.latency = latency
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.calls: list[tuple[str, str, int]] = []  # (method, path, status)
        self.port = 0
        self.server: _Server | None = None
        self.ssl_context: ssl.SSLContext | None = None

    @property
    def url(self) -> str:
        scheme = "https" if self.ssl_context else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def start(self) -> Peer:
        peer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep pytest output quiet
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, payload, headers = peer.dispatch(
                    self.command, self.path, self.headers, body
                )
                headers = dict(headers or {})
                if isinstance(payload, bytes):  # a canned answer, as it is
                    data = payload
                    content_type = headers.pop("Content-Type", "text/html; charset=utf-8")
                else:
                    data = b"" if payload is None else json.dumps(payload).encode()
                    content_type = "application/json;charset=utf-8"
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle  # noqa: N815

        self.server = _Server(("127.0.0.1", self.port), Handler)
        if self.ssl_context:
            self.server.socket = self.ssl_context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Down: nothing listens on the port any more."""
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def dispatch(self, method: str, path: str, headers, body: bytes):
        if self.latency:
            time.sleep(self.latency)
        for route_method, pattern, name in self.routes:  # noqa: B007 - used after the loop
            match = re.fullmatch(pattern, path.split("?")[0])
            if route_method == method and match:
                break
        else:
            return self._record(method, path, (404, {"message": "not found"}, None))
        with self.lock:
            canned = next((c for c in self.canned if re.search(c[0], path)), None)
            if canned is not None:
                self.canned.remove(canned)
            failing = self.random.random() < self.fail_rate
            limited = failing and self.random.random() < self.rate_limit_share
            after = failing and not limited and self.random.random() < 0.5
        if canned is not None:  # an unusable answer, the work done or not
            if canned[2]:
                getattr(self, name)(headers, body, *match.groups())
            return self._record(method, path, canned[1])
        if limited:
            return self._record(method, path, self.rate_limited())
        if failing and not after:  # fail before doing anything
            return self._record(method, path, self.failure())
        result = getattr(self, name)(headers, body, *match.groups())
        if failing:  # the work was done but the answer is lost to the client
            return self._record(method, path, self.failure())
        return self._record(method, path, result)

    def answer_next(self, path_pattern: str, *answers: tuple, after_work: bool = False) -> None:
        """The next calls whose path matches get these answers, instead of the work or
        (after_work) once it is done."""
        with self.lock:
            self.canned.extend((path_pattern, answer, after_work) for answer in answers)

    def failure(self):
        return 500, {"status": "error", "message": "internal error"}, None

    def rate_limited(self):
        return 429, {"message": "Too many requests"}, {"Retry-After": "1"}

    def _record(self, method, path, result):
        with self.lock:
            self.calls.append((method, path.split("?")[0], result[0]))
        return result


# --- HubSpot CRM v3 -----------------------------------------------------------------


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


class HubSpotPeer(Peer):
    """Contacts (batch upsert by a unique property, create with 409 CONFLICT naming the
    existing id, PATCH), notes (create with associations, search with CONTAINS_TOKEN on
    hs_note_body); 429 with Retry-After."""

    routes = [
        ("POST", r"/crm/v3/objects/contacts/batch/upsert", "upsert_contacts"),
        ("POST", r"/crm/v3/objects/contacts", "create_contact"),
        ("PATCH", r"/crm/v3/objects/contacts/(\d+)", "update_contact"),
        ("POST", r"/crm/v3/objects/notes/search", "search_notes"),
        ("POST", r"/crm/v3/objects/notes", "create_note"),
    ]

    def __init__(self, *, token: str = "pat-test-token", **kwargs):  # noqa: S107
        super().__init__(**kwargs)
        self.token = token
        self.ids = itertools.count(1001)
        self.contacts: dict[str, dict] = {}  # id -> properties
        self.contact_by_email: dict[str, str] = {}
        self.contact_creations: Counter = Counter()  # email -> contacts created
        self.notes: dict[str, dict] = {}  # id -> {"body":..., "contact": id}

    def rate_limited(self):
        return (
            429,
            {
                "status": "error",
                "message": "You have reached your secondly limit.",
                "errorType": "RATE_LIMIT",
                "category": "RATE_LIMITS",
            },
            {"Retry-After": "1"},
        )

    def failure(self):
        return 502, {"status": "error", "message": "Bad gateway", "category": "UNKNOWN"}, None

    def dispatch(self, method, path, headers, body):
        if headers.get("Authorization") != f"Bearer {self.token}":
            return self._record(
                method,
                path,
                (
                    401,
                    {
                        "status": "error",
                        "message": "Authentication credentials not found.",
                        "category": "INVALID_AUTHENTICATION",
                    },
                    None,
                ),
            )
        return super().dispatch(method, path, headers, body)

    def _object(self, object_id, properties):
        return {
            "id": object_id,
            "properties": properties,
            "createdAt": _now(),
            "updatedAt": _now(),
            "archived": False,
        }

    def create_contact(self, headers, body):
        properties = json.loads(body)["properties"]
        email = properties.get("email", "").lower()
        with self.lock:
            existing = self.contact_by_email.get(email)
            if existing is None:
                existing = None
                contact_id = str(next(self.ids))
                self.contacts[contact_id] = dict(properties)
                self.contact_by_email[email] = contact_id
                self.contact_creations[email] += 1
        if existing is not None:
            return (
                409,
                {
                    "status": "error",
                    "message": f"Contact already exists. Existing ID: {existing}",
                    "correlationId": "00000000-0000-0000-0000-000000000000",
                    "category": "CONFLICT",
                },
                None,
            )
        return 201, self._object(contact_id, properties), None

    def upsert_contacts(self, headers, body):
        """POST /crm/v3/objects/contacts/batch/upsert: create or update each input by
        its idProperty (here the unique `email`); 200 with `new` per result."""
        started = _now()
        results = []
        for item in json.loads(body)["inputs"]:
            if item.get("idProperty") != "email":
                return 400, {"status": "error", "category": "VALIDATION_ERROR"}, None
            email = str(item["id"]).lower()
            properties = {**item.get("properties", {}), "email": email}
            with self.lock:
                contact_id = self.contact_by_email.get(email)
                new = contact_id is None
                if new:
                    contact_id = str(next(self.ids))
                    self.contacts[contact_id] = {}
                    self.contact_by_email[email] = contact_id
                    self.contact_creations[email] += 1
                self.contacts[contact_id].update(properties)
            results.append({**self._object(contact_id, properties), "new": new})
        document = {
            "status": "COMPLETE",
            "results": results,
            "startedAt": started,
            "completedAt": _now(),
        }
        return 200, document, None

    def update_contact(self, headers, body, contact_id):
        with self.lock:
            if contact_id not in self.contacts:
                return (
                    404,
                    {"status": "error", "message": "not found", "category": "OBJECT_NOT_FOUND"},
                    None,
                )
            self.contacts[contact_id].update(json.loads(body)["properties"])
            properties = dict(self.contacts[contact_id])
        return 200, self._object(contact_id, properties), None

    def search_notes(self, headers, body):
        request = json.loads(body)
        tokens = [
            f["value"]
            for group in request.get("filterGroups", [])
            for f in group.get("filters", [])
            if f.get("propertyName") == "hs_note_body" and f.get("operator") == "CONTAINS_TOKEN"
        ]
        with self.lock:
            found = [
                self._object(note_id, {"hs_note_body": note["body"]})
                for note_id, note in self.notes.items()
                if any(token in note["body"].split() for token in tokens)
            ]
        return 200, {"total": len(found), "results": found[: request.get("limit") or 10]}, None

    def create_note(self, headers, body):
        request = json.loads(body)
        contacts = [a["to"]["id"] for a in request.get("associations", [])]
        with self.lock:
            note_id = str(next(self.ids))
            self.notes[note_id] = {
                "body": request["properties"]["hs_note_body"],
                "contacts": contacts,
            }
        return 201, self._object(note_id, request["properties"]), None

    # What tests count.
    def notes_for(self, idempotency_key: str) -> int:
        with self.lock:
            return sum(
                f"lead-ref-{idempotency_key}" in n["body"].split() for n in self.notes.values()
            )


# --- Salesforce REST ----------------------------------------------------------------


class SalesforcePeer(Peer):
    """Lead create (POST /sobjects/Lead/) and upsert by external id (PATCH
    /sobjects/Lead/<field>/<value>: 201 created / 200 updated), HTTPS only like
    Salesforce (simple-salesforce always speaks https)."""

    routes = [
        ("POST", r"/services/data/v[\d.]+/sobjects/Lead/?", "create_lead"),
        ("PATCH", r"/services/data/v[\d.]+/sobjects/Lead/(\w+)/([^/]+)", "upsert_lead"),
        ("GET", r"/services/data/v[\d.]+/sobjects/Lead/(\w+)/([^/]+)", "get_lead"),
    ]

    def __init__(self, *, cert_dir: Path, session_id: str = "00Dxx!session", **kwargs):
        super().__init__(**kwargs)
        self.session_id = session_id
        self.cert_file = make_certificate(cert_dir)
        self.ssl_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ssl_context.load_cert_chain(self.cert_file, cert_dir / "key.pem")
        self.ids = itertools.count(1)
        self.leads: dict[str, dict] = {}
        self.by_external: dict[tuple[str, str], str] = {}

    def dispatch(self, method, path, headers, body):
        if headers.get("Authorization") != f"Bearer {self.session_id}":
            return self._record(
                method,
                path,
                (
                    401,
                    [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}],
                    None,
                ),
            )
        return super().dispatch(method, path, headers, body)

    def _new_id(self) -> str:
        return f"00Q{next(self.ids):015d}"

    def create_lead(self, headers, body):
        fields = json.loads(body)
        if not fields.get("LastName") or not fields.get("Company"):
            return (
                400,
                [
                    {
                        "message": "Required fields are missing: [LastName, Company]",
                        "errorCode": "REQUIRED_FIELD_MISSING",
                        "fields": [],
                    }
                ],
                None,
            )
        with self.lock:
            lead_id = self._new_id()
            self.leads[lead_id] = fields
        return 201, {"id": lead_id, "success": True, "errors": []}, None

    def upsert_lead(self, headers, body, field, value):
        fields = json.loads(body)
        with self.lock:
            lead_id = self.by_external.get((field, value))
            created = lead_id is None
            if created:
                lead_id = self._new_id()
                self.by_external[(field, value)] = lead_id
                self.leads[lead_id] = {field: value}
            self.leads[lead_id].update(fields)
        body = {"id": lead_id, "success": True, "errors": [], "created": created}
        return (201 if created else 200), body, None

    def get_lead(self, headers, body, field, value):
        with self.lock:
            lead_id = self.by_external.get((field, value))
            fields = dict(self.leads.get(lead_id, {}))
        if lead_id is None:
            return (
                404,
                [
                    {
                        "errorCode": "NOT_FOUND",
                        "message": "Provided external ID field does not exist or is not accessible",
                    }
                ],
                None,
            )
        return 200, {"attributes": {"type": "Lead"}, "Id": lead_id, **fields}, None


def make_certificate(directory: Path) -> Path:
    cert, key = directory / "cert.pem", directory / "key.pem"
    if not cert.exists():
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            check=True,
            capture_output=True,
        )
    return cert


# --- Signed webhook -----------------------------------------------------------------


class WebhookPeer(Peer):
    """Verifies X-Signature = sha256=HMAC(secret, f"{X-Timestamp}.{body}") and a fresh
    timestamp (401 otherwise); de-duplicates on Idempotency-Key."""

    routes = [("POST", r"/hooks/leads", "receive")]

    def __init__(self, *, secret: str, **kwargs):
        super().__init__(**kwargs)
        self.secret = secret
        self.received: dict[str, dict] = {}  # idempotency key -> document
        self.rejected = 0

    def receive(self, headers, body):
        timestamp = headers.get("X-Timestamp", "")
        expected = (
            "sha256="
            + hmac.new(
                self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
            ).hexdigest()
        )
        fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) < 300
        if not fresh or not hmac.compare_digest(expected, headers.get("X-Signature", "")):
            with self.lock:
                self.rejected += 1
            return 401, {"error": "invalid signature"}, None
        key = headers.get("Idempotency-Key", "")
        with self.lock:
            duplicate = key in self.received
            self.received.setdefault(key, json.loads(body))
        return (200 if duplicate else 201), {"ok": True, "duplicate": duplicate}, None
