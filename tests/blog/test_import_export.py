"""import_posts / export_posts through the management commands, on a real practice."""

from __future__ import annotations

import hashlib
import io
import itertools
import shutil
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from blog.front_matter import PostDocument, parse_post, serialize_post
from blog.management.commands.import_posts import Command as ImportCommand
from blog.markdown import render_markdown
from blog.models import Author, BlogPostPage, PostType, Product
from tests.blog.test_front_matter import documents
from tests.factories import PracticeFactory

FIXTURES = Path(__file__).parent / "fixtures" / "posts"
SAMPLE = Path("/work/shared/reference/sample-post.md")
Image = get_image_model()


def png(colour: str = "red", fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (8, 6), colour).save(buffer, fmt)
    return buffer.getvalue()


def post_text(
    title: str = "A post",
    *,
    date: str = "2023-07-12T05:00:00.000Z",
    extra: str = "",
    body: str = "Body text.\n",
) -> str:
    return f"---\npost_title: {title}\ndate: {date}\npost_intro: An intro.\n{extra}---\n\n{body}"


def run_import(*args: object) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_posts", *[str(arg) for arg in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing_import(*args: object) -> tuple[str, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_posts", *[str(arg) for arg in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), str(caught.value)


def posts_of(blog) -> list[BlogPostPage]:
    return list(BlogPostPage.objects.child_of(blog).order_by("slug"))


def counts() -> tuple[int, int, int, int]:
    return (
        Page.objects.count(),
        Image.objects.count(),
        Revision.objects.count(),
        Author.objects.count(),
    )


@pytest.mark.skipif(not SAMPLE.exists(), reason="the agency's sample post is not on this machine")
def test_real_sample_post_imports(riverside, riverside_blog, tmp_path):
    shutil.copy(SAMPLE, tmp_path / "humanizing-social-media.md")
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "social.jpg").write_bytes(png("blue", "JPEG"))
    out, err = run_import(
        "--practice",
        "riverside",
        tmp_path / "humanizing-social-media.md",
        "--uploads-root",
        tmp_path,
    )
    assert out.splitlines()[-1] == "1 created, 0 updated, 0 unchanged, 0 failed, 0 warning(s)"
    assert err == ""
    [post] = posts_of(riverside_blog)
    assert post.live
    assert post.slug == "humanizing-social-media"
    assert post.title == "Humanizing Your Primary Care Practice through Social Media"
    assert post.date == datetime(2023, 7, 12, 5, tzinfo=UTC)
    assert post.author.name == "DoctorLogic Employee"
    assert post.author.practice == riverside
    assert post.intro == (
        "Social media offers an excellent opportunity to humanize your primary care practice "
        "in order to help build trust with prospective patients."
    )
    assert post.highlight == post.intro
    assert [t.name for t in post.post_types.all()] == ["blog"]
    assert [p.name for p in post.products.all()] == ["social reputation"]
    assert [t.name for t in post.tags.all()] == ["Healthcare Marketing"]
    assert post.source_image_path == "/uploads/social.jpg"
    assert post.hero_image.collection == riverside.collection
    sample_body = SAMPLE.read_text(encoding="utf-8").replace("\r\n", "\n").split("---\n", 2)[2]
    assert post.body == sample_body.removeprefix("\n")
    html = str(render_markdown(post.body))
    assert html.count("<h2") == 5
    assert "Patients Love Authenticity</h2>" in html
    for href in (
        "https://techjury.net/blog/time-spent-on-social-media/",
        "https://runneragency.com/blog/social-media-best-practices-for-healthcare/",
        "https://www.lyntonweb.com/inbound-marketing-blog/6-facebook-posts-guaranteed-to-"
        "boost-engagement-for-medical-practice",
        "https://growth.doctorlogic.com/get-a-demo",
    ):
        assert f'href="{href}"' in html


def test_backslash_escaped_ampersand_renders_as_commonmark():
    # The sample's "a Q\\&A with a staff member" must render without the backslash.
    html = str(render_markdown("or a Q\\&A with a staff member"))
    assert "Q&amp;A" in html
    assert "Q\\&amp;A" not in html


