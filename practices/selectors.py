"""Reads for practices: host routing lookups and the agency dashboard."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Expression, QuerySet, Subquery
from wagtail.models import Page, Site

from practices.dashboard import annotate_columns, count_of, in_practice_tree
from practices.models import Practice, PracticeHostname, PracticeStatus

HOST_GENERATION_KEY = "practices:host-generation"
_MISSING = "missing"


@dataclass(frozen=True)
class HostEntry:
    """What a request's hostname means: a practice's site, an alias of it, or nothing."""

    site_id: int
    practice_id: int | None
    status: str
    practice_name: str
    timezone: str
    canonical_host: str
    canonical_port: int
    is_alias: bool
    # The home page's schema.org type depends on it (a clinic, or the agency itself).
    specialty: str = ""

    @property
    def canonical_origin(self) -> str:
        scheme = "https" if self.canonical_port == 443 else "http"
        default = {"http": 80, "https": 443}[scheme]
        port = "" if self.canonical_port == default else f":{self.canonical_port}"
        return f"{scheme}://{self.canonical_host}{port}"


def _generation() -> int:
    generation = cache.get(HOST_GENERATION_KEY)
    if generation is None:
        cache.add(HOST_GENERATION_KEY, 1, timeout=None)
        generation = cache.get(HOST_GENERATION_KEY, 1)
    return generation


def invalidate_host_routing() -> None:
    """Every cached hostname entry becomes stale at once (new generation)."""
    try:
        cache.incr(HOST_GENERATION_KEY)
    except ValueError:
        cache.add(HOST_GENERATION_KEY, 2, timeout=None)


def _entry_for_site(site: Site, *, is_alias: bool) -> HostEntry:
    practice = getattr(site, "practice", None)
    return HostEntry(
        site_id=site.pk,
        practice_id=practice.pk if practice else None,
        status=practice.status if practice else PracticeStatus.LIVE,
        practice_name=practice.name if practice else site.site_name,
        timezone=practice.timezone if practice else settings.TIME_ZONE,
        canonical_host=site.hostname,
        canonical_port=site.port,
        is_alias=is_alias,
        specialty=practice.specialty if practice else "",
    )


def _load_host_entry(hostname: str) -> HostEntry | None:
    site = Site.objects.select_related("practice").filter(hostname=hostname).first()
    if site is not None:
        return _entry_for_site(site, is_alias=False)
    alias = (
        PracticeHostname.objects.select_related("practice__site__practice")
        .filter(hostname=hostname)
        .first()
    )
    if alias is not None:
        return _entry_for_site(alias.practice.site, is_alias=True)
    return None


def host_entry(hostname: str) -> HostEntry | None:
    """Cached lookup of a request hostname (lowercase, without port).

    The entry records the routing generation it was loaded under and is read together
    with the current generation in one round trip (MGET); a changed generation (any
    site, hostname or practice status change) makes every entry stale at once."""
    key = f"practices:host:v4:{hostname}"
    found = cache.get_many([HOST_GENERATION_KEY, key])
    generation, stored = found.get(HOST_GENERATION_KEY), found.get(key)
    if generation is not None and stored is not None and stored[0] == generation:
        return None if stored[1] == _MISSING else stored[1]
    if generation is None:
        generation = _generation()
    entry = _load_host_entry(hostname)
    cache.set(key, (generation, entry or _MISSING), timeout=settings.PRACTICE_HOST_CACHE_TIMEOUT)
    return entry


def page_count() -> Expression:
    return count_of(Page.objects.filter(in_practice_tree()))


def last_edited_at() -> Expression:
    edited = Page.objects.filter(in_practice_tree(), latest_revision_created_at__isnull=False)
    latest = edited.order_by("-latest_revision_created_at").values("latest_revision_created_at")
    return Subquery(latest[:1])


def practice_dashboard_rows(queryset: QuerySet[Practice] | None = None) -> QuerySet[Practice]:
    """Practices with the dashboard's figure columns (practices.dashboard: this app's
    page count and last edit, and whatever the feature apps register), in a constant
    number of queries whatever the number of practices (the rows, all aliases)."""
    queryset = Practice.objects.all() if queryset is None else queryset
    return annotate_columns(queryset.select_related("site").prefetch_related("aliases"))
