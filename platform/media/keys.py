"""Object keys: every file of a practice lives under ``practices/<slug>/``.

    practices/<slug>/original_images/<name>
    practices/<slug>/images/<original hash>/<name>      renditions (content-addressed)
    practices/<slug>/documents/<name>
    practices/<slug>/videos/<name>                       mp4 / webm documents

Files of the agency library (collections outside any practice) live under ``agency/``.
The prefix is read from the practice that owns the file's collection (or one of its
ancestors; asked through `agency_platform.core.tenancy`), so a file moved between
collections keeps its key until ``move_practice_media`` or ``media_audit`` rewrites it.
"""

from __future__ import annotations

import posixpath

from wagtail.models import Collection

from agency_platform.core.tenancy import owner_of_collection

AGENCY_PREFIX = "agency/"
PRACTICES_ROOT = "practices/"
VIDEO_EXTENSIONS = frozenset({".mp4", ".webm"})


def practice_prefix(slug: str) -> str:
    return f"{PRACTICES_ROOT}{slug}/"


def media_prefix(collection: Collection | None) -> str:
    """The key prefix of files in ``collection``: its practice's, or the agency's."""
    owner = owner_of_collection(collection)
    return practice_prefix(owner.slug) if owner else AGENCY_PREFIX


def original_image_key(collection: Collection | None, relative: str) -> str:
    """``relative`` is Wagtail's own ``original_images/<name>``."""
    return media_prefix(collection) + relative


def rendition_key(collection: Collection | None, file_hash: str, filename: str) -> str:
    # The original's content hash makes the key change whenever the original does,
    # which is what allows year-long caching of renditions.
    return f"{media_prefix(collection)}images/{file_hash[:16] or 'nohash'}/{filename}"


def document_key(collection: Collection | None, filename: str) -> str:
    extension = posixpath.splitext(filename)[1].lower()
    folder = "videos" if extension in VIDEO_EXTENSIONS else "documents"
    return f"{media_prefix(collection)}{folder}/{filename}"


def slug_of_key(key: str) -> str | None:
    """The practice slug a key belongs to, or None for agency keys."""
    if not key.startswith(PRACTICES_ROOT):
        return None
    return key[len(PRACTICES_ROOT) :].split("/", 1)[0] or None
