"""Upload checks through the real admin views (an editor, the Django test client) and
through the importers: bombs, oversized files, SVG, lying extensions; GPS removed."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.core.files.images import ImageFile
from django.test import override_settings
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from practices.services.image_files import ImageError, choose_image, directory_reader
from practices.services.team_import import import_team_csv
from tests.factories import ImageFactory, PracticeFactory, editor_of
from tests.media.fixtures import (
    MP4_HEAD,
    SVG_WITH_SCRIPT,
    decompression_bomb,
    exif_of,
    gps_of,
    noise_png,
    photo_with_gps,
    picture,
    size_of,
    upload,
)

Image = get_image_model()
Document = get_document_model()


@pytest.fixture
def practice(db):
    return PracticeFactory(name="Harbour Clinic", slug="harbour", hostname="harbour.example.test")


@pytest.fixture
def editor_client(client, practice):
    client.force_login(editor_of(practice))
    return client


def add_image(client, practice, name: str, data: bytes):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": "Upload", "collection": practice.collection.pk, "file": upload(name, data)},
    )


def file_errors(response) -> list[str]:
    assert response.status_code == 200, "the form should be shown again with errors"
    return response.context["form"].errors["file"]


def test_the_upload_forms_are_ours() -> None:
    assert settings.WAGTAILIMAGES_IMAGE_FORM_BASE == "agency_platform.media.forms.PracticeImageForm"
    assert settings.WAGTAILDOCS_DOCUMENT_FORM_BASE == (
        "agency_platform.media.forms.PracticeDocumentForm"
    )


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("bomb.png", decompression_bomb(), "'bomb.png' has far too many pixels"),
        ("logo.svg", SVG_WITH_SCRIPT, "'logo.svg' is an SVG/XML file; SVG is not accepted"),
        ("logo.png", SVG_WITH_SCRIPT, "'logo.png' is an SVG/XML file; SVG is not accepted"),
        (
            "photo.jpg",
            picture(fmt="PNG"),
            "'photo.jpg' is really a PNG image but its name ends in '.jpg'; rename it to .png",
        ),
        ("scan.bmp", picture(fmt="BMP"), "'scan.bmp' is a BMP image; upload JPEG, PNG, GIF"),
        ("notes.png", b"just some text", "'notes.png' is not a readable image"),
    ],
)
def test_bad_images_are_refused_with_the_reason(editor_client, practice, name, data, expected):
    [error] = file_errors(add_image(editor_client, practice, name, data))
    assert error.startswith(expected), error
    assert not Image.objects.filter(collection=practice.collection).exists()


def test_an_image_over_the_pixel_limit_names_the_count(editor_client, practice):
    with override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=10_000):
        errors = file_errors(add_image(editor_client, practice, "wide.png", picture((200, 60))))
    assert errors == ["'wide.png' has 12,000 pixels (all frames); the limit is 10,000"]


def test_an_oversized_file_is_refused_before_it_is_read(editor_client, practice):
    data = noise_png(120, 120)  # ~43 KB of incompressible pixels
    with override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=20_000):
        [error] = file_errors(add_image(editor_client, practice, "big.png", data))
    assert error.startswith("'big.png' is 4"), error
    assert error.endswith("images may be at most 19.5\xa0KB")


def test_the_multiple_uploader_refuses_with_the_same_message(editor_client, practice):
    response = editor_client.post(
        reverse("wagtailimages:add_multiple"),
        {"collection": practice.collection.pk, "files[]": upload("x.png", SVG_WITH_SCRIPT)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    body = response.json()
    assert body["success"] is False
    assert "'x.png' is an SVG/XML file; SVG is not accepted" in body["error_message"]
    assert not Image.objects.filter(collection=practice.collection).exists()


def test_an_accepted_photo_loses_gps_and_keeps_its_orientation(editor_client, practice):
    response = add_image(editor_client, practice, "dr-lee.jpg", photo_with_gps((64, 48)))
    assert response.status_code == 302, response.context and response.context["form"].errors
    image = Image.objects.get(collection=practice.collection)
    with image.open_file() as handle:
        stored = handle.read()
    assert exif_of(stored) == {}
    assert gps_of(stored) == {}
    # Orientation 6 was applied to the pixels before the tag was dropped.
    assert size_of(stored) == (48, 64)
    assert (image.width, image.height) == (48, 64)
    for spec in ("fill-40x40|format-jpeg", "fill-40x40|format-webp", "width-30"):
        rendition = image.get_rendition(spec)
        with rendition.file.open("rb") as handle:
            assert gps_of(handle.read()) == {}, spec


def test_without_stripping_willow_copies_gps_into_jpeg_renditions(practice):
    """Why originals are stripped at upload: Willow passes EXIF through to JPEG output."""
    image = ImageFactory(
        collection=practice.collection,
        file=ImageFile(io.BytesIO(photo_with_gps()), name="raw.jpg"),
    )
    rendition = image.get_rendition("fill-40x40|format-jpeg")
    with rendition.file.open("rb") as handle:
        assert gps_of(handle.read())  # the leak our upload checks prevent


def test_a_clean_image_is_stored_byte_for_byte(editor_client, practice):
    data = picture((30, 20), "PNG")
    assert add_image(editor_client, practice, "plain.png", data).status_code == 302
    image = Image.objects.get(collection=practice.collection)
    with image.open_file() as handle:
        assert handle.read() == data
    assert (image.width, image.height, image.file_size) == (30, 20, len(data))


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("intro.mp4", b"<html><script>x</script></html>", "'intro.mp4' is an SVG/HTML/XML file"),
        ("intro.webm", MP4_HEAD, "'intro.webm' is not a real .webm video"),
        ("leaflet.pdf", b"MZ\x90\x00 an executable", "'leaflet.pdf' is not a real .pdf file"),
        ("captions.vtt", b"1\n00:00.000 --> 00:01.000\nHi", "'captions.vtt' is not a WebVTT"),
    ],
)
def test_documents_are_checked_by_content(editor_client, practice, name, data, expected):
    response = editor_client.post(
        reverse("wagtaildocs:add"),
        {"title": "Doc", "collection": practice.collection.pk, "file": upload(name, data)},
    )
    [error] = file_errors(response)
    assert error.startswith(expected), error
    assert not Document.objects.filter(collection=practice.collection).exists()


def test_a_real_video_document_is_accepted(editor_client, practice):
    response = editor_client.post(
        reverse("wagtaildocs:add"),
        {"title": "Intro", "collection": practice.collection.pk, "file": upload("i.mp4", MP4_HEAD)},
    )
    assert response.status_code == 302
    document = Document.objects.get(collection=practice.collection)
    assert document.file_extension == "mp4"
    assert document.file_size == len(MP4_HEAD)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("bomb.png", decompression_bomb(), "'/uploads/bomb.png' has far too many pixels"),
        ("logo.png", SVG_WITH_SCRIPT, "'/uploads/logo.png' is an SVG/XML file"),
        ("hero.jpg", picture(fmt="PNG"), "'/uploads/hero.jpg' is really a PNG image"),
    ],
)
def test_the_post_importer_refuses_the_same_files(practice, tmp_path, name, data, expected):
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / name).write_bytes(data)
    with pytest.raises(ImageError) as caught:
        choose_image(practice, f"/uploads/{name}", directory_reader(tmp_path))
    assert str(caught.value).startswith(expected)


def test_imported_photos_lose_gps_too(practice, tmp_path):
    (tmp_path / "dr.jpg").write_bytes(photo_with_gps())
    choice = choose_image(practice, "dr.jpg", directory_reader(tmp_path))
    image = choice.materialise(practice, title="Dr portrait")
    with image.open_file() as handle:
        assert gps_of(handle.read()) == {}


def test_the_team_import_reports_a_lying_photo_on_its_line(practice, tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "ana.jpg").write_bytes(SVG_WITH_SCRIPT)
    csv_path = tmp_path / "team.csv"
    csv_path.write_text(
        "name,role,role_group,photo,alt_text\nAna Ruiz,Physician,physicians,ana.jpg,Ana smiling\n"
    )
    report = import_team_csv(practice, csv_path, photos_dir=photos)
    [outcome] = report.outcomes
    assert outcome.errors == [
        f"{csv_path}:2: photo: 'ana.jpg' is an SVG/XML file; SVG is not accepted because it "
        "can carry scripts. Upload a PNG, JPEG or WebP instead"
    ]
    assert not Image.objects.filter(collection=practice.collection).exists()


def test_the_edit_page_shows_pending_then_failed_renditions(editor_client, practice):
    from agency_platform.media import services

    assert add_image(editor_client, practice, "desk.png", picture()).status_code == 302
    image = Image.objects.get(collection=practice.collection)
    edit_url = reverse("wagtailimages:edit", args=[image.pk])
    # No worker in this test: the renditions were enqueued and are still pending.
    html = editor_client.get(edit_url).content.decode()
    assert "Public sizes of this image are being made in the background." in html
    services.mark_failed(image.pk, "EndpointConnectionError: S3 unreachable")
    html = editor_client.get(edit_url).content.decode()
    assert "Making the public sizes of this image failed" in html
    assert "(EndpointConnectionError: S3 unreachable)" in html


def test_replacing_the_file_checks_it_and_makes_renditions_again(editor_client, practice):
    from agency_platform.media import status

    assert add_image(editor_client, practice, "old.png", picture((40, 30))).status_code == 302
    image = Image.objects.get(collection=practice.collection)
    image.get_rendition("fill-640x360")
    status.set_state(image.pk, status.READY)
    edit_url = reverse("wagtailimages:edit", args=[image.pk])
    form = {"title": "Desk", "description": "A desk", "collection": practice.collection.pk}
    refused = editor_client.post(edit_url, {**form, "file": upload("new.png", SVG_WITH_SCRIPT)})
    assert file_errors(refused)[0].startswith("'new.png' is an SVG/XML file")
    response = editor_client.post(edit_url, {**form, "file": upload("new.jpg", photo_with_gps())})
    assert response.status_code == 302
    image.refresh_from_db()
    assert re.fullmatch(r"practices/harbour/original_images/new(_\w+)?\.jpg", image.file.name)
    assert not image.renditions.exists()
    assert status.get_state(image.pk)["state"] == status.PENDING
