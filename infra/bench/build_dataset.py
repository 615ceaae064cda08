"""Build the benchmark dataset: N practices, each with P blog posts and M team members.

Run from the repository root with the project's virtualenv (run.py does this):

    DJANGO_SETTINGS_MODULE=... python infra/bench/build_dataset.py --practices 100

Each practice skeleton (site, page tree, groups, settings, demo-request form) comes from
the real provisioning service, so the pages served are what a customer gets. Posts and
team members would take ~40 ms each through add_child + save_revision + publish (50,000
posts for 1,000 practices: over half an hour), so they are written in bulk instead:
tree paths are computed here, the `wagtailcore_page` rows go in with one bulk_create
per practice and the subclass rows with one multi-row INSERT. They are published pages
without revisions (nothing on the public side reads revisions).

Content is realistic rather than shared (content.py): each post has its own Markdown
body (400 to 1,200 words), hero image and every front-matter field filled; each member
has their own portrait; authors have photos. Images are drawn with Pillow and written
straight to the storage with one bulk INSERT per practice and kind.

Idempotent: a practice that already has its posts is skipped, so growing a dataset from
100 to 1,000 practices only builds the 900 new ones. Names are deterministic
(bench-0001.bench.test, /blog/post-01/, /team/member-01/), so run.py derives URLs
without asking the database.
"""

from __future__ import annotations

import argparse
import datetime
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import django  # noqa: E402

django.setup()

import content  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402
from PIL import Image as PILImage  # noqa: E402
from taggit.models import Tag  # noqa: E402
from wagtail.images import get_image_model  # noqa: E402
from wagtail.models import Page  # noqa: E402

from blog.models import Author, BlogIndexPage, BlogPostPage, PostType, Product  # noqa: E402
from blog.models.pages import BlogPostTag  # noqa: E402
from practices.models import Practice, TeamIndexPage, TeamMemberPage  # noqa: E402
from practices.services.provisioning import PracticeSpec, provision_practice  # noqa: E402

TAGS = [f"topic-{n}" for n in range(1, 11)]
TEMPLATES = ["general", "dentistry"]
POST_TYPES = ["Blog", "Patient education", "News"]
PRODUCTS = ["Primary care", "Preventive care", "Telehealth", "Social reputation"]
AUTHORS = 3  # per practice, each with a photo (a member's portrait)


def practice_slug(number: int) -> str:
    return f"bench-{number:04d}"


def practice_host(number: int) -> str:
    return f"{practice_slug(number)}.bench.test"


def _images(practice: Practice, specs: list[tuple[str, str, bytes, str]]) -> list:
    """One image row per (title, file name, JPEG bytes, sha1), in one bulk INSERT; the
    files go straight to the image storage (no ImageFile round trip through Pillow)."""
    model = get_image_model()
    storage = model._meta.get_field("file").storage
    images = []
    for title, name, data, digest in specs:
        path = storage.save(f"original_images/{name}", ContentFile(data))
        with PILImage.open(io.BytesIO(data)) as opened:
            width, height = opened.size
        images.append(
            model(
                title=title,
                description=f"{title} (benchmark image)",
                collection=practice.collection,
                file=path,
                width=width,
                height=height,
                file_size=len(data),
                file_hash=digest,
            )
        )
    return model.objects.bulk_create(images)


def _bulk_children(parent: Page, children: list[Page]) -> None:
    """Insert published children under `parent` in two statements plus the numchild update.

    Django cannot bulk_create a multi-table-inherited model, so the Page rows go first
    (bulk_create returns their ids on PostgreSQL) and the subclass rows follow with the
    same ids through the manager's _insert (what bulk_create itself uses).
    """
    now = timezone.now()
    parent.refresh_from_db(fields=["numchild", "path", "depth", "url_path", "locale"])
    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    rows = []
    for offset, child in enumerate(children, start=parent.numchild + 1):
        child.path = Page._get_path(parent.path, parent.depth + 1, offset)
        child.depth = parent.depth + 1
        child.numchild = 0
        child.url_path = f"{parent.url_path}{child.slug}/"
        child.locale_id = parent.locale_id
        child.live = True
        child.has_unpublished_changes = False
        child.draft_title = child.title
        child.first_published_at = child.last_published_at = now
        rows.append(Page(**{f.attname: getattr(child, f.attname) for f in page_fields}))
    Page.objects.bulk_create(rows)
    model = type(children[0])
    for row, child in zip(rows, children, strict=True):
        child.id = child.page_ptr_id = row.id
    local_fields = list(model._meta.local_concrete_fields)
    model._base_manager._insert(children, fields=local_fields, raw=True)
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(children))