def test_folder_import_is_recursive_and_reads_every_variant(riverside, riverside_blog, tmp_path):
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "clinic.png").write_bytes(png())
    out, _ = run_import("--practice", "riverside", FIXTURES, "--uploads-root", tmp_path)
    assert out.splitlines()[-1] == "3 created, 0 updated, 0 unchanged, 0 failed, 0 warning(s)"
    flu, summer, welcome = posts_of(riverside_blog)
    assert (flu.slug, summer.slug, welcome.slug) == (
        "flu-season",
        "summer-safety",
        "welcome-new-patients",
    )
    # Date without time: midnight in the practice's zone (Chicago, UTC-5 in October).
    assert flu.date == datetime(2023, 10, 2, 5, tzinfo=UTC)
    assert flu.intro == (
        "Flu shots are available at every visit.\n"
        "No appointment is needed for established patients."
    )
    assert [t.name for t in flu.tags.all()] == ["Vaccines"]
    assert flu.author is None
    assert flu.hero_image is None
    assert flu.body.startswith("Flu season runs from October")
    assert summer.date == datetime(2023, 6, 1, 14, 30, tzinfo=UTC)
    assert summer.highlight == ""
    assert list(summer.tags.all()) == []
    assert welcome.extra_front_matter == {
        "legacy_id": 4217,
        "seo_keywords": ["new patient", "family doctor"],
    }
    assert "about fifteen minutes in the waiting room.  \n" in welcome.body
    assert sorted(t.name for t in welcome.post_types.all()) == ["blog", "news"]


def test_crlf_bom_empty_body_and_duplicate_titles(riverside, riverside_blog, tmp_path):
    (tmp_path / "one.md").write_bytes(
        b"\xef\xbb\xbf" + post_text("Same title", body="").replace("\n", "\r\n").encode()
    )
    (tmp_path / "two.md").write_text(post_text("Same title", body="Line  \r\nnext\r\n"))
    run_import("--practice", "riverside", tmp_path)
    one, two = posts_of(riverside_blog)
    assert (one.title, two.title) == ("Same title", "Same title")
    assert (one.body, two.body) == ("", "Line  \nnext\n")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"---\npost_title: T\ndate: [2023\n---\n", "bad.md:4: invalid YAML: "),
        (
            post_text().replace("post_title: A post\n", "").encode(),
            "bad.md: post_title: is required",
        ),
        (
            post_text().replace("date: 2023-07-12T05:00:00.000Z\n", "").encode(),
            "bad.md: date: is required",
        ),
        (post_text(date="2023-13-40").encode(), "bad.md:3: date: not a valid date '2023-13-40'"),
        (
            post_text(extra="post_author:\n  - A\n  - B\n").encode(),
            "bad.md:5: post_author: must be a single text",
        ),
        (b"---\n- one\n- two\n---\n", "bad.md:2: front matter must be a mapping"),
        (post_text(body="caf\xe9\n").encode("latin-1"), "bad.md:7: the file is not UTF-8 text"),
        (
            post_text(extra="post_image: /uploads/../../etc/passwd\n").encode(),
            "bad.md:5: post_image: '/uploads/../../etc/passwd' is outside the uploads folder",
        ),
        (
            post_text(extra="post_image: /uploads/fake.png\n").encode(),
            "bad.md:5: post_image: '/uploads/fake.png' is not a readable image",
        ),
    ],
)
def test_a_bad_file_fails_alone_and_leaves_nothing(
    riverside, riverside_blog, tmp_path, content, expected
):
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "bad.md").write_bytes(content)
    (posts / "good.md").write_text(post_text("Good one"))
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "fake.png").write_bytes(b"not an image at all")
    run_import("--practice", "riverside", posts / "good.md")  # the baseline exists first
    before = counts()
    out, err, error = run_failing_import(
        "--practice", "riverside", posts, "--uploads-root", tmp_path
    )
    assert error == "1 file(s) failed; the other files were imported."
    assert out.splitlines()[-1].startswith("0 created, 0 updated, 1 unchanged, 1 failed")
    [line] = err.splitlines()
    assert line.startswith(f"{posts}/{expected}"), line
    assert counts() == before
    assert [post.slug for post in posts_of(riverside_blog)] == ["good"]


def test_errors_do_not_stop_the_other_files_from_importing(riverside, riverside_blog, tmp_path):
    (tmp_path / "a.md").write_text(post_text("First"))
    (tmp_path / "b.md").write_text(post_text(date="2023-13-40"))
    (tmp_path / "c.md").write_text(post_text("Third"))
    out, err, _ = run_failing_import("--practice", "riverside", tmp_path)
    assert out.splitlines()[-1] == "2 created, 0 updated, 0 unchanged, 1 failed, 0 warning(s)"
    assert err == f"{tmp_path}/b.md:3: date: not a valid date '2023-13-40'\n"
    assert [post.title for post in posts_of(riverside_blog)] == ["First", "Third"]


def test_zip_members_are_read_and_zip_slip_is_refused(riverside, riverside_blog, tmp_path):
    archive = tmp_path / "posts.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("posts/ok.md", post_text("From zip", extra="post_image: /uploads/z.png\n"))
        zipped.writestr("uploads/z.png", png("green"))
        zipped.writestr("../evil.md", post_text("Evil"))
    out, err, _ = run_failing_import("--practice", "riverside", archive)
    assert err == f"{archive}/../evil.md: member path escapes the archive root\n"
    assert out.splitlines()[-1].startswith("1 created, 0 updated, 0 unchanged, 1 failed")
    [post] = posts_of(riverside_blog)
    assert (post.title, post.slug) == ("From zip", "ok")
    assert post.hero_image.width == 8
    assert not (tmp_path.parent / "evil.md").exists()


