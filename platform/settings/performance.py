"""Performance settings: the full-page cache for anonymous visitors and the CDN purge hook.

Imported at the end of base.py (`from .performance import *`), so every environment
gets these defaults and may override them.
"""

from __future__ import annotations

import environ

env = environ.Env()

# --- Full-page cache (agency_platform.core.page_cache) -------------------------------
# Anonymous GET/HEAD responses of practice pages are kept in Redis (the default cache)
# and answered by PageCacheMiddleware before host routing, sessions and auth.
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=True)
# Seconds an entry lives in Redis. Invalidation is explicit (generation bump on every
# content change), so this only bounds what an unforeseen change path could leave stale.
PAGE_CACHE_TIMEOUT = env.int("PAGE_CACHE_TIMEOUT", default=60 * 60)
# Cache-Control sent with cached pages: a CDN keeps the page (s-maxage) because it is
# purged through CDN_PURGE_URL; browsers cannot be purged, so they revalidate every
# time (max-age=0: a cheap 304 from the ETag). A browser max-age would show an editor
# who logs in after browsing the site the pages as they were before their change.
PAGE_CACHE_BROWSER_MAX_AGE = env.int("PAGE_CACHE_BROWSER_MAX_AGE", default=0)
PAGE_CACHE_CDN_MAX_AGE = env.int("PAGE_CACHE_CDN_MAX_AGE", default=60 * 60)
PAGE_CACHE_STALE_WHILE_REVALIDATE = env.int("PAGE_CACHE_STALE_WHILE_REVALIDATE", default=30)
# Query parameters that change a page (pagination, blog search, team filters); they
# are part of the cache key. Tracking parameters are dropped from the key. A request
# with any other parameter is not cached at all, so unknown parameters can neither
# fragment the cache nor leak one visitor's variant to another.
PAGE_CACHE_KEY_PARAMS = ("page", "q", "role", "specialty", "language", "location")
PAGE_CACHE_IGNORED_PARAMS = (
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "gclid",
    "fbclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
)
# Largest body kept (bytes): huge pages are rare and not worth the Redis memory.
PAGE_CACHE_MAX_BODY_BYTES = env.int("PAGE_CACHE_MAX_BODY_BYTES", default=2 * 1024 * 1024)

# --- CDN purge hook ------------------------------------------------------------------
# When set, every page-cache invalidation POSTs {"keys": [...], "hosts": [...]} to this
# URL (Celery task, after commit, with retries). Empty: no purge requests.
CDN_PURGE_URL = env("CDN_PURGE_URL", default="")
# Sent as "Authorization: Bearer <token>" when set.
CDN_PURGE_TOKEN = env("CDN_PURGE_TOKEN", default="")
CDN_PURGE_TIMEOUT_SECONDS = env.float("CDN_PURGE_TIMEOUT_SECONDS", default=5)

# A request form posted from a cached page without JavaScript has no CSRF token: it is
# shown again with the visitor's input and fresh tokens (demo_requests.form_tokens).
CSRF_FAILURE_VIEW = "demo_requests.form_tokens.csrf_failure"
