"""A practice's image files from outside the admin (the post importer, the team CSV
import): safe path resolution under an uploads root, validation, and reuse by content.

Images are de-duplicated per practice collection by content. Wagtail's `file_hash`
column (varchar(40), filled with SHA-1 by Wagtail itself on every admin upload) is the
index: we fill it the same way, so an image uploaded through the admin is reused too.
A candidate found by that index is only reused when the SHA-256 of its stored bytes
matches, so a SHA-1 collision can never attach someone else's picture to a post.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage

from agency_platform.media.validation import UploadRejectedError, check_image_bytes
from practices.models import Practice

UPLOADS_PREFIX = "uploads"

# Reads one file below a root, given a relative POSIX path; None when it is absent.
FileReader = Callable[[PurePosixPath], bytes | None]


class ImageError(ValueError):
    """An image path (a post's post_image, a member's photo) or its file is unusable."""


def relative_image_path(source: str) -> PurePosixPath:
    """`/uploads/a/b.jpg`, `uploads/a/b.jpg` and `a/b.jpg` all become `a/b.jpg`."""
    path = PurePosixPath(source.replace("\\", "/").lstrip("/"))
    if path.parts[:1] == (UPLOADS_PREFIX,):
        path = PurePosixPath(*path.parts[1:]) if len(path.parts) > 1 else PurePosixPath()
    if not path.parts or any(part in ("..", ".") for part in path.parts) or ":" in path.parts[0]:
        raise ImageError(f"'{source}' is outside the uploads folder")
    return path


def directory_reader(root: Path) -> FileReader:
    """Looks a path up under `root` and under `root/uploads`, so the uploads root may
    be either a site folder (holding `uploads/`) or the uploads folder itself."""
    resolved_root = root.resolve()

    def read(path: PurePosixPath) -> bytes | None:
        for candidate in (resolved_root / UPLOADS_PREFIX / path, resolved_root / path):
            real = candidate.resolve()
            # A symlink inside the root may still point outside it.
            if not real.is_relative_to(resolved_root):
                raise ImageError(f"'{path}' resolves outside the uploads root")
            if real.is_file():
                return real.read_bytes()
        return None

    return read


@dataclass
class ImageChoice:
    """The image a post will use: an existing one, or new bytes to store."""

    existing: AbstractImage | None
    data: bytes
    filename: str

    def materialise(
        self, practice: Practice, title: str, origin: str = "blog_import"
    ) -> AbstractImage:
        if self.existing is not None:
            return self.existing
        image = get_image_model()(
            title=title[:255], collection=practice.collection,
            file=ImageFile(io.BytesIO(self.data), name=self.filename),
        )  # fmt: skip
        # Stored under the practice's prefix; the renditions this use needs are made in
        # the background after commit (agency_platform.media.receivers).
        image._media_origin = origin
        image._set_image_file_metadata()
        image.save()
        return image


def choose_image(practice: Practice, source: str, read: FileReader) -> ImageChoice | None:
    """Validate the file `source` names; None when it does not exist."""
    path = relative_image_path(source)
    data = read(path)
    if data is None:
        return None
    data = _validate(data, source)
    sha1 = hashlib.sha1(data, usedforsecurity=False).hexdigest()
    sha256 = hashlib.sha256(data).hexdigest()
    candidates = get_image_model().objects.filter(collection=practice.collection, file_hash=sha1)
    for candidate in candidates.order_by("pk"):
        if _stored_sha256(candidate) == sha256:
            return ImageChoice(existing=candidate, data=data, filename=path.name)
    return ImageChoice(existing=None, data=data, filename=path.name)


def _stored_sha256(image: AbstractImage) -> str | None:
    try:
        with image.open_file() as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except FileNotFoundError:
        return None


def _validate(data: bytes, source: str) -> bytes:
    """The shared upload checks (agency_platform.media.validation); returns the bytes
    to store, metadata (EXIF/GPS) removed, so that de-duplication hashes what is stored."""
    try:
        return check_image_bytes(data, source).data
    except UploadRejectedError as exc:
        raise ImageError(str(exc)) from None
