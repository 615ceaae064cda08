"""What makes a practice's pages stale, among media (core.freshness): a replaced
image (new rendition URLs), changed alt text, a deleted file. A new upload is shown
nowhere yet; the agency library's files may appear on any practice."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from agency_platform.core import freshness
from agency_platform.core.freshness import AGENCY, Stale
from agency_platform.core.tenancy import owner_of_collection

# Saves that only record background state (rendition status) change no page. The file
# hash is part of every rendition's cache key, so image objects kept between views
# (routing, a post's surroundings) must not outlive a new hash: Wagtail computes a
# missing one on first use and saves it alone, once per image.
_FIELDS_SHOWN = frozenset(
    {"file", "file_hash", "title", "description", "collection", "focal_point_x"}
    | {"focal_point_y", "focal_point_width", "focal_point_height"}
)


def _media_changed(instance, created: bool = False, update_fields=None, **kwargs):
    if created or (update_fields is not None and not _FIELDS_SHOWN & set(update_fields)):
        return None
    owner = owner_of_collection(instance.collection)
    return AGENCY if owner is None else freshness.for_practices({owner.practice_id})


RULES = [
    Stale(signal, _media_changed, model)
    for model in (get_image_model(), get_document_model())
    for signal in (post_save, post_delete)
]
