"""Liveness and readiness probes.

/healthz says the process answers. /readyz checks the database, the cache (Redis) and
the Celery broker. Only the database is required: without it a request can neither
be served nor a lead stored, so /readyz returns 503 naming it and an orchestrator stops
routing traffic here. The cache fails open (agency_platform.core.cache: misses, the
request form's rate limits counted in the process) and leads wait in the outbox while
the broker is away, so either one down is reported as `degraded` with a 200: a 503
there would take every web process out of the load balancer at once (they share the
Redis) and refuse the very leads that the fallbacks keep.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from agency_platform.core.cache import cache_status

logger = logging.getLogger(__name__)


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    if hasattr(cache, "probe"):  # the fail-open backend: a real round trip, not a miss
        cache.probe()
        return
    key = "readyz:probe"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return the value just written")


def _check_broker() -> None:
    from agency_platform.celery_app import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, timeout=2)


# Dependencies whose failure degrades this process without making it unready.
OPTIONAL = frozenset({"cache", "broker"})

CHECKS: dict[str, Callable[[], None]] = {
    "database": _check_database,
    "cache": _check_cache,
    "broker": _check_broker,
}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict[str, object]] = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            check()
        except Exception as exc:  # any failure means "not ready"; the type says which
            logger.warning("readiness check failed: %s: %s", name, type(exc).__name__)
            results[name] = {"ok": False, "error": type(exc).__name__}
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    down = [name for name, result in results.items() if not result["ok"]]
    failing = [name for name in down if name not in OPTIONAL]
    degraded = [name for name in down if name in OPTIONAL]
    status = "unavailable" if failing else "degraded" if degraded else "ok"
    if "cache" in results:
        results["cache"].update(cache_status(cache))
    body = {"status": status, "failing": failing, "degraded": degraded, "checks": results}
    return JsonResponse(body, status=503 if failing else 200)
