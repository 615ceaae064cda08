"""Reads for practices: host routing lookups and the agency dashboard."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Expression, QuerySet, Subquery
from django.http import HttpRequest
from wagtail.models import Page, Site

from agency_platform.core import freshness
from practices.dashboard import annotate_columns, count_of, in_practice_tree
from practices.models import PATIENTS, Practice, PracticeHostname, PracticeStatus, audience_for

# Re-exported: the appointment form and the locations block read them from here.
from practices.places_selectors import (  # noqa: F401
    location_choices,
    location_choices_under,
)

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
    def audience(self) -> str:
        return audience_for(self.specialty) if self.practice_id else PATIENTS

    @property
    def canonical_origin(self) -> str:
        scheme = "https" if self.canonical_port == 443 else "http"
        default = {"http": 80, "https": 443}[scheme]
        port = "" if self.canonical_port == default else f":{self.canonical_port}"
        return f"{scheme}://{self.canonical_host}{port}"


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


def host_entry(hostname: str, request: HttpRequest | None = None) -> HostEntry | None:
    """Cached lookup of a request hostname (lowercase, without port), kept under the
    hostname's generation (core.freshness: a site, alias or practice change bumps it)."""
    found = freshness.kept(
        request,
        hostname,
        f"practices:host:v4:{hostname}",
        lambda: _load_host_entry(hostname) or _MISSING,
        timeout=settings.PRACTICE_HOST_CACHE_TIMEOUT,
    )
    return None if found == _MISSING else found


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
