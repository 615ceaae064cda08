"""Team videos: stored with a multipart upload, and given a poster image taken from
their first second.

The poster is a frame grabbed by ffmpeg. The machines have no system ffmpeg, so the
binary shipped inside the `imageio-ffmpeg` wheel is used (a static build; a system
`ffmpeg` on PATH, or MEDIA_FFMPEG_BINARY, wins when present). ffmpeg reads the video
straight from its (signed) storage URL with range requests, so a 200 MB video is not
downloaded to make one JPEG.
"""

from __future__ import annotations

import io
import mimetypes
import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.utils.file import hash_filelike

from agency_platform.media import transfers
from agency_platform.media.keys import document_key
from agency_platform.media.storage import document_storage
from agency_platform.media.validation import check_image_bytes, check_video_head

POSTER_AT_SECONDS = "00:00:01"
FFMPEG_TIMEOUT = 120


class PosterError(RuntimeError):
    """ffmpeg could not produce a frame (not a video, or no ffmpeg at all)."""


def ffmpeg_binary() -> str:
    configured = getattr(settings, "MEDIA_FFMPEG_BINARY", "") or shutil.which("ffmpeg")
    if configured:
        return configured
    try:
        import imageio_ffmpeg
    except ImportError:
        raise PosterError("no ffmpeg: install imageio-ffmpeg or put ffmpeg on PATH") from None
    return imageio_ffmpeg.get_ffmpeg_exe()


def _video_source(document) -> str:
    """A URL (signed, on S3) or a local path ffmpeg can read the video from."""
    storage = document.file.storage
    if transfers.is_s3(storage):
        return storage.url(document.file.name)
    return storage.path(document.file.name)


def grab_frame(source: str) -> bytes:
    """One JPEG frame, at 1 s (or the first frame of a shorter video)."""
    for seek in (POSTER_AT_SECONDS, "0"):
        command = [
            ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-ss", seek, "-i", source,
            "-frames:v", "1", "-f", "image2pipe", "-c:v", "mjpeg", "-q:v", "3", "pipe:1",
        ]  # fmt: skip
        # A fixed argument list, no shell; the source is our own storage URL or path.
        result = subprocess.run(  # noqa: S603
            command, capture_output=True, timeout=FFMPEG_TIMEOUT, check=False
        )
        if result.returncode == 0 and result.stdout:
            return result.stdout
    raise PosterError(result.stderr.decode(errors="replace").strip()[-300:] or "no frame")


def poster_title(document) -> str:
    return f"{document.title} (video poster #{document.pk})"[:255]


def make_poster(document_id: int):
    """The poster image of a video document, created once (idempotent by title)."""
    document = get_document_model().objects.select_related("collection").get(pk=document_id)
    image_model = get_image_model()
    title = poster_title(document)
    existing = image_model.objects.filter(collection=document.collection, title=title).first()
    if existing is not None:
        return existing
    name = f"{Path(document.file.name).stem}-poster.jpg"
    checked = check_image_bytes(grab_frame(_video_source(document)), name)
    with transaction.atomic():
        poster = image_model(
            title=title,
            description=f"Still from the video “{document.title}”"[:255],
            collection=document.collection,
            file=ImageFile(io.BytesIO(checked.data), name=name),
        )
        poster._media_origin = "video_poster"  # receivers: only the poster rendition
        poster._set_image_file_metadata()
        poster.save()
    return poster


def store_video(path: Path, *, collection: Collection, title: str):
    """Upload a local video file as a document (multipart on S3), then create its row:
    a row never points at an object that is not there. Returns the document."""
    with path.open("rb") as handle:
        content_type = check_video_head(handle.read(64), path.name)
        handle.seek(0)
        key = document_storage.get_available_name(document_key(collection, path.name))
        transfers.upload_file(document_storage, key, handle, content_type)
    document = get_document_model()(title=title, collection=collection)
    document.file.name = key
    document.file_size = os.path.getsize(path)
    with path.open("rb") as handle:
        document.file_hash = hash_filelike(handle)
    document.save()
    return document


def is_video(document) -> bool:
    guessed, _ = mimetypes.guess_type(document.file.name)
    return bool(guessed and guessed.startswith("video/"))
