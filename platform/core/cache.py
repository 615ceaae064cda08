"""Django's Redis cache backend, with its client built once instead of per call.

`django.core.cache.backends.redis.RedisCacheClient.get_client` builds a new
`redis.Redis` for every cache operation. That constructor fills a table of ~170
response callbacks each time, and a public page makes about ten cache calls (host,
site bundle, renditions, rendered Markdown...): measured as the largest item of the
Redis side of an uncached page. A `redis.Redis` is thread-safe and owns no
connection itself (its pool does), so one per pool is enough.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

from agency_platform.core import private_apis


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


class RedisCache(DjangoRedisCache):
    """Drop-in for `django.core.cache.backends.redis.RedisCache` (same OPTIONS)."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        private_apis.set_redis_cache_client_class(self, ReusedClientRedisCacheClient)
