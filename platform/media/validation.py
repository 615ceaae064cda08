"""Checks every uploaded or imported media file must pass, whichever way it arrives
(admin upload forms, the post importer, the team CSV import, the demo loader).

Images are judged by their content, never by their name: the size is checked first,
then the dimensions are read from the header (Pillow decodes nothing on `open`) so a
decompression bomb is refused before a single pixel is decoded; the real format must
be an allowed one and match the extension. SVG is refused outright: it is a document
that can carry scripts and external references, and sanitising it correctly is a
project of its own. Accepted images lose their EXIF/XMP metadata (GPS positions in
staff photos, camera serials) because originals are public; the EXIF orientation is
applied to the pixels first so nothing ends up sideways.

Videos (MP4/WebM documents) are recognised by their container signature
(`video_container`); the team page's video block uses the same rule, so both agree.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from PIL import Image as PillowImage
from PIL import ImageOps
from PIL.JpegImagePlugin import get_sampling

# Pillow format name -> the extensions a file of that format may carry.
IMAGE_FORMATS: dict[str, tuple[str, ...]] = {
    "JPEG": ("jpg", "jpeg"),
    "PNG": ("png",),
    "GIF": ("gif",),
    "WEBP": ("webp",),
}
ALLOWED_IMAGE_EXTENSIONS = sorted({ext for exts in IMAGE_FORMATS.values() for ext in exts})
# Metadata keys Pillow exposes in `info` that may carry personal data.
METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "photoshop")
# Document types recognised by their first bytes; other allowed types are plain text.
DOCUMENT_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "key": (b"PK\x03\x04",),
    "zip": (b"PK\x03\x04", b"PK\x05\x06"),
    "rtf": (b"{\\rtf",),
}
TEXT_DOCUMENTS = {"csv", "txt"}
# Video documents: extension -> MIME type.
VIDEO_EXTENSIONS = {"mp4": "video/mp4", "webm": "video/webm"}
SVG_EXTENSIONS = {"svg", "svgz"}


def video_container(head: bytes) -> str | None:
    """The container a file really is, from its first bytes (an .mp4 name is not enough)."""
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"  # EBML header (WebM / Matroska)
    if head[4:8] == b"ftyp":
        return "mp4"  # ISO base media file
    return None


class UploadRejectedError(ValueError):
    """A file that must not be stored; `reason` is written for the editor."""

    def __init__(self, name: str, reason: str, *, code: str) -> None:
        self.name = name
        self.reason = reason
        self.code = code
        super().__init__(f"'{name}' {reason}")


@dataclass(frozen=True)
class CheckedImage:
    """An accepted image: its real format and size, and the bytes to store
    (metadata removed; the very same bytes when there was nothing to remove)."""

    format: str
    width: int
    height: int
    data: bytes


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def looks_like_svg(data: bytes) -> bool:
    """SVG (or any XML/HTML) sniffed from the first bytes, whatever the file name."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype", b"<html")) or b"<svg" in head


def check_image_bytes(data: bytes, name: str) -> CheckedImage:
    """Validate an image upload and return what to store; raises UploadRejectedError."""
    limit = settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    if len(data) > limit:
        raise UploadRejectedError(
            name,
            f"is {filesizeformat(len(data))}; images may be at most {filesizeformat(limit)}",
            code="file_too_large",
        )
    extension = _extension(name)
    if extension in SVG_EXTENSIONS or looks_like_svg(data):
        raise UploadRejectedError(
            name,
            "is an SVG/XML file; SVG is not accepted because it can carry scripts. "
            "Upload a PNG, JPEG or WebP instead",
            code="svg_not_allowed",
        )
    image_format, width, height, frames = _read_header(data, name)
    if image_format not in IMAGE_FORMATS:
        raise UploadRejectedError(
            name,
            f"is a {image_format} image; upload JPEG, PNG, GIF or WebP",
            code="invalid_image_format",
        )
    if extension not in IMAGE_FORMATS[image_format]:
        raise UploadRejectedError(
            name,
            f"is really a {image_format} image but its name ends in '.{extension}'; "
            f"rename it to .{IMAGE_FORMATS[image_format][0]}",
            code="extension_mismatch",
        )
    _check_pixels(name, width * height * frames)
    return CheckedImage(image_format, width, height, strip_metadata(data, image_format))