def test_missing_image_warns_and_strict_fails(riverside, riverside_blog, tmp_path):
    (tmp_path / "p.md").write_text(post_text(extra="post_image: /uploads/gone.jpg\n"))
    out, err = run_import("--practice", "riverside", tmp_path / "p.md", "--uploads-root", tmp_path)
    assert err == (
        f"warning: {tmp_path}/p.md:5: post_image: '/uploads/gone.jpg' not found under "
        "the uploads root; imported without it\n"
    )
    assert out.splitlines()[-1] == "1 created, 0 updated, 0 unchanged, 0 failed, 1 warning(s)"
    [post] = posts_of(riverside_blog)
    assert (post.hero_image, post.source_image_path) == (None, "/uploads/gone.jpg")
    (tmp_path / "p.md").write_text(post_text("Changed", extra="post_image: /uploads/gone.jpg\n"))
    before = counts()
    _, err, _ = run_failing_import(
        "--practice", "riverside", tmp_path / "p.md", "--strict", "--uploads-root", tmp_path
    )
    assert "p.md:5: post_image: '/uploads/gone.jpg' not found under the uploads root" in err
    assert counts() == before
    assert BlogPostPage.objects.get(pk=post.pk).get_latest_revision_as_object().title == "A post"


def test_reimport_is_idempotent_and_updates_on_change(riverside, riverside_blog, tmp_path):
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "clinic.png").write_bytes(png())
    args = ("--practice", "riverside", FIXTURES, "--uploads-root", tmp_path)
    run_import(*args)
    before = counts()
    out, _ = run_import(*args)
    assert out.splitlines()[-1] == "0 created, 0 updated, 3 unchanged, 0 failed, 0 warning(s)"
    assert counts() == before
    changed = tmp_path / "posts"
    shutil.copytree(FIXTURES, changed)
    flu = changed / "flu-season.md"
    flu.write_text(flu.read_text().replace("tags: Vaccines", "tags: [Vaccines, Flu]"))
    out, _ = run_import("--practice", "riverside", changed, "--uploads-root", tmp_path)
    assert out.splitlines()[-1] == "0 created, 1 updated, 2 unchanged, 0 failed, 0 warning(s)"
    post = BlogPostPage.objects.child_of(riverside_blog).get(slug="flu-season")
    assert sorted(t.name for t in post.tags.all()) == ["Flu", "Vaccines"]
    assert post.revisions.count() == 2
    assert not post.has_unpublished_changes


def test_images_are_deduplicated_by_content(riverside, riverside_blog, tmp_path):
    data = png("purple")
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "a.png").write_bytes(data)
    (tmp_path / "uploads" / "copy-of-a.png").write_bytes(data)
    (tmp_path / "one.md").write_text(post_text("One", extra="post_image: /uploads/a.png\n"))
    (tmp_path / "two.md").write_text(post_text("Two", extra="post_image: copy-of-a.png\n"))
    run_import("--practice", "riverside", tmp_path, "--uploads-root", tmp_path)
    run_import("--practice", "riverside", tmp_path, "--uploads-root", tmp_path / "uploads")
    one, two = posts_of(riverside_blog)
    [image] = Image.objects.filter(collection=riverside.collection)
    assert one.hero_image == two.hero_image == image
    assert image.file_hash == hashlib.sha1(data, usedforsecurity=False).hexdigest()
    with image.open_file() as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == hashlib.sha256(data).hexdigest()


def test_dry_run_writes_nothing(riverside, riverside_blog, tmp_path):
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "clinic.png").write_bytes(png())
    before = (counts(), PostType.objects.count(), Product.objects.count())
    out, _ = run_import(
        "--practice", "riverside", FIXTURES, "--uploads-root", tmp_path, "--dry-run"
    )
    assert out.splitlines()[-1] == (
        "3 created, 0 updated, 0 unchanged, 0 failed, 0 warning(s) (dry run: nothing was written)"
    )
    assert (counts(), PostType.objects.count(), Product.objects.count()) == before


def test_draft_leaves_new_posts_unpublished(riverside, riverside_blog, tmp_path):
    (tmp_path / "p.md").write_text(post_text("Draft post"))
    run_import("--practice", "riverside", tmp_path, "--draft")
    [post] = posts_of(riverside_blog)
    assert not post.live
    assert post.get_latest_revision_as_object().title == "Draft post"


