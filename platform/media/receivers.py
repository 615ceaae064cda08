"""Signal receivers that enqueue background media work once the transaction commits.

- a new image (admin upload, importer, demo loader, poster): its public renditions;
  a creator may set `image._media_origin` ("blog_import", "team_photo",
  "video_poster") before saving to get only the renditions that use needs;
- a new video document: its poster image.

(A practice whose slug changed has its objects moved to the new prefix by
practices/media_tenancy.py, which calls `services.schedule_practice_move`.)

Connected by `connect()` from MediaConfig.ready(), in every process (web, worker,
management commands), like every receiver of the project.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save

from agency_platform.media import services


def image_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw and instance.file:
        services.schedule_renditions(instance, getattr(instance, "_media_origin", None))


def document_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    from agency_platform.media.video import is_video

    if created and not raw and instance.file and is_video(instance):
        document_id = instance.pk

        def enqueue() -> None:
            from agency_platform.media.tasks import make_video_poster

            make_video_poster.delay(document_id)

        transaction.on_commit(enqueue)


def connect() -> None:
    images, documents = settings.WAGTAILIMAGES_IMAGE_MODEL, settings.WAGTAILDOCS_DOCUMENT_MODEL
    post_save.connect(image_saved, sender=images, dispatch_uid="media-renditions")
    post_save.connect(document_saved, sender=documents, dispatch_uid="media-poster")
