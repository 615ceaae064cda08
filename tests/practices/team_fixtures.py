"""Builders for team showcase tests: real images (Pillow), real pages in a practice tree."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from practices.models import Practice, TeamIndexPage, TeamMemberPage
from practices.team_selectors import team_index_for
from tests.factories import DocumentFactory

# The first bytes of real containers: enough for the signature check, which is what
# the upload rule enforces (a renamed text file is refused).
WEBM_BYTES = b"\x1a\x45\xdf\xa3" + b"\x00" * 60
MP4_BYTES = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 60
VTT_BYTES = b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello, I am Dr. Ruiz.\n"


def png_bytes(width: int = 1000, height: int = 1250, colour: str = "#4a7ab5") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def portrait(practice: Practice, title: str = "Portrait", description: str = "A smiling doctor"):
    image_model = get_image_model()
    image = image_model(
        title=title,
        description=description,
        collection=practice.collection,
        file=ImageFile(io.BytesIO(png_bytes()), name=f"{title.lower().replace(' ', '-')}.png"),
    )
    image._set_image_file_metadata()
    image.save()
    return image


def document(practice: Practice, name: str, data: bytes, title: str = ""):
    return DocumentFactory(
        title=title or name,
        collection=practice.collection,
        file=ContentFile(data, name=name),
    )


def team_index(practice: Practice) -> TeamIndexPage:
    return team_index_for(practice)


def add_member(
    practice: Practice,
    name: str,
    *,
    image=None,
    role_group: str = "physicians",
    role_title: str = "Family physician",
    credentials: tuple[str, ...] = ("MD",),
    specialties: tuple[str, ...] = (),
    languages: tuple[str, ...] = ("en",),
    locations: tuple = (),
    publish: bool = True,
    **fields,
) -> TeamMemberPage:
    """A member page added under the practice's team page, published like the admin does."""
    index = team_index(practice)
    member = TeamMemberPage(
        title=name,
        role_title=role_title,
        role_group=role_group,
        portrait=image or portrait(practice, f"{name} portrait", f"Portrait of {name}"),
        credentials=[("credential", value) for value in credentials],
        specialties=[("specialty", value) for value in specialties],
        languages=[("language", code) for code in languages],
        **fields,
    )
    member.live = publish  # a draft is created not live, as in the admin
    member.locations = list(locations)
    index.add_child(instance=member)
    if publish:
        member.save_revision().publish()
    return member


def write_photo(folder: Path, name: str, colour: str = "#336699") -> Path:
    path = folder / name
    path.write_bytes(png_bytes(400, 500, colour))
    return path
