"""Which requests may use the page cache, and their keys.

An entry is stored under a key made of scheme + host + path + the query parameters
that change a page (PAGE_CACHE_KEY_PARAMS), and records the practice's generation
(core.freshness) at the time it was stored.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import HttpRequest

PREFIX = "pagecache:v1"
# Paths that are never practice pages, or are per user: admin, previews (under
# /admin/), documents (may be private), APIs and form posts.
BYPASS_PREFIXES = ("/admin/", "/django-admin/", "/static/", "/media/", "/documents/", "/api/")


def hostname_of(request: HttpRequest) -> str | None:
    """The request's hostname as host routing sees it, or None when it is not allowed."""
    try:
        host = request.get_host()
    except Exception:  # DisallowedHost: let the normal stack answer it
        return None
    return host.rsplit(":", 1)[0].lower().rstrip(".")


def cacheable_query(query_string: str) -> str | None:
    """The normalised query for the key, or None when the request must bypass the
    cache (an unknown parameter, or a repeated key parameter)."""
    if not query_string:
        return ""
    key_params = settings.PAGE_CACHE_KEY_PARAMS
    ignored = settings.PAGE_CACHE_IGNORED_PARAMS
    kept: dict[str, str] = {}
    for name, value in parse_qsl(query_string, keep_blank_values=True):
        if name in ignored:
            continue
        if name not in key_params or name in kept:
            return None
        kept[name] = value
    return urlencode(sorted(kept.items()))


def request_is_cacheable(request: HttpRequest) -> bool:
    """Cheap checks that need no database: anonymous GET/HEAD of a public path."""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path_info.startswith(BYPASS_PREFIXES):
        return False
    # A session cookie means a possibly logged-in user (editor, or a visitor who
    # unlocked a password-protected page): never serve them a shared page.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    # A pending flash message (cookie storage) is shown by the next rendered page.
    if "messages" in request.COOKIES:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def entry_key(request: HttpRequest, hostname: str, query: str) -> str:
    # The full host (with port) and scheme: http and https pages carry different
    # absolute URLs (canonical links, feeds).
    raw = f"{request.scheme}://{request.get_host().lower()}{request.path}?{query}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:40]
    return f"{PREFIX}:page:{hostname}:{digest}"