def test_future_dates_are_scheduled(riverside, riverside_blog, tmp_path):
    when = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    (tmp_path / "p.md").write_text(post_text(date=when.isoformat()))
    run_import("--practice", "riverside", tmp_path)
    [post] = posts_of(riverside_blog)
    assert not post.live
    assert post.go_live_at == when
    assert post.latest_revision.approved_go_live_at == when
    out, _ = run_import("--practice", "riverside", tmp_path)
    assert "1 unchanged" in out


def test_import_into_one_practice_never_touches_another(riverside, riverside_blog, tmp_path):
    other = PracticeFactory(slug="lakeside", hostname="lakeside.example.test")
    (tmp_path / "p.md").write_text(post_text("Lakeside original"))
    run_import("--practice", "lakeside", tmp_path)
    lakeside_post = BlogPostPage.objects.descendant_of(other.site.root_page).get()
    (tmp_path / "p.md").write_text(post_text("Riverside version"))
    out, _ = run_import("--practice", "riverside", tmp_path)
    assert "1 created" in out
    lakeside_post.refresh_from_db()
    assert lakeside_post.title == "Lakeside original"
    assert lakeside_post.revisions.count() == 1
    assert [p.title for p in posts_of(riverside_blog)] == ["Riverside version"]


def test_unknown_practice_names_the_flag(db, tmp_path):
    _, _, error = run_failing_import("--practice", "nowhere", tmp_path)
    assert error == "--practice: no practice with slug 'nowhere'."


def test_help_documents_every_flag():
    text = ImportCommand().create_parser("manage.py", "import_posts").format_help()
    for flag in (
        "--practice",
        "--uploads-root",
        "--dry-run",
        "--publish",
        "--draft",
        "--strict",
        "PATH",
    ):
        assert flag in text


def test_export_round_trip_and_fixed_point(riverside, riverside_blog, tmp_path):
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "clinic.png").write_bytes(png())
    sources = tmp_path / "src"
    shutil.copytree(FIXTURES, sources)
    if SAMPLE.exists():
        shutil.copy(SAMPLE, sources / "sample.md")
    run_import("--practice", "riverside", sources, "--uploads-root", tmp_path)
    first, second = tmp_path / "first", tmp_path / "second"
    call_command(
        "export_posts", "--practice", "riverside", "--out", str(first), stdout=io.StringIO()
    )
    for original in sources.rglob("*.md"):
        exported = first / f"{original.stem}.md"
        before = parse_post(original.read_bytes(), path="x", timezone=riverside.timezone)
        after = parse_post(exported.read_bytes(), path="x", timezone=riverside.timezone)
        # Lists are sets in the database; everything else comes back exactly.
        for name in ("post_types", "products", "tags"):
            assert sorted(getattr(after, name)) == sorted(getattr(before, name))
            setattr(before, name, getattr(after, name))
        assert after == before
    assert (first / "uploads" / "clinic.png").read_bytes() == png()
    out, _ = run_import("--practice", "riverside", first, "--uploads-root", first)
    assert " 0 created, 0 updated" in " " + out.splitlines()[-1]
    call_command(
        "export_posts", "--practice", "riverside", "--out", str(second), stdout=io.StringIO()
    )
    files = sorted(path.relative_to(first) for path in first.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(second) for path in second.rglob("*") if path.is_file())
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes()


_example = itertools.count()


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(doc=documents)
def test_generated_posts_export_import_export_is_a_fixed_point(
    riverside, tmp_path, doc: PostDocument
):
    slug = f"generated-{next(_example)}"
    # Publishing needs an intro; images and vocabulary matching are covered above, and
    # generated terms would match each other's slugs across examples.
    doc.intro, doc.image = doc.intro or "Intro.", ""
    doc.post_types = [f"{slug} type"] if doc.post_types else []
    doc.products = [f"{slug} product"] if doc.products else []
    folder = tmp_path / slug
    folder.mkdir()
    (folder / f"{slug}.md").write_text(serialize_post(doc), encoding="utf-8")
    run_import("--practice", "riverside", folder / f"{slug}.md")
    first = folder / "first"
    second = folder / "second"
    call_command(
        "export_posts", "--practice", "riverside", "--out", str(first), stdout=io.StringIO()
    )
    exported = parse_post((first / f"{slug}.md").read_bytes(), path="x", timezone="UTC")
    assert (exported.title, exported.date, exported.body, exported.extra) == (
        doc.title,
        doc.date,
        doc.body,
        doc.extra,
    )
    assert sorted(exported.tags) == sorted(doc.tags)
    out, _ = run_import("--practice", "riverside", first / f"{slug}.md")
    assert out.splitlines()[-1].startswith("0 created, 0 updated, 1 unchanged")
    call_command(
        "export_posts", "--practice", "riverside", "--out", str(second), stdout=io.StringIO()
    )
    assert (first / f"{slug}.md").read_bytes() == (second / f"{slug}.md").read_bytes()
