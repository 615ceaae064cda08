"""media_audit, a practice's media following its slug and its deletion, and an admin
upload while S3 is unreachable (a form error, never a row without its object)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from agency_platform.media.practice_media import move_practice_media
from agency_platform.media.renditions import ALL_PUBLIC_SPECS
from practices.models import PracticeStatus
from practices.services.lifecycle import delete_practice, set_status
from tests.conftest import transactional_db
from tests.factories import PracticeFactory, editor_of
from tests.media.conftest import storages_for
from tests.media.fixtures import picture, upload
from tests.media.media_worker import media_worker, wait_for
from tests.media.s3_faults import fault_proxy
from tests.media.test_background import admin_upload, renditions_done

Image = get_image_model()
Document = get_document_model()
PDF = b"%PDF-1.4\n% opening hours\n"

pytestmark = [transactional_db, pytest.mark.worker]


@pytest.fixture
def alpha(transactional_db):
    return PracticeFactory(name="Alpha Family Care", slug="alpha", hostname="alpha.example.test")


def audit(*args: str) -> tuple[str, str, str | None]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("media_audit", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), str(exc)
    return out.getvalue(), err.getvalue(), None


def add_document(client, practice, name: str, data: bytes):
    client.force_login(editor_of(practice))
    response = client.post(
        reverse("wagtaildocs:add"),
        {"title": name, "collection": practice.collection.pk, "file": upload(name, data)},
    )
    assert response.status_code == 302
    return Document.objects.get(title=name)


def test_audit_finds_a_lost_rendition_and_an_orphan_and_repair_fixes_both(
    s3_media, client, alpha, settings
):
    with media_worker(s3_media.env):
        image = admin_upload(client, alpha, "desk.png", picture((700, 500)))
        wait_for(renditions_done(image, len(ALL_PUBLIC_SPECS)), what="renditions")
        assert audit("--practice", "alpha")[2] is None
        lost = image.renditions.get(filter_spec="fill-640x360")
        s3_media.client.delete_object(Bucket=s3_media.bucket, Key=lost.file.name)
        stray = "practices/alpha/original_images/stray.png"
        s3_media.client.put_object(Bucket=s3_media.bucket, Key=stray, Body=b"x")

        out, _, error = audit("--practice", "alpha")
        assert error == "2 media problem(s) remain."
        assert f"missing: rendition {lost.pk} of image {image.pk}: {lost.file.name}" in out
        assert f"orphan: {stray} (1 bytes" in out
        # Within the grace period the orphan may be an upload in flight: it stays.
        out, err, error = audit("--practice", "alpha", "--repair")
        assert error == "1 media problem(s) remain."
        assert f"remaining: orphan: {stray}" in err
        assert "younger than the 1 day, 0:00:00 grace period" in err
        wait_for(lambda: image.renditions.filter(filter_spec="fill-640x360").exists())

        settings.MEDIA_ORPHAN_GRACE_SECONDS = 0
        out, _, error = audit("--practice", "alpha", "--repair")
        assert error is None, out
        assert f"deleted: {stray}" in out
    assert stray not in s3_media.keys("practices/alpha/")
    rebuilt = image.renditions.get(filter_spec="fill-640x360")
    assert rebuilt.file.name in s3_media.keys("practices/alpha/images/")
    out, _, error = audit("--practice", "alpha")
    assert error is None
    assert out.endswith("media is consistent\n")


def test_audit_names_an_unknown_practice(db) -> None:
    assert audit("--practice", "nope")[2] == "--practice: no practice with slug 'nope'."


def test_a_slug_change_moves_every_object_and_row(s3_media, client, alpha):
    with media_worker(s3_media.env):
        image = admin_upload(client, alpha, "team.png", picture((640, 480)))
        wait_for(renditions_done(image, len(ALL_PUBLIC_SPECS)), what="renditions")
        document = add_document(client, alpha, "hours.pdf", PDF)
        before = s3_media.keys("practices/alpha/")
        alpha.slug = "alpha-care"
        alpha.save()
        wait_for(lambda: not s3_media.keys("practices/alpha/"), what="the old prefix to empty")
    after = s3_media.keys("practices/alpha-care/")
    assert after == sorted(
        key.replace("practices/alpha/", "practices/alpha-care/") for key in before
    )
    image.refresh_from_db()
    document.refresh_from_db()
    assert image.file.name == "practices/alpha-care/original_images/team.png"
    assert document.file.name == "practices/alpha-care/documents/hours.pdf"
    assert {r.file.name for r in image.renditions.all()} <= set(after)
    # Idempotent: running it again finds everything done and changes nothing.
    report = move_practice_media("alpha", "alpha-care")
    assert (report.copied, report.rows, report.deleted, report.skipped) == (0, 0, 0, [])
    assert s3_media.keys("practices/alpha-care/") == after


def test_deleting_a_practice_deletes_its_objects_only(s3_media, client, alpha):
    bravo = PracticeFactory(name="Bravo", slug="bravo", hostname="bravo.example.test")
    with media_worker(s3_media.env):
        admin_upload(client, alpha, "a.png", picture())
        admin_upload(client, bravo, "b.png", picture())
        wait_for(lambda: len(s3_media.keys("practices/bravo/images/")) == len(ALL_PUBLIC_SPECS))
        wait_for(lambda: len(s3_media.keys("practices/alpha/images/")) == len(ALL_PUBLIC_SPECS))
        set_status(alpha, PracticeStatus.ARCHIVED)
        delete_practice(alpha, confirm_slug="alpha")
        wait_for(lambda: not s3_media.keys("practices/alpha/"), what="alpha's objects to go")
    assert len(s3_media.keys("practices/bravo/")) == 1 + len(ALL_PUBLIC_SPECS)


def test_an_upload_while_s3_is_unreachable_fails_cleanly(s3_media, client, alpha, settings):
    with fault_proxy(s3_media.endpoint_url) as proxy:
        settings.STORAGES = {
            **storages_for(proxy.url, s3_media.bucket),
            "staticfiles": settings.STORAGES["staticfiles"],
        }
        proxy.fail_next(1000)
        client.force_login(editor_of(alpha))
        response = client.post(
            reverse("wagtailimages:add"),
            {"title": "X", "collection": alpha.collection.pk, "file": upload("x.png", picture())},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["file"] == [
            "'x.png' could not be stored: the media storage did not answer. Nothing was "
            "saved; please try again in a minute."
        ]
        assert proxy.requests(status=503)
    assert not Image.objects.filter(collection=alpha.collection).exists()
    assert s3_media.keys() == []
