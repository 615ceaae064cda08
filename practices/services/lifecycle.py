"""Suspending, archiving and deleting practices."""

from __future__ import annotations

import logging

from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import GroupApprovalTask, Page, Workflow

from agency_platform.media.services import schedule_practice_media_deletion
from practices.models import Practice, PracticeStatus

logger = logging.getLogger(__name__)


class LifecycleError(Exception):
    pass


def set_status(practice: Practice, status: str) -> Practice:
    """Suspended and archived practices answer 503; their data is untouched."""
    if status not in PracticeStatus.values:
        raise LifecycleError(f"status: unknown status '{status}'.")
    practice.status = status
    practice.save(update_fields=["status", "updated_at"])
    logger.info("practice status changed: id=%s status=%s", practice.pk, status)
    return practice


@transaction.atomic
def delete_practice(practice: Practice, *, confirm_slug: str) -> None:
    """Remove a practice and everything it owns. Only archived practices, and only
    when the caller repeats the slug: deletion is explicit and cannot be undone."""
    if confirm_slug != practice.slug:
        raise LifecycleError(f"confirm: type the slug '{practice.slug}' to confirm deletion.")
    if practice.status != PracticeStatus.ARCHIVED:
        raise LifecycleError("status: archive the practice before deleting it.")
    site, collection = practice.site, practice.collection
    home = Page.objects.get(pk=site.root_page_id)
    groups = [practice.editors_group, practice.moderators_group]
    workflows = Workflow.objects.filter(workflow_pages__page=home)
    tasks = GroupApprovalTask.objects.filter(groups__in=groups)
    practice.delete()
    site.delete()
    workflows.delete()
    tasks.delete()
    home.delete()
    # Wagtail removes the files of deleted images and documents once this commits.
    get_image_model().objects.filter(collection__path__startswith=collection.path).delete()
    get_document_model().objects.filter(collection__path__startswith=collection.path).delete()
    collection.delete()
    for group in groups:
        group.delete()
    # Everything left under practices/<slug>/ (renditions, orphans) goes after commit.
    schedule_practice_media_deletion(practice.slug)
    logger.info("practice deleted: slug=%s", practice.slug)
