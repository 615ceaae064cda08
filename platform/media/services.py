"""Background media work: renditions made ahead of page views, and the entry points
that enqueue it once the database transaction that created the file has committed
(a worker must never look for a row that is not there yet).

Tasks (agency_platform.media.tasks) are thin: they load ids, call these functions,
and own the retry policy.
"""

from __future__ import annotations

import logging

from django.db import transaction
from wagtail.images import get_image_model

from agency_platform.media import status
from agency_platform.media.renditions import specs_for_origin

logger = logging.getLogger(__name__)


def schedule_renditions(image, origin: str | None = None) -> None:
    """Make the image's public renditions in the background, after commit."""
    status.set_state(image.pk, status.PENDING)
    image_id = image.pk

    def enqueue() -> None:
        from agency_platform.media.tasks import generate_renditions

        generate_renditions.delay(image_id, origin)

    transaction.on_commit(enqueue)


def generate_renditions(image_id: int, origin: str | None = None) -> list[str]:
    """Create every missing public rendition of one image; returns the specs made.

    Idempotent: existing renditions are found in the database and kept, so a retry
    after a storage failure only makes the ones still missing."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:  # deleted before the worker got to it
        return []
    specs = specs_for_origin(origin)
    existing = set(image.renditions.values_list("filter_spec", flat=True))
    missing = [spec for spec in specs if spec not in existing]
    if missing:
        image.get_renditions(*missing)
    status.set_state(image.pk, status.READY)
    logger.info("renditions ready: image=%s made=%s", image.pk, len(missing))
    return missing


def mark_failed(image_id: int, reason: str) -> None:
    status.set_state(image_id, status.FAILED, reason)
    logger.warning("renditions failed: image=%s reason=%s", image_id, reason)


def schedule_practice_move(old_slug: str, new_slug: str) -> None:
    """Move a practice's objects to its new prefix, after the slug change commits."""

    def enqueue() -> None:
        from agency_platform.media.tasks import move_practice_media

        move_practice_media.delay(old_slug, new_slug)

    transaction.on_commit(enqueue)


def schedule_practice_media_deletion(slug: str) -> None:
    """Delete a deleted practice's objects, once the deletion has committed (a rolled
    back deletion keeps its files)."""

    def enqueue() -> None:
        from agency_platform.media.tasks import delete_practice_media

        delete_practice_media.delay(slug)

    transaction.on_commit(enqueue)
