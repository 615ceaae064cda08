"""Media on S3 (moto's server on 127.0.0.1): per-practice keys, headers, CDN URLs and
private documents, through the real admin and document views."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from practices.services.provisioning import PRIVATE_COLLECTION_NAME
from tests.factories import PracticeFactory, editor_of
from tests.media.conftest import storages_for
from tests.media.fixtures import MP4_HEAD, picture, upload

Image = get_image_model()
Document = get_document_model()

pytestmark = pytest.mark.django_db


@pytest.fixture
def alpha(db):
    return PracticeFactory(name="Alpha Family Care", slug="alpha", hostname="alpha.example.test")


@pytest.fixture
def bravo(db):
    return PracticeFactory(name="Bravo Dermatology", slug="bravo", hostname="bravo.example.test")


def fetch(url: str) -> tuple[int, bytes, dict]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read(), dict(response.headers)


def test_admin_image_upload_lands_under_the_practice_prefix(s3_media, client, alpha) -> None:
    client.force_login(editor_of(alpha))
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Front desk",
            "collection": alpha.collection.pk,
            "file": upload("front desk.png", picture((120, 80))),
        },
    )
    assert response.status_code == 302, response.content[:500]
    image = Image.objects.get(title="Front desk")
    assert image.file.name == "practices/alpha/original_images/front_desk.png"
    head = s3_media.head(image.file.name)
    assert head["ContentType"] == "image/png"
    assert head["CacheControl"] == "public, max-age=86400"
    # The public URL is unsigned (it goes into cached pages) and serves the bytes.
    assert image.file.url == f"{s3_media.endpoint_url}/{s3_media.bucket}/{image.file.name}"
    status, body, _ = fetch(image.file.url)
    assert status == 200
    assert body[:8] == b"\x89PNG\r\n\x1a\n"


def test_renditions_are_content_addressed_and_cached_for_a_year(s3_media, alpha) -> None:
    image = Image.objects.create(
        title="Portrait",
        collection=alpha.collection,
        file=upload("portrait.jpg", picture((300, 400), "JPEG")),
    )
    rendition = image.get_rendition("fill-120x160|format-webp")
    expected = (
        rf"practices/alpha/images/{image.file_hash[:16]}/"
        r"portrait\.[0-9a-f]+\.fill-120x160\.format-webp\.webp"
    )
    assert re.fullmatch(expected, rendition.file.name), rendition.file.name
    head = s3_media.head(rendition.file.name)
    assert head["ContentType"] == "image/webp"
    assert head["CacheControl"] == "public, max-age=31536000, immutable"
    assert rendition.url.startswith(f"{s3_media.endpoint_url}/{s3_media.bucket}/practices/alpha/")


def test_cdn_domain_serves_images(s3_media, settings, alpha) -> None:
    settings.STORAGES = {
        **storages_for(s3_media.endpoint_url, s3_media.bucket, custom_domain="cdn.example.test"),
        "staticfiles": settings.STORAGES["staticfiles"],
    }
    image = Image.objects.create(
        title="Logo", collection=alpha.collection, file=upload("logo.png", picture())
    )
    assert image.file.url == "http://cdn.example.test/practices/alpha/original_images/logo.png"


def test_agency_library_files_live_under_agency(s3_media) -> None:
    image = Image.objects.create(
        title="Stock",
        collection=Collection.get_first_root_node(),
        file=upload("stock.png", picture()),
    )
    assert image.file.name == "agency/original_images/stock.png"
    assert s3_media.keys("agency/") == ["agency/original_images/stock.png"]


def test_documents_and_videos_are_private_and_signed(s3_media, client, alpha) -> None:
    client.force_login(editor_of(alpha))
    for name, data in (("leaflet.pdf", b"%PDF-1.4\n%leaflet\n"), ("welcome.mp4", MP4_HEAD)):
        response = client.post(
            reverse("wagtaildocs:add"),
            {"title": name, "collection": alpha.collection.pk, "file": upload(name, data)},
        )
        assert response.status_code == 302, response.content[:500]
    leaflet = Document.objects.get(title="leaflet.pdf")
    video = Document.objects.get(title="welcome.mp4")
    assert leaflet.file.name == "practices/alpha/documents/leaflet.pdf"
    assert video.file.name == "practices/alpha/videos/welcome.mp4"
    assert s3_media.head(leaflet.file.name)["CacheControl"] == "private, max-age=300"
    # Unlike images, the object itself is not public: only a signed URL reads it.
    with pytest.raises(urllib.error.HTTPError, match="403"):
        fetch(f"{s3_media.endpoint_url}/{s3_media.bucket}/{leaflet.file.name}")

    client.logout()
    response = client.get(leaflet.url, HTTP_HOST="alpha.example.test")
    assert response.status_code == 302
    signed = response["Location"]
    assert signed.startswith(f"{s3_media.endpoint_url}/{s3_media.bucket}/practices/alpha/")
    assert "X-Amz-Signature=" in signed
    assert "X-Amz-Expires=300" in signed
    status, body, _ = fetch(signed)
    assert (status, body) == (200, b"%PDF-1.4\n%leaflet\n")


def test_a_practice_document_is_not_served_on_another_practice_host(
    s3_media, client, alpha, bravo
) -> None:
    leaflet = Document.objects.create(
        title="Leaflet", collection=bravo.collection, file=upload("leaflet.pdf", b"%PDF-1.4")
    )
    assert client.get(leaflet.url, HTTP_HOST="bravo.example.test").status_code == 302
    assert client.get(leaflet.url, HTTP_HOST="alpha.example.test").status_code == 404
    client.force_login(editor_of(alpha))
    assert client.get(leaflet.url, HTTP_HOST="alpha.example.test").status_code == 404
    assert client.get(leaflet.url).status_code == 404  # the admin host


def test_private_documents_only_reach_their_own_practice_staff(
    s3_media, client, alpha, bravo
) -> None:
    private = bravo.collection.get_children().get(name=PRIVATE_COLLECTION_NAME)
    handbook = Document.objects.create(
        title="Staff handbook", collection=private, file=upload("handbook.pdf", b"%PDF-1.4 h")
    )
    url = handbook.url
    # Anonymous visitors are sent to log in; nothing signed leaks.
    response = client.get(url, HTTP_HOST="bravo.example.test")
    assert response.status_code == 302
    assert "X-Amz-Signature" not in response["Location"]
    # Alpha's editor: not on Bravo's host, not on Alpha's, not on the admin host.
    client.force_login(editor_of(alpha))
    # On Bravo's host she is a visitor without access: sent to log in there; elsewhere
    # the document is not one of the site's: 404.
    expected = {
        "bravo.example.test": (302, f"/_util/login/?next={url}"),
        "alpha.example.test": (404, None),
        "testserver": (404, None),
    }
    for host, answer in expected.items():
        response = client.get(url, HTTP_HOST=host)
        assert (response.status_code, response.get("Location")) == answer, host
    # Alpha's editor cannot open it in the admin either (edit view, chooser).
    assert client.get(reverse("wagtaildocs:edit", args=[handbook.pk])).status_code == 403
    # Bravo's editor gets a signed URL that works.
    client.force_login(editor_of(bravo))
    response = client.get(url, HTTP_HOST="bravo.example.test")
    assert response.status_code == 302
    assert "X-Amz-Signature=" in response["Location"]
    assert fetch(response["Location"])[1] == b"%PDF-1.4 h"


def test_long_slugs_and_file_names_fit(s3_media) -> None:
    slug = "northern-valley-paediatrics-and-family-clinic"
    practice = PracticeFactory(name="Northern Valley", slug=slug, hostname="nv.example.test")
    name = "x" * 150 + ".jpg"
    image = Image.objects.create(
        title="Long", collection=practice.collection, file=upload(name, picture(fmt="JPEG"))
    )
    second = Image.objects.create(
        title="Again", collection=practice.collection, file=upload(name, picture(fmt="JPEG"))
    )
    assert image.file.name.startswith(f"practices/{slug}/original_images/xxx")
    assert second.file.name != image.file.name  # de-duplicated, not overwritten
    rendition = second.get_rendition("fill-100x100|format-webp")
    assert rendition.file.name.startswith(f"practices/{slug}/images/{second.file_hash[:16]}/")
    document = Document.objects.create(
        title="Long", collection=practice.collection, file=upload("y" * 200 + ".pdf", b"%PDF-1")
    )
    assert document.file.name == f"practices/{slug}/documents/{'y' * 120}.pdf"
    assert s3_media.keys(f"practices/{slug}/") == sorted(
        [image.file.name, second.file.name, rendition.file.name, document.file.name]
    )
