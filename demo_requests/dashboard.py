"""Lead columns on the agency's practices dashboard (practices.dashboard).

Each is a count over the practice's leads through the (practice, status, created_at)
index: a few index entries per practice, whatever the number of practices."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Expression, OuterRef, QuerySet
from django.utils import timezone

from practices.dashboard import DashboardColumn, count_of, register_column

RECENT_DAYS = 30


def _leads(**lookup) -> QuerySet:
    from demo_requests.models import Lead

    return Lead.objects.filter(practice=OuterRef("pk"), **lookup)


def leads_last_30_days() -> Expression:
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    return count_of(_leads(created_at__gte=since))


def leads_awaiting_delivery() -> Expression:
    from demo_requests.models import Lead

    return count_of(_leads(status=Lead.Status.PENDING))


def leads_failed() -> Expression:
    from demo_requests.models import Lead

    return count_of(_leads(status=Lead.Status.FAILED))


def register_dashboard_columns() -> None:
    for order, (name, label, annotation) in enumerate(
        [
            ("leads_last_30_days", "Leads (30 days)", leads_last_30_days),
            ("leads_awaiting_delivery", "Awaiting delivery", leads_awaiting_delivery),
            ("leads_failed", "Failed delivery", leads_failed),
        ],
        start=30,
    ):
        register_column(DashboardColumn(name, label, annotation, order=order))
