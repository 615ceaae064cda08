"""Imported by Wagtail at start-up in every process (web, worker, commands): connects
the page cache's invalidation receivers, so publishes made by Celery workers (scheduled
publishing, syndication) invalidate cached pages too."""

from agency_platform.core.page_cache import invalidation  # noqa: F401
