"""Celery tasks for media (queue "media": CELERY_TASK_ROUTES sends them there, so a
long video transfer never delays lead delivery). Thin: load ids, call a service.

Retry policy: S3 throttling, 5xx answers and connection failures (transfers.is_transient)
are retried with exponential backoff and jitter, up to MEDIA_TASK_MAX_RETRIES; any other
error fails at once. Every task is idempotent, so a retry after a half-done attempt
finishes the work without duplicating it.
"""

from __future__ import annotations

import logging
import random
from functools import wraps
from pathlib import Path

from celery import shared_task
from django.conf import settings

from agency_platform.media import practice_media, services, transfers, video

logger = logging.getLogger(__name__)


def backoff_seconds(retries: int) -> float:
    """1, 2, 4, 8 … seconds (MEDIA_TASK_BACKOFF_BASE), capped, with up to 50 % jitter."""
    base = getattr(settings, "MEDIA_TASK_BACKOFF_BASE", 1.0)
    cap = getattr(settings, "MEDIA_TASK_BACKOFF_MAX", 300.0)
    delay = min(cap, base * (2**retries))
    return delay * (1 + random.random() / 2)  # noqa: S311 - jitter, not security


def retry_on_storage_errors(on_give_up=None):
    """Retry the task on transient S3 errors; call `on_give_up(*args, reason)` when
    the retries are exhausted or the error is permanent."""

    def decorate(function):
        @wraps(function)
        def run(self, *args, **kwargs):
            try:
                return function(self, *args, **kwargs)
            except Exception as exc:
                limit = getattr(settings, "MEDIA_TASK_MAX_RETRIES", 8)
                if transfers.is_transient(exc) and self.request.retries < limit:
                    countdown = backoff_seconds(self.request.retries)
                    logger.warning(
                        "media task %s: transient storage error %s, retry %s in %.1fs",
                        self.name, type(exc).__name__, self.request.retries + 1, countdown,
                    )  # fmt: skip
                    raise self.retry(exc=exc, countdown=countdown) from None
                if on_give_up is not None:
                    on_give_up(*args, f"{type(exc).__name__}: {exc}"[:300])
                raise

        return run

    return decorate


def _renditions_failed(image_id: int, origin: str | None = None, reason: str = "") -> None:
    services.mark_failed(image_id, reason or str(origin))


@shared_task(bind=True, acks_late=True, max_retries=None)
@retry_on_storage_errors(on_give_up=lambda image_id, *rest: _renditions_failed(image_id, *rest))
def generate_renditions(self, image_id: int, origin: str | None = None) -> list[str]:
    return services.generate_renditions(image_id, origin)


@shared_task(bind=True, acks_late=True, max_retries=None)
@retry_on_storage_errors()
def make_video_poster(self, document_id: int) -> int:
    return video.make_poster(document_id).pk


@shared_task(bind=True, acks_late=True, max_retries=None)
@retry_on_storage_errors()
def upload_video(self, path: str, collection_id: int, title: str) -> int:
    from wagtail.models import Collection

    collection = Collection.objects.get(pk=collection_id)
    document = video.store_video(Path(path), collection=collection, title=title)
    make_video_poster.delay(document.pk)
    return document.pk


@shared_task(bind=True, acks_late=True, max_retries=None)
@retry_on_storage_errors()
def move_practice_media(self, old_slug: str, new_slug: str) -> dict:
    report = practice_media.move_practice_media(old_slug, new_slug)
    return {"copied": report.copied, "rows": report.rows, "deleted": report.deleted}


@shared_task(bind=True, acks_late=True, max_retries=None)
@retry_on_storage_errors()
def delete_practice_media(self, slug: str) -> int:
    return practice_media.delete_practice_media(slug)
