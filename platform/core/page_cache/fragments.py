"""Data a page computes from the rest of its practice, kept while that practice is
unchanged.

A blog post page shows its related posts and its neighbours: queries over the whole
blog that are the same for every visitor and change only when a post of the practice
does. They are kept like page-cache entries (page_cache.keys): each records the
generation of the practice's hostname it was computed under, and is fetched together
with that generation in one round trip (MGET). Every invalidation of the practice
(page_cache.invalidation: publish, unpublish, move, delete, settings, team...) bumps
the generation, at once and again after commit, so an entry stops matching exactly
when a cached page would. The page cache serves whole pages to anonymous visitors;
this serves the parts to everything the page cache cannot (editors browsing with a
session, a page whose entry expired or was evicted while the practice did not change).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from agency_platform.core.page_cache import keys

T = TypeVar("T")


def for_practice(request: HttpRequest, name: str, compute: Callable[[], T]) -> T:
    """`compute()`, from the cache while the request's practice has not changed."""
    host_entry = getattr(request, "host_entry", None)
    if host_entry is None or getattr(request, "is_preview", False):
        return compute()
    hostname = host_entry.canonical_host
    generation_key = keys.generation_key(hostname)
    entry_key = f"{keys.PREFIX}:fragment:{hostname}:{name}"
    found = cache.get_many([generation_key, entry_key])
    generation, entry = found.get(generation_key), found.get(entry_key)
    if generation is not None and entry is not None and entry[0] == generation:
        return entry[1]
    if generation is None:
        generation = keys.ensure_generation(hostname)
    value = compute()
    cache.set(entry_key, (generation, value), timeout=settings.PAGE_CACHE_TIMEOUT)
    return value
