"""Real files for media tests (built with Pillow, nothing binary checked in)."""

from __future__ import annotations

import io
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage

GPS_IFD = 0x8825
ORIENTATION = 0x0112
SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 60
WEBM_HEAD = b"\x1a\x45\xdf\xa3" + b"\x00" * 60


def picture(size: tuple[int, int] = (64, 48), fmt: str = "PNG", colour: str = "teal") -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, colour).save(buffer, fmt)
    return buffer.getvalue()


def photo_with_gps(size: tuple[int, int] = (64, 48), fmt: str = "JPEG") -> bytes:
    """A photo as a phone writes it: GPS position and orientation 6 (rotate 90° CW)."""
    exif = PillowImage.Exif()
    exif[ORIENTATION] = 6
    exif[GPS_IFD] = {1: "N", 2: (40.0, 26.0, 46.0), 3: "W", 4: (79.0, 58.0, 56.0)}
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, "olive").save(buffer, fmt, exif=exif.tobytes())
    return buffer.getvalue()


def decompression_bomb(side: int = 20_000) -> bytes:
    """A tiny PNG (tens of KB) that would decode to `side`² pixels."""
    buffer = io.BytesIO()
    PillowImage.new("1", (side, side)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def noise_png(width: int, height: int) -> bytes:
    """Incompressible pixels: the file is about width * height * 3 bytes."""
    buffer = io.BytesIO()
    PillowImage.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(
        buffer, "PNG"
    )
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def exif_of(data: bytes) -> dict:
    with PillowImage.open(io.BytesIO(data)) as image:
        return dict(image.getexif())


def gps_of(data: bytes) -> dict:
    with PillowImage.open(io.BytesIO(data)) as image:
        return dict(image.getexif().get_ifd(GPS_IFD))


def size_of(data: bytes) -> tuple[int, int]:
    with PillowImage.open(io.BytesIO(data)) as image:
        return image.size
