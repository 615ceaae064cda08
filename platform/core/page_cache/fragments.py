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

Entries may hold model instances (pickled). Their keys carry a digest of every model's
fields and of the Django and Wagtail versions, so a release that changes a model never
unpickles instances written by the one before it.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import TypeVar

import django
import wagtail
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from agency_platform.core.page_cache import keys

T = TypeVar("T")


@functools.cache
def models_digest() -> str:
    """Changes whenever a model gains, loses or renames a field, or Django or Wagtail
    changes version: what a pickled instance depends on."""
    parts = [django.__version__, wagtail.__version__]
    for model in sorted(apps.get_models(), key=lambda model: model._meta.label):
        fields = ",".join(field.attname for field in model._meta.concrete_fields)
        parts.append(f"{model._meta.label}:{fields}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def for_practice(
    request: HttpRequest,
    name: str,
    compute: Callable[[], T],
    keep: Callable[[T], bool] | None = None,
    lifetime: Callable[[T], int | None] | None = None,
) -> T:
    """`compute()`, from the cache while the request's practice has not changed.

    `keep(value)` may refuse to store a value (a 404 is not worth a cache entry: any
    made-up URL would add one). `lifetime(value)` may shorten the entry's life below
    PAGE_CACHE_TIMEOUT, for a value that time alone will change (a listing with a
    future-dated post)."""
    host_entry = getattr(request, "host_entry", None)
    if host_entry is None or getattr(request, "is_preview", False):
        return compute()
    hostname = host_entry.canonical_host
    generation_key = keys.generation_key(hostname)
    entry_key = f"{keys.PREFIX}:fragment:{models_digest()}:{hostname}:{name}"
    found = cache.get_many([generation_key, entry_key])
    generation, entry = found.get(generation_key), found.get(entry_key)
    if generation is not None and entry is not None and entry[0] == generation:
        return entry[1]
    if generation is None:
        generation = keys.ensure_generation(hostname)
    value = compute()
    if keep is not None and not keep(value):
        return value
    timeout = settings.PAGE_CACHE_TIMEOUT
    if lifetime is not None and (seconds := lifetime(value)) is not None:
        timeout = min(timeout, seconds)
    cache.set(entry_key, (generation, value), timeout=timeout)
    return value
