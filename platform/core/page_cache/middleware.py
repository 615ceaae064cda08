"""PageCacheMiddleware: answers anonymous visitors from Redis before any other work.

Placed after the header middleware (security headers and CSP are still added to hits)
and before PracticeHostMiddleware, sessions and auth, so that a hit costs one Redis
round trip (MGET of the entry and its practice's generations: core.freshness) and no
database query.

A miss runs the normal stack. The response is stored only when it is the same for
every visitor: status 200, an HTML/XML/feed body, no cookie set, no CSRF token used,
no private/no-cache/no-store directive, no Vary other than Cookie/Accept-Encoding, and
a practice host (request.host_entry set by host routing). The request is marked
(`request.page_cache_candidate`) while the view runs, so that templates leave
per-visitor values out (see demo_requests' embedded form and its token endpoint).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from agency_platform.core import freshness
from agency_platform.core.page_cache import keys

CANDIDATE_ATTR = "page_cache_candidate"
CACHEABLE_TYPES = (
    "text/html",
    "application/xml",
    "text/xml",
    "application/rss+xml",
    "application/atom+xml",
)
# Headers kept with an entry; everything else is either recomputed on a hit or added
# by the outer middleware (security headers, CSP, request id).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Link", "X-Robots-Tag")
_BLOCKING_DIRECTIVES = ("private", "no-cache", "no-store")


def is_candidate(request: HttpRequest | None) -> bool:
    """True while rendering a response that may be shared between visitors."""
    return bool(request is not None and getattr(request, CANDIDATE_ATTR, False))


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.PAGE_CACHE_ENABLED or not keys.request_is_cacheable(request):
            return self._bypass(request)
        hostname = keys.hostname_of(request)
        query = keys.cacheable_query(request.META.get("QUERY_STRING", ""))
        if hostname is None or query is None:
            return self._bypass(request)
        entry_key = keys.entry_key(request, hostname, query)
        generation, found = freshness.read(request, hostname, entry_key)
        entry = found.get(entry_key)
        if entry is not None and entry["generation"] == generation:
            return _from_entry(request, entry, "HIT")
        setattr(request, CANDIDATE_ATTR, True)
        response = self.get_response(request)
        setattr(request, CANDIDATE_ATTR, False)
        if not _storable(request, response):
            _mark_private_if_personal(request, response)
            return response
        entry = _make_entry(request, response, generation)
        timeout = settings.PAGE_CACHE_TIMEOUT
        if entry["expires_at"] is not None:
            timeout = max(1, min(timeout, int(entry["expires_at"] - time.time())))
        cache.set(entry_key, entry, timeout=timeout)
        return _from_entry(request, entry, "MISS")

    def _bypass(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        _mark_private_if_personal(request, response)
        return response


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(request, "host_entry", None) is None:
        return False  # not a practice page (unknown host, alias redirect, admin...)
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False  # the body holds this visitor's CSRF token
    content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    if content_type not in CACHEABLE_TYPES:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(directive in cache_control for directive in _BLOCKING_DIRECTIVES):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if vary - {"cookie", "accept-encoding"}:
        return False
    return len(response.content) <= settings.PAGE_CACHE_MAX_BODY_BYTES


def _last_modified(response: HttpResponse) -> float:
    """The page's last publication, else now (feeds, sitemaps, routes without a page)."""
    context = getattr(response, "context_data", None) or {}
    page = context.get("page") if isinstance(context, dict) else None
    published = getattr(page, "last_published_at", None)
    if isinstance(published, datetime):
        return published.timestamp()
    return datetime.now(UTC).timestamp()


def _make_entry(request: HttpRequest, response: HttpResponse, generation: tuple) -> dict:
    body = response.content
    practice_id = request.host_entry.practice_id
    fresh_for = freshness.fresh_for_of(request)
    hostname = request.host_entry.canonical_host
    return {
        "generation": generation,
        "body": body,
        "headers": [(name, response[name]) for name in KEPT_HEADERS if name in response],
        "etag": '"' + hashlib.sha256(body).hexdigest()[:32] + '"',
        "last_modified": _last_modified(response),
        "surrogate_keys": freshness.edge_keys(practice_id, hostname),
        # Set when the page shows something that time alone changes (freshness.fresh_for).
        "expires_at": None if fresh_for is None else time.time() + fresh_for,
    }


def cache_control(expires_at: float | None = None) -> str:
    """Shared caches keep a page until a purge or s-maxage; one that time will change
    (`expires_at`) no longer than that, and is not served stale after it."""
    if expires_at is not None:
        left = max(0, int(expires_at - time.time()))
        browser = min(settings.PAGE_CACHE_BROWSER_MAX_AGE, left)
        shared = min(settings.PAGE_CACHE_CDN_MAX_AGE, left)
        # An explicit 0: without it Varnish applies its default grace (10 s).
        return f"public, max-age={browser}, s-maxage={shared}, stale-while-revalidate=0"
    return (
        f"public, max-age={settings.PAGE_CACHE_BROWSER_MAX_AGE}, "
        f"s-maxage={settings.PAGE_CACHE_CDN_MAX_AGE}, "
        f"stale-while-revalidate={settings.PAGE_CACHE_STALE_WHILE_REVALIDATE}"
    )


def _from_entry(request: HttpRequest, entry: dict, status: str) -> HttpResponse:
    response = HttpResponse(entry["body"])
    for name, value in entry["headers"]:
        response[name] = value
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["last_modified"])
    response["Cache-Control"] = cache_control(entry.get("expires_at"))
    response["Surrogate-Key"] = " ".join(entry["surrogate_keys"])
    response["Cache-Tag"] = ",".join(entry["surrogate_keys"])
    response["X-Cache"] = status
    conditional = get_conditional_response(
        request,
        etag=entry["etag"],
        last_modified=int(entry["last_modified"]),
        response=response,
    )
    conditional["X-Cache"] = status
    return conditional


def _mark_private_if_personal(request: HttpRequest, response: HttpResponse) -> None:
    """A response made for a session (an editor, a visitor who unlocked a page) must
    not be kept by a CDN or proxy in front: say so when the view did not."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES and "Cache-Control" not in response:
        response["Cache-Control"] = "private, no-cache"
