"""Background media work on a real worker (queue "media") against moto's S3 server:
renditions made ahead of page views, multipart videos with posters, importer images,
retries through S3 throttling."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import imageio_ffmpeg
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from agency_platform.media import status
from agency_platform.media.renditions import ALL_PUBLIC_SPECS, specs_for_origin
from agency_platform.media.video import poster_title
from tests.conftest import transactional_db
from tests.factories import PracticeFactory, editor_of
from tests.media.fixtures import photo_with_gps, picture, upload
from tests.media.media_worker import media_worker, wait_for
from tests.media.s3_faults import fault_proxy
from tests.practices.team_fixtures import add_member

Image = get_image_model()
Document = get_document_model()
MB = 1024 * 1024
S3_WRITES = {"PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload",
             "CopyObject", "DeleteObject", "DeleteObjects"}  # fmt: skip

pytestmark = [transactional_db, pytest.mark.worker]


@pytest.fixture
def alpha(transactional_db):
    return PracticeFactory(name="Alpha Family Care", slug="alpha", hostname="alpha.example.test")


def admin_upload(client, practice, name: str, data: bytes):
    client.force_login(editor_of(practice))
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": name,
            "description": f"Photo {name}",
            "collection": practice.collection.pk,
            "file": upload(name, data),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    return Image.objects.get(title=name)


def renditions_done(image, count: int):
    return lambda: image.renditions.count() >= count and status.get_state(image.pk)


def record_s3_calls(storage) -> list[str]:
    """Every S3 operation this process's storage client makes (a botocore event
    handler: observing the real client, not replacing it)."""
    calls: list[str] = []
    client = storage.connection.meta.client
    client.meta.events.register(
        "before-call.s3.*", lambda model, **kwargs: calls.append(model.name), unique_id="h1"
    )
    return calls


def test_an_upload_gets_every_public_rendition_before_any_page_view(s3_media, client, alpha):
    with media_worker(s3_media.env):
        image = admin_upload(client, alpha, "dr-ana.jpg", photo_with_gps((900, 1200)))
        wait_for(renditions_done(image, len(ALL_PUBLIC_SPECS)), what="renditions")
    assert status.get_state(image.pk)["state"] == status.READY
    assert image.file.name == "practices/alpha/original_images/dr-ana.jpg"
    keys = set(s3_media.keys("practices/alpha/"))
    specs = sorted(r.filter_spec for r in image.renditions.all())
    assert specs == sorted(ALL_PUBLIC_SPECS)
    for rendition in image.renditions.all():
        assert rendition.file.name.startswith("practices/alpha/images/"), rendition.file.name
        assert rendition.file.name in keys

    # A visitor's page view now reads the database only: no S3 call at all.
    member = add_member(alpha, "Ana Ruiz", image=image)
    calls = record_s3_calls(default_storage)
    response = client.get(member.url, headers={"host": "alpha.example.test"})
    assert response.status_code == 200
    html = response.content.decode()
    webp = image.renditions.get(filter_spec="fill-480x600|format-webp")
    assert webp.url in html
    assert calls == []


def test_throttled_writes_are_retried_until_nothing_is_missing(s3_media, client, alpha):
    with fault_proxy(s3_media.endpoint_url) as proxy:
        env = {**s3_media.env, "AWS_S3_ENDPOINT_URL": proxy.url}
        with media_worker(env) as worker:
            # More 503 SlowDown answers than boto3's own 5 attempts absorb: the task retries.
            proxy.fail_next(6)
            image = admin_upload(client, alpha, "team.png", picture((800, 600)))
            assert status.get_state(image.pk)["state"] == status.PENDING
            wait_for(renditions_done(image, len(ALL_PUBLIC_SPECS)), 120, "renditions")
        throttled = proxy.requests(status=503)
    assert len(throttled) == 6
    assert proxy.failures_left == 0
    keys = set(s3_media.keys("practices/alpha/images/"))
    assert {r.file.name for r in image.renditions.all()} <= keys
    assert len(keys) == len(ALL_PUBLIC_SPECS)  # nothing lost, nothing duplicated
    assert "generate_renditions: transient storage error ClientError, retry 1" in worker.log()
    assert status.get_state(image.pk)["state"] == status.READY


def test_an_unreachable_bucket_is_waited_for_and_nothing_is_lost(s3_media, client, alpha):
    with fault_proxy(s3_media.endpoint_url) as proxy:
        env = {**s3_media.env, "AWS_S3_ENDPOINT_URL": proxy.url}
        with media_worker(env) as worker:
            proxy.state.down = True  # connections dropped: S3 unreachable
            image = admin_upload(client, alpha, "lobby.png", picture((800, 600)))
            wait_for(lambda: "transient storage error" in worker.log(), 60, "a retry")
            assert status.get_state(image.pk)["state"] == status.PENDING
            assert not image.renditions.exists()
            proxy.state.down = False  # S3 is back
            wait_for(renditions_done(image, len(ALL_PUBLIC_SPECS)), 120, "renditions")
    assert status.get_state(image.pk)["state"] == status.READY
    keys = set(s3_media.keys("practices/alpha/images/"))
    assert {r.file.name for r in image.renditions.all()} == keys
    assert len(keys) == len(ALL_PUBLIC_SPECS)


def real_video(path: Path, megabytes: int = 0) -> Path:
    """A real H.264 MP4 (ffmpeg from imageio-ffmpeg), padded with an MP4 'free' box."""
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-t", "2",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", str(path)],
        check=True,
    )  # fmt: skip
    if megabytes:
        size = megabytes * MB
        with path.open("ab") as handle:
            handle.write(size.to_bytes(4, "big") + b"free" + b"\0" * (size - 8))
    return path


def test_a_large_video_goes_up_in_parts_and_gets_a_poster(s3_media, client, alpha, tmp_path):
    video = real_video(tmp_path / "welcome.mp4", megabytes=12)
    with media_worker(s3_media.env):
        client.force_login(editor_of(alpha))
        response = client.post(
            reverse("wagtaildocs:add"),
            {
                "title": "Welcome",
                "collection": alpha.collection.pk,
                "file": upload("welcome.mp4", video.read_bytes(), "video/mp4"),
            },
        )
        assert response.status_code == 302
        document = Document.objects.get(title="Welcome")
        poster = wait_for(
            lambda: Image.objects.filter(title=poster_title(document)).first(), 60, "poster"
        )
        wait_for(renditions_done(poster, 1), 60, "poster rendition")
    assert document.file.name == "practices/alpha/videos/welcome.mp4"
    etag = s3_media.head(document.file.name)["ETag"].strip('"')
    assert etag.endswith("-2"), etag  # 12 MB in 8 MB parts
    assert (poster.width, poster.height) == (320, 240)
    assert poster.file.name.startswith("practices/alpha/original_images/welcome")
    [rendition] = poster.renditions.all()
    assert rendition.filter_spec in specs_for_origin("video_poster")
    assert rendition.file.name in s3_media.keys("practices/alpha/images/")


def test_the_video_upload_task_uses_multipart_and_leaves_no_row_without_object(
    s3_media, alpha, tmp_path
):
    from agency_platform.media.tasks import upload_video

    video = real_video(tmp_path / "tour.mp4", megabytes=20)
    with media_worker(s3_media.env):
        result = upload_video.delay(str(video), alpha.collection.pk, "Office tour")
        document_id = result.get(timeout=60)
        document = Document.objects.get(pk=document_id)
        wait_for(lambda: Image.objects.filter(title=poster_title(document)).exists(), 60)
    assert document.file.name == "practices/alpha/videos/tour.mp4"
    assert s3_media.head(document.file.name)["ETag"].strip('"').endswith("-3")
    assert document.file_size == video.stat().st_size


def test_importer_images_land_in_the_practice_prefix_with_their_renditions(
    s3_media, alpha, tmp_path
):
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "flu.jpg").write_bytes(picture((1400, 800), "JPEG"))
    (tmp_path / "flu.md").write_text(
        "---\npost_title: Flu season\ndate: 2024-10-01T05:00:00Z\npost_intro: Get your shot.\n"
        "post_image: /uploads/flu.jpg\n---\n\nBook today.\n"
    )
    with media_worker(s3_media.env):
        call_command(
            "import_posts", "--practice", "alpha", str(tmp_path / "flu.md"),
            "--uploads-root", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
        image = Image.objects.get(collection=alpha.collection)
        wait_for(renditions_done(image, len(specs_for_origin("blog_import"))), what="renditions")
    assert image.file.name == "practices/alpha/original_images/flu.jpg"
    assert sorted(r.filter_spec for r in image.renditions.all()) == specs_for_origin("blog_import")
    assert image.file.name in s3_media.keys("practices/alpha/original_images/")
