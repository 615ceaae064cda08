"""Compare the database with the buckets: files rows point at that are not stored
(missing) and stored objects no row points at (orphans); repair what can be repaired.

Repair re-creates what can be re-created (a missing rendition: its row is dropped and
the image's renditions are enqueued again) and deletes orphans older than
MEDIA_ORPHAN_GRACE_SECONDS (a younger orphan may be an upload whose row is still being
written). A missing original or document cannot be re-created: it stays a problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from agency_platform.media import status, transfers
from agency_platform.media.keys import practice_prefix
from agency_platform.media.storage import document_storage

DEFAULT_GRACE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class MissingFile:
    kind: str  # "image", "rendition", "document"
    pk: int
    key: str
    image_id: int | None = None  # for renditions

    def describe(self) -> str:
        owner = f" of image {self.image_id}" if self.image_id else ""
        return f"missing: {self.kind} {self.pk}{owner}: {self.key}"


@dataclass(frozen=True)
class Orphan:
    key: str
    size: int
    age: timedelta
    storage: Storage = field(compare=False, repr=False, default=None)

    def describe(self) -> str:
        return f"orphan: {self.key} ({self.size} bytes, {int(self.age.total_seconds())} s old)"


@dataclass
class AuditReport:
    missing: list[MissingFile] = field(default_factory=list)
    orphans: list[Orphan] = field(default_factory=list)
    failed_images: list[int] = field(default_factory=list)  # background renditions failed
    checked_rows: int = 0
    checked_objects: int = 0
    # filled by repair()
    renditions_requeued: int = 0
    orphans_deleted: list[str] = field(default_factory=list)
    remaining: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        failed = [f"renditions failed: image {pk}" for pk in self.failed_images]
        return [item.describe() for item in [*self.missing, *self.orphans]] + failed


@dataclass
class _Source:
    storage: Storage
    models: list[tuple[str, object]]  # (kind, queryset)


def _sources() -> list[_Source]:
    """Each distinct storage with the rows whose files live in it."""
    image_model = get_image_model()
    rendition_model = image_model.renditions.rel.related_model
    by_identity: dict[tuple, _Source] = {}
    for kind, queryset, storage in (
        ("image", image_model.objects.all(), default_storage),
        ("rendition", rendition_model.objects.all(), default_storage),
        ("document", get_document_model().objects.all(), document_storage),
    ):
        identity = (
            ("s3", storage.bucket_name) if transfers.is_s3(storage) else ("fs", storage.location)
        )
        source = by_identity.setdefault(identity, _Source(storage, []))
        source.models.append((kind, queryset))
    return list(by_identity.values())


def audit_media(
    practice_slug: str | None = None, progress: Callable[[Iterable], Iterable] = iter
) -> AuditReport:
    """Everything under one practice's prefix, or the whole media when no slug."""
    prefix = practice_prefix(practice_slug) if practice_slug else ""
    report = AuditReport()
    now = timezone.now()
    for source in _sources():
        objects = {obj.key: obj for obj in progress(transfers.list_objects(source.storage, prefix))}
        report.checked_objects += len(objects)
        referenced: set[str] = set()
        for kind, queryset in source.models:
            rows = queryset.exclude(file="")
            if prefix:
                rows = rows.filter(file__startswith=prefix)
            fields = ["pk", "file", "image_id"] if kind == "rendition" else ["pk", "file"]
            for values in progress(rows.values_list(*fields).iterator()):
                pk, key = values[0], values[1]
                report.checked_rows += 1
                referenced.add(key)
                if key not in objects:
                    image_id = values[2] if kind == "rendition" else None
                    report.missing.append(MissingFile(kind, pk, key, image_id))
        for key, obj in objects.items():
            if key in referenced or (prefix and _referenced_elsewhere(source, key)):
                continue
            report.orphans.append(Orphan(key, obj.size, now - obj.modified, source.storage))
    report.failed_images = _failed_images(prefix)
    return report


def _failed_images(prefix: str) -> list[int]:
    """Images whose background renditions gave up (state kept in the cache)."""
    images = get_image_model().objects.all()
    if prefix:
        images = images.filter(file__startswith=prefix)
    ids = list(images.values_list("pk", flat=True))
    return [pk for pk in ids if (status.get_state(pk) or {}).get("state") == status.FAILED]


def _referenced_elsewhere(source: _Source, key: str) -> bool:
    """A row outside the audited prefix may still point at the key (moved collection)."""
    return any(queryset.filter(file=key).exists() for _kind, queryset in source.models)


def grace_period() -> timedelta:
    return timedelta(seconds=getattr(settings, "MEDIA_ORPHAN_GRACE_SECONDS", DEFAULT_GRACE_SECONDS))


def repair(report: AuditReport) -> AuditReport:
    """Re-enqueue missing renditions, delete orphans past the grace period; what
    cannot be repaired goes to `report.remaining`."""
    from agency_platform.media.tasks import generate_renditions

    rendition_model = get_image_model().renditions.rel.related_model
    images: set[int] = set()
    for item in report.missing:
        if item.kind == "rendition":
            rendition_model.objects.filter(pk=item.pk).delete()
            images.add(item.image_id)
        else:
            report.remaining.append(item.describe() + " (cannot be re-created: upload it again)")
    images.update(report.failed_images)
    for image_id in sorted(images):
        status.set_state(image_id, status.PENDING)
        generate_renditions.delay(image_id, None)
    report.renditions_requeued = len(images)
    grace = grace_period()
    old_enough = [orphan for orphan in report.orphans if orphan.age >= grace]
    for orphan in report.orphans:
        if orphan.age < grace:
            report.remaining.append(orphan.describe() + f" (younger than the {grace} grace period)")
    by_storage: dict[int, tuple[Storage, list[str]]] = {}
    for orphan in old_enough:
        by_storage.setdefault(id(orphan.storage), (orphan.storage, []))[1].append(orphan.key)
    for storage, keys in by_storage.values():
        transfers.delete_objects(storage, keys)
        report.orphans_deleted.extend(keys)
    return report
