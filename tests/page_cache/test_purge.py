"""The CDN purge hook: a real Celery worker POSTs the practice's keys to a local peer."""

from __future__ import annotations

import time

import pytest

from agency_platform.celery_app import app
from agency_platform.core.page_cache import purge
from tests.blog.factories import make_post
from tests.conftest import transactional_db
from tests.page_cache.conftest import ALPHA, PURGE_TOKEN, get
from tests.page_cache.test_middleware import blog_index


def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_the_purge_client_posts_keys_header_and_token(purge_peer):
    assert purge.purge(["practice-7", "host-beta.example.test"], ["alpha.example.test"]) == 200
    (request,) = purge_peer.requests
    assert request["path"] == "/purge"
    assert request["authorization"] == f"Bearer {PURGE_TOKEN}"
    assert request["json"] == {
        "keys": ["practice-7", "host-beta.example.test"],
        "hosts": ["alpha.example.test"],
    }
    # The same keys as Fastly's batch purge header (what the Varnish edge reads).
    assert request["surrogate_key"] == "practice-7 host-beta.example.test"


def test_without_a_url_nothing_is_sent(purge_peer, settings):
    settings.CDN_PURGE_URL = ""
    assert purge.purge(["practice-7"], []) is None
    assert purge_peer.requests == []


def test_a_failing_endpoint_raises_a_retryable_error(purge_peer):
    purge_peer.fail_next = 1
    with pytest.raises(purge.PurgeError, match="HTTP 503"):
        purge.purge(["practice-7"], [])


@transactional_db
def test_publishing_purges_the_practice_through_the_worker(
    client, alpha, bravo, purge_peer, celery_worker_process
):
    # Tasks queued by earlier tests (their practices are gone) must not be counted.
    app.control.purge()
    get(client, "/blog/")
    purge_peer.requests.clear()  # provisioning the practices purged them too
    purge_peer.fail_next = 1  # the first attempt fails: the task retries with backoff
    make_post(blog_index(alpha), title="Flu shots are in")
    alpha_key, bravo_key = f"practice-{alpha.pk}", f"practice-{bravo.pk}"

    def purges_of_alpha() -> list[dict]:
        return [r for r in purge_peer.requests if alpha_key in r["json"]["keys"]]

    wait_for(purges_of_alpha, timeout=60)
    purge_request = purges_of_alpha()[0]
    assert purge_request["json"] == {"keys": [alpha_key], "hosts": [ALPHA]}
    assert purge_request["surrogate_key"] == alpha_key
    assert purge_request["authorization"] == f"Bearer {PURGE_TOKEN}"
    assert all(bravo_key not in r["json"]["keys"] for r in purge_peer.requests)
    assert get(client, "/blog/")["X-Cache"] == "MISS"
