"""What routing found for a path (practices.routing), kept while its practice is
unchanged: under the practice's generation (core.freshness), read once per request.

It pays where the page cache does not answer: pages it cannot store (a form page
holds the visitor's CSRF token) and visitors it does not serve (logged-in editors
viewing their site). Listings, feeds and a post's surroundings were kept here too
until `infra/bench/fragments.py` showed that under the benchmark's page mix they were
never read when the page entry had missed (see README, "Cache layers").

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
from django.http import HttpRequest

from agency_platform.core import freshness

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
) -> T:
    """`compute()`, from the cache while the request's practice has not changed.

    `keep(value)` may refuse to store a value (a 404 is not worth a cache entry: any
    made-up URL would add one)."""
    host_entry = getattr(request, "host_entry", None)
    if host_entry is None or getattr(request, "is_preview", False):
        return compute()
    hostname = host_entry.canonical_host
    key = f"fragment:v2:{models_digest()}:{hostname}:{name}"
    timeout = settings.PAGE_CACHE_TIMEOUT
    return freshness.kept(request, hostname, key, compute, timeout=timeout, keep=keep)
