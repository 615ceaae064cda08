"""The Varnish edge in front of the live server, on PostgreSQL and Redis: what it
shares, what it passes, and purges by surrogate key from a real Celery worker."""

from __future__ import annotations

import http.client
import socket
import time
from dataclasses import dataclass

import pytest

from agency_platform.core.page_cache import purge
from tests.blog.factories import make_post
from tests.conftest import transactional_db
from tests.edge.conftest import ALPHA, BRAVO, PURGE_TOKEN, Edge

pytestmark = transactional_db


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def __getitem__(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def request(edge: Edge, path: str, *, host: str = ALPHA, method: str = "GET", **headers) -> Reply:
    conn = http.client.HTTPConnection("127.0.0.1", edge.port, timeout=30)
    try:
        conn.request(method, path, headers={"Host": host, **headers})
        response = conn.getresponse()
        body = response.read()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        conn.close()


def purge_from(edge: Edge, client_ip: str, **headers: str) -> int:
    """POST /.edge/purge as if from `client_ip` (PROXY protocol v1 listener)."""
    lines = [
        f"PROXY TCP4 {client_ip} 127.0.0.1 40000 80",
        "POST /.edge/purge HTTP/1.1",
        "Host: edge",
        "Content-Length: 0",
        "Connection: close",
        *(f"{name.replace('_', '-')}: {value}" for name, value in headers.items()),
    ]
    with socket.create_connection(("127.0.0.1", edge.proxy_port), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        status_line = sock.makefile("rb").readline().decode()
    return int(status_line.split()[1])


def test_an_anonymous_page_is_fetched_once_then_served_by_the_edge(clean_edge, alpha):
    first = request(clean_edge, "/")
    assert (first.status, first["X-Edge-Cache"]) == (200, "MISS")
    assert b"Alpha Family Care" in first.body
    # The application's headers pass through: browsers revalidate every time.
    assert first["Cache-Control"] == "public, max-age=0, s-maxage=3600, stale-while-revalidate=30"
    assert first["Surrogate-Key"] == f"practice-{alpha.pk} agency"
    second = request(clean_edge, "/")
    assert (second.status, second["X-Edge-Cache"]) == (200, "HIT")
    assert second.body == first.body
    assert second["ETag"] == first["ETag"]
    # Revalidation is answered by the edge.
    revalidated = request(clean_edge, "/", **{"If-None-Match": first["ETag"]})
    assert (revalidated.status, revalidated["X-Edge-Cache"]) == (304, "HIT")
    assert revalidated.body == b""
    # Cookies other than the session's and tracking parameters share the page.
    shared = request(clean_edge, "/?utm_source=news&gclid=x", Cookie="csrftoken=abc; _ga=GA1")
    assert (shared["X-Edge-Cache"], shared.body) == ("HIT", first.body)


def test_sessions_authorization_messages_and_the_admin_are_passed(clean_edge, alpha):
    assert request(clean_edge, "/")["X-Edge-Cache"] == "MISS"
    for _ in range(2):
        for headers in (
            {"Cookie": "csrftoken=abc; sessionid=not-a-session"},
            {"Cookie": "messages=pending"},
            {"Authorization": "Basic ZWRpdG9yOnNlY3JldA=="},
        ):
            reply = request(clean_edge, "/", **headers)
            assert (reply.status, reply["X-Edge-Cache"]) == (200, "PASS"), headers
        admin = request(clean_edge, "/admin/")
        assert admin["X-Edge-Cache"] == "PASS"
        assert admin.status == 302  # to the login page, from the application


def test_responses_the_application_does_not_share_are_not_kept(clean_edge, alpha):
    # A 404 has no s-maxage: fetched every time (Varnish would keep it 2 minutes).
    for _ in range(2):
        missing = request(clean_edge, "/no-such-page/")
        assert (missing.status, missing["X-Edge-Cache"]) == (404, "MISS")
    # A parameter the page cache does not know bypasses it: no s-maxage either.
    for _ in range(2):
        assert request(clean_edge, "/?preview=1")["X-Edge-Cache"] == "MISS"


def test_the_purge_client_bans_only_the_given_keys(clean_edge, alpha, bravo, settings):
    for host in (ALPHA, BRAVO):  # Host is in the hash: one object per practice
        assert request(clean_edge, "/", host=host)["X-Edge-Cache"] == "MISS"
        assert request(clean_edge, "/", host=host)["X-Edge-Cache"] == "HIT"
    settings.CDN_PURGE_URL = clean_edge.purge_url
    settings.CDN_PURGE_TOKEN = PURGE_TOKEN
    assert purge.purge([f"practice-{alpha.pk}"], [ALPHA]) == 200
    assert request(clean_edge, "/")["X-Edge-Cache"] == "MISS"
    assert request(clean_edge, "/", host=BRAVO)["X-Edge-Cache"] == "HIT"
    assert f"(practice-{alpha.pk})" in clean_edge.admin("ban.list")


def test_purges_are_refused_without_the_token_or_from_outside(clean_edge, alpha, settings):
    request(clean_edge, "/")
    key = f"practice-{alpha.pk}"
    token = f"Bearer {PURGE_TOKEN}"
    settings.CDN_PURGE_URL = clean_edge.purge_url
    settings.CDN_PURGE_TOKEN = ""
    with pytest.raises(purge.PurgeRejectedError, match="HTTP 403"):
        purge.purge([key], [ALPHA])
    settings.CDN_PURGE_TOKEN = "not-the-token"
    with pytest.raises(purge.PurgeRejectedError, match="HTTP 403"):
        purge.purge([key], [ALPHA])
    # A public address is refused even with the token; a private one is allowed.
    assert purge_from(clean_edge, "203.0.113.7", Surrogate_Key=key, Authorization=token) == 403
    assert request(clean_edge, "/")["X-Edge-Cache"] == "HIT"
    assert request(clean_edge, "/.edge/purge")["X-Edge-Cache"] is None
    assert request(clean_edge, "/.edge/purge").status == 405
    assert purge_from(clean_edge, "10.1.2.3", Authorization=token) == 400  # no keys
    assert purge_from(clean_edge, "10.1.2.3", Surrogate_Key=key, Authorization=token) == 200
    assert request(clean_edge, "/")["X-Edge-Cache"] == "MISS"


def blog_index(practice):
    from blog.models import BlogIndexPage

    return BlogIndexPage.objects.descendant_of(practice.site.root_page).get()


@pytest.mark.worker
def test_publishing_in_one_practice_purges_only_its_pages_at_the_edge(
    clean_edge, alpha, bravo, edge_worker, settings
):
    # Purges queued by earlier tests must not land once the edge is warmed.
    edge_worker.wait_idle()
    for host in (ALPHA, BRAVO):
        assert request(clean_edge, "/blog/", host=host)["X-Edge-Cache"] == "MISS"
        assert request(clean_edge, "/blog/", host=host)["X-Edge-Cache"] == "HIT"
    bravo_before = request(clean_edge, "/blog/", host=BRAVO).body

    # This process queues the purge task (only when a URL is set); the worker sends it
    # with its own settings, which point at the edge.
    settings.CDN_PURGE_URL = clean_edge.purge_url
    settings.CDN_PURGE_TOKEN = PURGE_TOKEN
    make_post(blog_index(alpha), title="Flu shots are in")
    # The post is committed (transactional test): the worker's purge reaches the edge;
    # until then the edge keeps serving the page it has (s-maxage is an hour).
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        reply = request(clean_edge, "/blog/")
        if b"Flu shots are in" in reply.body:
            break
        assert reply["X-Edge-Cache"] == "HIT"
        time.sleep(0.2)
    else:
        pytest.fail(f"alpha's blog was not purged; see {edge_worker.log_path}")
    assert reply["X-Edge-Cache"] == "MISS"
    assert request(clean_edge, "/blog/")["X-Edge-Cache"] == "HIT"
    bravo_after = request(clean_edge, "/blog/", host=BRAVO)
    assert (bravo_after["X-Edge-Cache"], bravo_after.body) == ("HIT", bravo_before)
