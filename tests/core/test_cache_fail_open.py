"""The project's Redis cache backend fails open (agency_platform.core.cache): a real
redis-server of the test's own, stopped mid-test and started again on the same port."""

from __future__ import annotations

import logging

import pytest
import redis

from agency_platform.core.cache import CacheUnavailableError, RedisCache, cache_status
from tests.processes import RedisServer


@pytest.fixture
def server():
    redis_server = RedisServer().start()
    yield redis_server
    redis_server.kill()


def backend(url: str, retry: float) -> RedisCache:
    return RedisCache(
        url,
        {
            "KEY_PREFIX": "failopen",
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
                "down_retry_seconds": retry,
            },
        },
    )


def test_a_stopped_redis_is_a_miss_and_a_skipped_write_then_used_again(server, caplog) -> None:
    cache = backend(server.url, retry=0)
    cache.set("page", "kept", timeout=60)
    assert cache.get("page") == "kept"
    assert cache_status(cache)["bypassed"] is False

    caplog.set_level(logging.WARNING, logger="agency_platform.core.cache")
    server.kill()
    assert cache.get("page", "default") == "default"
    assert cache.get_many(["page", "other"]) == {}
    cache.set("page", "lost", timeout=60)  # skipped, no exception
    assert cache.add("new", 1) is False
    assert cache.delete("page") is False
    cache.delete_many(["page"])
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]  # the keys not stored
    assert cache.touch("page") is False
    assert cache.has_key("page") is False
    with pytest.raises(CacheUnavailableError):
        cache.incr("counter")
    status = cache_status(cache)
    assert status["bypassed"] is True
    assert status["error"] == "ConnectionError"
    outages = [r.getMessage() for r in caplog.records if "unavailable" in r.getMessage()]
    assert len(outages) == 1, outages  # logged once per outage, not per call
    assert f"server=redis://127.0.0.1:{server.port}/0" in outages[0]
    with pytest.raises(redis.exceptions.ConnectionError):
        cache.probe()

    server.start()  # same port, empty (no persistence)
    assert cache.get("page") is None
    cache.set("page", "again", timeout=60)
    assert cache.get("page") == "again"
    assert cache_status(cache)["bypassed"] is False
    assert any("available again" in r.getMessage() for r in caplog.records)


def test_within_the_retry_window_the_server_is_not_tried_again(server) -> None:
    cache = backend(server.url, retry=60)
    server.kill()
    assert cache.get("page") is None  # fails: the window starts
    server.start()
    cache.set("page", "skipped", timeout=60)
    assert cache.get("page") is None  # not even tried: Redis is back but the window runs
    assert cache_status(cache)["bypassed"] is True
    cache.probe()  # /readyz probes for real and ends the outage
    assert cache_status(cache)["bypassed"] is False
    cache.set("page", "stored", timeout=60)
    assert cache.get("page") == "stored"


def test_a_cache_that_answers_again_makes_every_practice_stale(server, settings) -> None:
    """A change made while the cache is bypassed loses its generation bump (the write
    is skipped, Redis keeps its keys); when the cache answers again the agency-wide
    generation moves, so nothing kept before the outage is served."""
    import os
    import signal
    import time

    from django.core.cache import cache

    from agency_platform.core import freshness

    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "agency_platform.core.cache.RedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5,
                        "down_retry_seconds": 1},
        },
    }  # fmt: skip
    settings.CDN_PURGE_URL = ""
    before, _ = freshness.read(None, "alpha.example.test")
    os.kill(server.process.pid, signal.SIGSTOP)  # hangs: its keys survive
    try:
        assert cache.get("anything") is None  # times out: bypassed for a second
    finally:
        os.kill(server.process.pid, signal.SIGCONT)
    freshness.invalidate({"alpha.example.test": 1})  # bump skipped: never sent
    assert cache_status(cache)["bypassed"] is True
    time.sleep(1.1)  # the bypass window ends
    assert cache.get("anything") is None  # answered: the recovery hook runs
    after, _ = freshness.read(None, "alpha.example.test")
    assert after[1] == before[1]  # the practice's own bump was lost...
    assert after[0] != before[0]  # ...but the agency-wide generation moved
