"""Reads for practices: host routing lookups and the agency dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Func, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone
from wagtail.models import Page, Site

from agency_platform.core import freshness
from practices.models import Practice, PracticeHostname, PracticeStatus

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


def _count(queryset: QuerySet) -> Coalesce:
    """COUNT(*) of a correlated subquery, 0 when empty."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def practice_dashboard_rows(queryset: QuerySet[Practice] | None = None) -> QuerySet[Practice]:
    """Practices with the agency dashboard's figures, in a constant number of queries
    whatever the number of practices (one for the rows, one for all aliases)."""
    from blog.models import BlogPostPage
    from demo_requests.models import Lead

    in_tree = {"path__startswith": OuterRef("site__root_page__path")}
    now = timezone.now()
    pages = Page.objects.filter(**in_tree)
    recent_posts = BlogPostPage.objects.live().filter(
        **in_tree, date__gte=now - timedelta(days=30), date__lte=now
    )
    leads = Lead.objects.filter(practice=OuterRef("pk"))
    last_edit = pages.filter(latest_revision_created_at__isnull=False).order_by(
        "-latest_revision_created_at"
    )
    queryset = Practice.objects.all() if queryset is None else queryset
    return (
        queryset.select_related("site")
        .prefetch_related("aliases")
        .annotate(
            page_count=_count(pages),
            posts_last_30_days=_count(recent_posts),
            leads_last_30_days=_count(leads.filter(created_at__gte=now - timedelta(days=30))),
            leads_awaiting_delivery=_count(leads.filter(status=Lead.Status.PENDING)),
            leads_failed=_count(leads.filter(status=Lead.Status.FAILED)),
            last_edited_at=Subquery(last_edit.values("latest_revision_created_at")[:1]),
        )
    )