def _read_header(data: bytes, name: str) -> tuple[str, int, int, int]:
    """Format, size and frame count from the header only; refuses bombs on the way."""
    try:
        # Pillow warns (and at twice its limit raises) for huge images: make both errors.
        with warnings.catch_warnings():
            warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
            with PillowImage.open(io.BytesIO(data)) as picture:
                image_format = picture.format or "unknown"
                width, height = picture.size
                frames = getattr(picture, "n_frames", 1)
                picture.verify()
    except (PillowImage.DecompressionBombError, PillowImage.DecompressionBombWarning):
        raise UploadRejectedError(
            name,
            "has far too many pixels (a decompression bomb?); "
            f"the limit is {settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:,} pixels",
            code="file_too_many_pixels",
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise UploadRejectedError(
            name, "is not a readable image (damaged, or not an image at all)", code="invalid_image"
        ) from None
    return image_format, width, height, frames


def _check_pixels(name: str, pixels: int) -> None:
    limit = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    if limit and pixels > limit:
        raise UploadRejectedError(
            name,
            f"has {pixels:,} pixels (all frames); the limit is {limit:,}",
            code="file_too_many_pixels",
        )


def strip_metadata(data: bytes, image_format: str) -> bytes:
    """The image without EXIF/XMP/comments, orientation applied; `data` itself when
    there is nothing to remove (no needless re-encoding). Colour profiles are kept."""
    with PillowImage.open(io.BytesIO(data)) as picture:
        present = [key for key in METADATA_KEYS if picture.info.get(key)]
        if not present and not picture.getexif():
            return data
        if getattr(picture, "n_frames", 1) > 1:
            # Animated GIF/WebP: re-encoding every frame is lossy and slow; GIF has no
            # EXIF, and an animated WebP keeps its frames but loses metadata chunks.
            return _strip_animated(picture)
        quantization = getattr(picture, "quantization", None)
        subsampling = get_sampling(picture) if image_format == "JPEG" else -1
        oriented = ImageOps.exif_transpose(picture)
        options: dict = {}
        if picture.info.get("icc_profile"):
            options["icc_profile"] = picture.info["icc_profile"]
        if image_format == "JPEG":
            # The source's own quantisation tables: as close to lossless as re-encoding gets.
            options["qtables"] = quantization
            if subsampling != -1:
                options["subsampling"] = subsampling
        elif image_format == "WEBP":
            options.update(lossless=picture.info.get("lossless", False), quality=90)
        elif image_format == "GIF" and "transparency" in picture.info:
            options["transparency"] = picture.info["transparency"]
        output = io.BytesIO()
        oriented.save(output, image_format, **options)
        return output.getvalue()


def _strip_animated(picture: PillowImage.Image) -> bytes:
    output = io.BytesIO()
    picture.save(
        output,
        picture.format,
        save_all=True,
        loop=picture.info.get("loop", 0),
        duration=picture.info.get("duration"),
    )
    return output.getvalue()


def check_video_head(head: bytes, name: str) -> str:
    """MIME type of an MP4/WebM file judged by its first bytes; raises UploadRejectedError."""
    extension = _extension(name)
    if extension not in VIDEO_EXTENSIONS:
        raise UploadRejectedError(name, "is not an MP4 or WebM video", code="invalid_video")
    if video_container(head) != extension:
        raise UploadRejectedError(
            name,
            f"is not a real .{extension} video (its content does not match the extension)",
            code="extension_mismatch",
        )
    return VIDEO_EXTENSIONS[extension]


def check_document_head(head: bytes, name: str, size: int) -> None:
    """Documents (including videos and captions) checked by content; raises UploadRejectedError."""
    limit = settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
    if limit and size > limit:
        raise UploadRejectedError(
            name,
            f"is {filesizeformat(size)}; documents may be at most {filesizeformat(limit)}",
            code="file_too_large",
        )
    extension = _extension(name)
    if extension in SVG_EXTENSIONS or looks_like_svg(head):
        raise UploadRejectedError(
            name, "is an SVG/HTML/XML file, which is not accepted", code="svg_not_allowed"
        )
    if extension in VIDEO_EXTENSIONS:
        check_video_head(head, name)
    elif extension == "vtt":
        if not head.lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT"):
            raise UploadRejectedError(
                name,
                "is not a WebVTT captions file (no 'WEBVTT' header)",
                code="extension_mismatch",
            )
    elif extension in DOCUMENT_SIGNATURES:
        if not head.startswith(DOCUMENT_SIGNATURES[extension]):
            raise UploadRejectedError(
                name,
                f"is not a real .{extension} file (its content does not match the extension)",
                code="extension_mismatch",
            )
    elif extension in TEXT_DOCUMENTS and b"\x00" in head:
        raise UploadRejectedError(
            name, f"is a binary file, not a .{extension} text file", code="extension_mismatch"
        )
