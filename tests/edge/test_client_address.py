"""The visitor's address behind the edge: Varnish sends the PROXY protocol
(infra/edge/backend.vcl) to a real gunicorn (infra/gunicorn.conf.py with
GUNICORN_PROXY_PROTOCOL=true), so REMOTE_ADDR, and with it the request form's per-IP
rate limit (demo_requests/spam.py), is the visitor's, not Varnish's.

Visitors reach Varnish on its PROXY listener, where a test may claim any client
address (as a load balancer in front would pass it on); Varnish passes client.ip on.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.conftest import REPO_ROOT, subprocess_env, transactional_db
from tests.demo_requests.conftest import VALID
from tests.edge.conftest import EDGE_DIR, Edge, _free_port, running_varnishd
from tests.factories import PracticeFactory
from tests.processes import stop_process

pytestmark = transactional_db

HOST = "proxied.example.test"
VISITOR = "203.0.113.9"
OTHER_VISITOR = "203.0.113.10"


@dataclass
class Gunicorn:
    port: int
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def _get(port: int, path: str, *, source: str = "127.0.0.1", preamble: bytes = b"") -> bytes:
    """A raw HTTP/1.1 GET to gunicorn from `source`, after `preamble` (a PROXY line)."""
    with socket.create_connection(
        ("127.0.0.1", port), timeout=10, source_address=(source, 0)
    ) as sock:
        sock.sendall(
            preamble + f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode()
        )
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.fixture(scope="module")
def gunicorn(django_db_setup) -> Iterator[Gunicorn]:
    """gunicorn as deployed (infra/gunicorn.conf.py, the PROXY protocol on, trusted from
    127.0.0.1 only), one worker, on the test database and the tests' Redis."""
    port = _free_port()
    log_path = REPO_ROOT / "var" / f"test-gunicorn-proxy-{os.getpid()}.log"
    log_path.parent.mkdir(exist_ok=True)
    command = [
        sys.executable, "-m", "gunicorn", "--config", "infra/gunicorn.conf.py",
        "--bind", f"127.0.0.1:{port}", "agency_platform.wsgi:application",
    ]  # fmt: skip
    env = subprocess_env(
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="2",
        GUNICORN_PROXY_PROTOCOL="true",
        GUNICORN_PROXY_ALLOW_IPS="127.0.0.1",
        # Read by platform/settings/base.py: two sends per address (a window of an hour,
        # which a test of a second hardly ever straddles), no fill-time wait.
        DEMO_REQUEST_RATE_LIMIT_PER_IP="2/1h",
        DEMO_REQUEST_MIN_FILL_SECONDS="0",
        PAGE_CACHE_ENABLED="false",
    )
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    server = Gunicorn(port, process, log_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"gunicorn exited with {process.returncode}:\n{server.log()}")
            try:
                if _get(port, "/healthz").startswith(b"HTTP/1.1 200"):
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not answer /healthz in 60 s:\n{server.log()}")
            time.sleep(0.2)
        yield server
    finally:
        stop_process(process)


@pytest.fixture(scope="module")
def proxied_edge(gunicorn: Gunicorn) -> Iterator[Edge]:
    """varnishd with the repository's VCL and the repository's backend.vcl (its PROXY
    header included), only pointed at this gunicorn instead of compose's `web`."""
    backend = (EDGE_DIR / "backend.vcl").read_text()
    assert re.search(r"^\s*\.proxy_header\s*=\s*[12];", backend, re.M), backend
    backend, hosts = re.subn(r'\.host = "web";', '.host = "127.0.0.1";', backend)
    backend, ports = re.subn(r'\.port = "8000";', f'.port = "{gunicorn.port}";', backend)
    assert (hosts, ports) == (1, 1), backend
    with running_varnishd(backend, "varnishd-proxy", storage="malloc,32m") as edge:
        yield edge


@dataclass
class Reply:
    status: int
    body: str
    headers: http.client.HTTPMessage


class ProxiedConnection(http.client.HTTPConnection):
    """An HTTP connection to Varnish's PROXY listener that claims `client_ip`."""

    def __init__(self, port: int, client_ip: str) -> None:
        super().__init__("127.0.0.1", port, timeout=60)
        self.client_ip = client_ip

    def connect(self) -> None:
        super().connect()
        self.sock.sendall(f"PROXY TCP4 {self.client_ip} 127.0.0.1 51234 80\r\n".encode())


