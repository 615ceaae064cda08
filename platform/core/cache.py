"""The project's Redis cache backend: one client per pool, and fail-open when Redis is down.

One client: `django.core.cache.backends.redis.RedisCacheClient.get_client` builds a new
`redis.Redis` for every cache operation. That constructor fills a table of ~170
response callbacks each time, and a public page makes about ten cache calls (host,
site bundle, renditions, rendered Markdown...): measured as the largest item of the
Redis side of an uncached page. A `redis.Redis` is thread-safe and owns no
connection itself (its pool does), so one per pool is enough.

Fail-open: everything kept in this cache can be rebuilt from the database (pages,
fragments, host map, site bundles, renditions), so an unreachable or slow Redis must
cost a miss, not a 500 (a visitor's request form must be stored whatever the cache
does). A failed call is logged once, and the server is then left alone for
`OPTIONS["down_retry_seconds"]` (default 5) so that each request does not wait on the
socket timeout again: reads are misses, writes and deletes are skipped, `add` is
False, and `incr` raises `CacheUnavailableError` (a ValueError, like a missing key) so that
callers with their own fallback (the request form's rate limits) can take it.
`cache_status(cache)` tells /readyz. Keep the socket timeouts short (settings/base.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from agency_platform.core import private_apis

logger = logging.getLogger(__name__)

# What "Redis is not answering" looks like from redis-py (refused, reset, timed out).
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
DOWN_RETRY_SECONDS = 5.0


class CacheUnavailableError(ValueError):
    """The cache server did not answer; raised by `incr`, which has no miss value."""


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write: bool = False):
        pool = private_apis.redis_pool(self, write)
        client = self._clients.get(id(pool))
        if client is None:
            client_class = private_apis.redis_client_class(self)
            client = self._clients[id(pool)] = client_class(connection_pool=pool)
        return client


class Outage:
    """Per process and server (Django builds a cache object per thread): since when the
    server failed, and until when it is left alone."""

    def __init__(self, retry_seconds: float) -> None:
        self.retry_seconds = retry_seconds
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.since: float | None = None
        self.error = ""

    def skipping(self) -> bool:
        return time.monotonic() < self.down_until

    def failed(self, location: str, operation: str, exc: BaseException) -> None:
        with self.lock:
            first = self.since is None
            if first:
                self.since = time.time()
            self.error = type(exc).__name__
            self.down_until = time.monotonic() + self.retry_seconds
        if first:
            logger.warning(
                "cache unavailable, bypassed: server=%s operation=%s error=%s",
                location,
                operation,
                self.error,
            )

    def answered(self, location: str) -> None:
        if self.since is None:
            return
        with self.lock:
            since, self.since, self.error = self.since, None, ""
            self.down_until = 0.0
        if since is not None:
            logger.warning(
                "cache available again after %.1f s: server=%s", time.time() - since, location
            )
            for hook in list(_recovery_hooks):
                try:
                    hook()
                except Exception:  # a hook must never fail the cache call that woke it
                    logger.exception("cache recovery hook failed: %s", hook)


# Run in a process whose cache answers again after an outage (core.freshness makes
# everything stale: the generation bumps it skipped meanwhile were lost).
_recovery_hooks: list[Callable[[], None]] = []


def on_recovery(hook: Callable[[], None]) -> None:
    if hook not in _recovery_hooks:
        _recovery_hooks.append(hook)


_outages: dict[str, Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(location: str, retry_seconds: float) -> Outage:
    with _outages_lock:
        return _outages.setdefault(location, Outage(retry_seconds))


class RedisCache(DjangoRedisCache):
    """Drop-in for `django.core.cache.backends.redis.RedisCache` (same OPTIONS, plus
    `down_retry_seconds`)."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        private_apis.set_redis_cache_client_class(self, ReusedClientRedisCacheClient)
        self._options = dict(self._options)  # the settings' dict is shared: not popped there
        retry = float(self._options.pop("down_retry_seconds", DOWN_RETRY_SECONDS))
        self._location = ",".join(self._servers)
        self.outage = _outage_for(self._location, retry)

    def _guarded(self, operation: str, fallback, call, *args):
        if self.outage.skipping():
            return fallback
        try:
            result = call(*args)
        except UNAVAILABLE as exc:
            self.outage.failed(self._location, operation, exc)
            return fallback
        self.outage.answered(self._location)
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("add", False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guarded("get", default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guarded("set", None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded("delete", False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guarded("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guarded("has_key", False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._guarded("incr", missing, super().incr, key, delta, version)
        if result is missing:
            raise CacheUnavailableError(f"cache unavailable ({self.outage.error})")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set_many", list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        self._guarded("delete_many", None, super().delete_many, keys, version)

    def clear(self):
        return self._guarded("clear", False, super().clear)

    def probe(self) -> None:
        """A round trip that ignores the outage window (for /readyz); raises if down."""
        try:
            self._cache.get_client(write=True).ping()
        except UNAVAILABLE as exc:
            self.outage.failed(self._location, "ping", exc)
            raise
        self.outage.answered(self._location)


def cache_status(cache) -> dict[str, object]:
    """{"bypassed": bool, "since": unix time or None, "error": class name} for a cache
    that fails open; an empty dict for any other backend."""
    outage = getattr(cache, "outage", None)
    if outage is None:
        return {}
    return {"bypassed": outage.since is not None, "since": outage.since, "error": outage.error}