def _posts(practice: Practice, number: int, blog: BlogIndexPage, count: int, photos) -> None:
    """Posts with their own body, hero image and every front-matter field filled
    (post_title, date, post_author, post_image, post_intro, post_highlight, post_type,
    product, tags, audience)."""
    authors = [
        Author.objects.create(
            practice=practice,
            name=f"Dr. Author {k} {number}",
            slug=f"author-{k}",
            job_title="Physician" if k % 2 else "Nurse practitioner",
            photo=photos[k - 1],
            bio=f"Author {k} writes for {practice.name} about prevention and daily care.",
        )
        for k in range(1, min(AUTHORS, len(photos)) + 1)
    ]
    texts = [content.post_text(number, n) for n in range(1, count + 1)]
    heroes = _images(practice, [
        (f"Post {n} hero", f"{practice.slug}-post-{n:02d}.jpg",
         *content.hero_jpeg(f"hero-{number}-{n}", text["title"]))
        for n, text in enumerate(texts, start=1)
    ])  # fmt: skip
    today = timezone.now()
    posts = [
        BlogPostPage(
            title=text["title"],
            slug=f"post-{n:02d}",
            date=today - datetime.timedelta(days=n),
            author=authors[n % len(authors)] if authors else None,
            hero_image=hero,
            source_image_path=f"/uploads/{practice.slug}-post-{n:02d}.jpg",
            intro=text["intro"],
            highlight=text["highlight"],
            body=content.with_inline_image(text["body"], number, n, hero.file.url),
            show_table_of_contents=n % 3 == 0,
            audience="patients",
        )
        for n, (text, hero) in enumerate(zip(texts, heroes, strict=True), start=1)
    ]
    _bulk_children(blog, posts)
    tags = {tag.name: tag for tag in Tag.objects.filter(name__in=TAGS)}
    BlogPostTag.objects.bulk_create(
        BlogPostTag(content_object_id=post.id, tag=tags[TAGS[(n + k) % len(TAGS)]])
        for n, post in enumerate(posts)
        for k in range(3)
    )
    taxonomies = (("post_types", PostType, POST_TYPES), ("products", Product, PRODUCTS))
    for field, model, names in taxonomies:
        terms = list(model.objects.filter(name__in=names).order_by("name"))
        through = getattr(BlogPostPage, field).through
        column = f"{model._meta.model_name}_id"
        through.objects.bulk_create(
            through(blogpostpage_id=post.id, **{column: terms[n % len(terms)].id})
            for n, post in enumerate(posts)
        )


def _members(practice: Practice, number: int, team: TeamIndexPage, count: int) -> list:
    """Members with a portrait each; returns the portraits (authors' photos)."""
    portraits = _images(practice, [
        (f"Portrait {n}", f"{practice.slug}-member-{n:02d}.jpg",
         *content.portrait_jpeg(f"portrait-{number}-{n}", f"M{n}"))
        for n in range(1, count + 1)
    ])  # fmt: skip
    qa = [
        ("suggested", {"question": "care-philosophy", "answer": "<p>Listen first.</p>"}),
        ("custom", {"question": "Weekends?", "answer": "<p>Hiking and recipes.</p>"}),
    ]
    members = [
        TeamMemberPage(
            title=f"Member {n} Bench",
            slug=f"member-{n:02d}",
            role_title="Family physician" if n % 3 else "Nurse practitioner",
            role_group="physicians" if n % 3 else "nurse-practitioners",
            portrait=portrait,
            credentials=[("credential", "MD")],
            specialties=[("specialty", "Sports medicine")],
            languages=[("language", "en"), ("language", "es")],
            education=[
                (
                    "education",
                    {
                        "degree": "Doctor of Medicine",
                        "institution": "State University",
                        "year": 2000 + n,
                    },
                )
            ],
            certifications=[
                (
                    "certification",
                    {
                        "name": "Family Medicine",
                        "board": "American Board of Family Medicine",
                        "year": 2005 + n,
                    },
                )
            ],
            accepting_new_patients=bool(n % 2),
            short_bio=f"Member {n} has cared for {practice.name} patients for years.",
            long_bio=f"<p>Member {n} joined {practice.name} and loves meeting families.</p>",
            qa=qa,
        )
        for n, portrait in enumerate(portraits, start=1)
    ]
    _bulk_children(team, members)
    return portraits


def build_practice(number: int, posts: int, members: int) -> bool:
    """Build one practice; False when it was already complete."""
    slug = practice_slug(number)
    existing = Practice.objects.filter(slug=slug).select_related("site").first()
    if existing and BlogPostPage.objects.descendant_of(existing.site.root_page).exists():
        return False
    with transaction.atomic():
        practice = provision_practice(
            PracticeSpec(
                name=f"Bench Practice {number}",
                slug=slug,
                hostname=practice_host(number),
                template=TEMPLATES[number % len(TEMPLATES)],
            )
        ).practice
        home = practice.site.root_page
        blog = BlogIndexPage.objects.descendant_of(home).get()
        team = TeamIndexPage.objects.descendant_of(home).get()
        portraits = _members(practice, number, team, members)
        _posts(practice, number, blog, posts, portraits)
    return True


def ensure_vocabulary() -> None:
    """The tags, post types and products that _posts() assigns (kept across builds)."""
    for name in TAGS:
        Tag.objects.get_or_create(name=name, defaults={"slug": name})
    for model, names in ((PostType, POST_TYPES), (Product, PRODUCTS)):
        for name in names:
            model.objects.get_or_create(name=name, defaults={"slug": slugify(name)})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--practices", type=int, default=100)
    parser.add_argument("--posts", type=int, default=50)
    parser.add_argument("--members", type=int, default=10)
    args = parser.parse_args()
    ensure_vocabulary()
    started = time.monotonic()
    built = 0
    for number in range(1, args.practices + 1):
        built += build_practice(number, args.posts, args.members)
        if number % 50 == 0 or number == args.practices:
            elapsed = time.monotonic() - started
            print(f"  {number}/{args.practices} practices ({built} built) in {elapsed:.1f} s")
    # Wagtail caches the site list and root paths; new sites must be visible at once.
    cache.clear()
    elapsed = time.monotonic() - started
    print(f"BUILD built={built} practices={args.practices} seconds={elapsed:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