class Visitor:
    """A browser at a public address: one keep-alive connection, its cookies."""

    def __init__(self, edge: Edge, address: str) -> None:
        self.conn = ProxiedConnection(edge.proxy_port, address)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> Reply:
        headers = {"Host": HOST}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
        return Reply(response.status, text, response.headers)

    def send_the_form(self) -> Reply:
        """What a browser does: load the form (CSRF cookie and token, fill-time token),
        then post it with the cookie."""
        page = self.request("GET", "/contact/")
        assert page.status == 200, page.body[:500]
        found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.body)
        hidden = {name: unescape(value) for name, value in found}
        assert "csrfmiddlewaretoken" in hidden
        assert "csrftoken" in self.cookies
        return self.request("POST", "/contact/", body=urlencode({**hidden, **VALID}))

    def close(self) -> None:
        self.conn.close()


def _access_log_addresses(gunicorn: Gunicorn, request_line: str, count: int) -> list[str]:
    """REMOTE_ADDR (%(h)s, the first field) of the access lines for `request_line`;
    waits for `count` of them (a line is written once its response is sent)."""
    deadline = time.monotonic() + 10
    while True:
        lines = [
            line for line in gunicorn.log().splitlines() if f'"{request_line} HTTP/1.1"' in line
        ]
        if len(lines) >= count or time.monotonic() > deadline:
            return [line.split(" ", 1)[0] for line in lines]
        time.sleep(0.1)


def test_the_per_ip_limit_counts_each_visitor_behind_the_edge(proxied_edge, gunicorn):
    from wagtail.contrib.forms.models import FormSubmission

    PracticeFactory(name="Proxied Clinic", slug="proxied", hostname=HOST)
    visitor, other = Visitor(proxied_edge, VISITOR), Visitor(proxied_edge, OTHER_VISITOR)
    try:
        for _ in range(2):
            sent = visitor.send_the_form()
            assert (sent.status, "Thank you" in sent.body) == (200, True), sent.body[:2000]
        limited = visitor.send_the_form()
        assert limited.status == 429, limited.body[:2000]
        assert 0 < int(limited.headers["Retry-After"]) <= 3600
        assert limited.headers["X-Edge-Cache"] == "PASS"
        # Before PROXY protocol, this one counted against the same address (Varnish's).
        accepted = other.send_the_form()
        assert (accepted.status, "Thank you" in accepted.body) == (200, True), accepted.body[:2000]
    finally:
        visitor.close()
        other.close()
    assert FormSubmission.objects.count() == 3
    # gunicorn's access log: REMOTE_ADDR of every request was the visitor's.
    posts = _access_log_addresses(gunicorn, "POST /contact/", 4)
    assert posts == [VISITOR, VISITOR, VISITOR, OTHER_VISITOR], gunicorn.log()[-3000:]
    gets = _access_log_addresses(gunicorn, "GET /contact/", 4)
    assert gets == [VISITOR, VISITOR, VISITOR, OTHER_VISITOR], gunicorn.log()[-3000:]


def test_gunicorn_still_answers_without_a_proxy_header(gunicorn):
    # The orchestrator's probes talk to gunicorn directly, without the edge.
    for path in ("/healthz", "/readyz"):
        reply = _get(gunicorn.port, path)
        assert reply.startswith(b"HTTP/1.1 200"), reply[:500]
        assert b'"status": "ok"' in reply or b'"status":"ok"' in reply, reply[-500:]
    # A PROXY header is honoured from the edge's address (proxy_allow_ips) only: any
    # other peer that could choose its address for the rate limits is refused. Plain
    # HTTP from that peer is still served, with its own address.
    preamble = b"PROXY TCP4 198.51.100.4 127.0.0.1 51234 80\r\n"
    assert _get(gunicorn.port, "/healthz", preamble=preamble).startswith(b"HTTP/1.1 200")
    refused = _get(gunicorn.port, "/healthz", source="127.0.0.2", preamble=preamble)
    assert refused.startswith(b"HTTP/1.1 403"), refused[:500]
    assert _get(gunicorn.port, "/healthz", source="127.0.0.2").startswith(b"HTTP/1.1 200")
    addresses = _access_log_addresses(gunicorn, "GET /healthz", 1)
    assert addresses[-2:] == ["198.51.100.4", "127.0.0.2"], gunicorn.log()[-3000:]
