"""The blog's column on the agency's practices dashboard (practices.dashboard)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Expression
from django.utils import timezone

from practices.dashboard import DashboardColumn, count_of, in_practice_tree, register_column

RECENT_DAYS = 30


def posts_last_30_days() -> Expression:
    from blog.models import BlogPostPage

    now = timezone.now()
    recent = BlogPostPage.objects.live().filter(
        in_practice_tree(), date__gte=now - timedelta(days=RECENT_DAYS), date__lte=now
    )
    return count_of(recent)


def register_dashboard_columns() -> None:
    register_column(
        DashboardColumn("posts_last_30_days", "Posts (30 days)", posts_last_30_days, order=20)
    )
