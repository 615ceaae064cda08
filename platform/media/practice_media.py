"""A practice's media as a whole: moved when its slug changes, removed when it is deleted.

Every file of a practice lives under ``practices/<slug>/`` (agency_platform.media.keys).
A slug change copies each object to the new prefix, points the row at the copy, and
only then deletes the old objects; every step checks what is already done, so a run
interrupted by an S3 failure is simply run again (the task retries it) and two runs
leave the same objects.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.files.storage import Storage, default_storage
from django.db import models, transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from agency_platform.media import transfers
from agency_platform.media.keys import practice_prefix
from agency_platform.media.storage import document_storage

logger = logging.getLogger(__name__)


@dataclass
class MoveReport:
    copied: int = 0
    rows: int = 0
    deleted: int = 0
    skipped: list[str] = field(default_factory=list)  # rows whose object is nowhere


def _file_querysets() -> list[tuple[models.QuerySet, Storage]]:
    """(rows with a `file` field, the storage their files live in) for every media model."""
    image_model = get_image_model()
    rendition_model = image_model.renditions.rel.related_model
    return [
        (image_model.objects.all(), default_storage),
        (rendition_model.objects.all(), default_storage),
        (get_document_model().objects.all(), document_storage),
    ]


def move_practice_media(old_slug: str, new_slug: str) -> MoveReport:
    """Move every object (and row) under practices/<old_slug>/ to practices/<new_slug>/."""
    old, new = practice_prefix(old_slug), practice_prefix(new_slug)
    report = MoveReport()
    if old == new:
        return report
    for queryset, storage in _file_querysets():
        for pk, name in queryset.filter(file__startswith=old).values_list("pk", "file"):
            target = new + name[len(old) :]
            if not transfers.exists(storage, target):
                if not transfers.exists(storage, name):
                    report.skipped.append(name)
                    continue
                transfers.copy_object(storage, name, target)
                report.copied += 1
            # One row at a time: a crash leaves each row pointing at an object that exists.
            with transaction.atomic():
                report.rows += queryset.filter(pk=pk, file=name).update(file=target)
    for storage in _storages():
        moved = [obj.key for obj in transfers.list_objects(storage, old)]
        still_used = _referenced(moved)
        doomed = [key for key in moved if key not in still_used]
        transfers.delete_objects(storage, doomed)
        report.deleted += len(doomed)
    logger.info(
        "practice media moved: %s -> %s copied=%s rows=%s deleted=%s",
        old_slug, new_slug, report.copied, report.rows, report.deleted,
    )  # fmt: skip
    return report


def delete_practice_media(slug: str) -> int:
    """Delete every object under practices/<slug>/ (rows are gone already); returns
    how many objects were deleted. Safe to run again."""
    deleted = 0
    for storage in _storages():
        keys = [obj.key for obj in transfers.list_objects(storage, practice_prefix(slug))]
        transfers.delete_objects(storage, keys)
        deleted += len(keys)
    logger.info("practice media deleted: slug=%s objects=%s", slug, deleted)
    return deleted


def _storages() -> list[Storage]:
    """The distinct storages (public and documents may be one bucket or two)."""
    unique: list[Storage] = []
    seen: set[tuple] = set()
    for storage in (default_storage, document_storage):
        identity = (storage.bucket_name,) if transfers.is_s3(storage) else (str(storage.location),)
        if identity not in seen:
            seen.add(identity)
            unique.append(storage)
    return unique


def _referenced(keys: Iterable[str]) -> set[str]:
    """Which of `keys` a row still points at (never delete those)."""
    keys = list(keys)
    used: set[str] = set()
    for queryset, _storage in _file_querysets():
        used.update(queryset.filter(file__in=keys).values_list("file", flat=True))
    return used
