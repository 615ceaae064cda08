"""Planning one post import: parse results resolved against the database, read-only.

`make_plan` decides everything (author, vocabularies, image, created/updated/
unchanged) without writing; `apply_plan` writes it inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from blog.front_matter import FrontMatterError, PostDocument
from blog.models import Author, BlogIndexPage, BlogPostPage, PostType, Product
from practices.models import Practice
from practices.services.image_files import (
    FileReader,
    ImageChoice,
    ImageError,
    choose_image,
    relative_image_path,
)

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"


# Model fields whose validation errors are reported under a front-matter key.
FIELD_KEYS = {
    "title": "post_title",
    "date": "date",
    "intro": "post_intro",
    "highlight": "post_highlight",
    "slug": "slug",
    "author": "post_author",
}
MAX_LENGTHS = {
    "post_title": 255,
    "post_author": 120,
    "post_image": 255,
    "post_type": 80,
    "product": 80,
    "tags": 100,
}


@dataclass
class PostPlan:
    """Everything decided about one file before anything is written."""

    practice: Practice
    blog: BlogIndexPage
    doc: PostDocument
    slug: str
    label: str
    publish: bool
    page: BlogPostPage | None  # the existing post
    draft: BlogPostPage | None  # its latest revision's content
    author: Author | None
    new_author: str
    post_types: list[PostType | str]  # a name is a term to create
    products: list[Product | str]
    image: ImageChoice | None
    kept_image_id: int | None
    go_live_at: datetime | None
    status: str = CREATED
    warnings: list[str] = field(default_factory=list)


def make_plan(
    practice: Practice,
    blog: BlogIndexPage,
    doc: PostDocument,
    *,
    slug: str,
    label: str,
    uploads: FileReader | None,
    publish: bool,
    strict: bool,
) -> PostPlan:
    def fail(key: str, message: str) -> FrontMatterError:
        return FrontMatterError(label, message, line=doc.line_of(key), key=key)

    _check_lengths(doc, fail)
    page = BlogPostPage.objects.child_of(blog).filter(slug=slug).first()
    draft = page.get_latest_revision_as_object() if page is not None else None
    author = None
    if doc.author:
        # The practice's own author first, then the agency library's.
        authors = Author.objects.filter(name=doc.author)
        author = (
            authors.filter(practice=practice).first()
            or authors.filter(practice__isnull=True).first()
        )
    warnings: list[str] = []
    plan = PostPlan(
        practice=practice,
        blog=blog,
        doc=doc,
        slug=slug,
        label=label,
        publish=publish,
        page=page,
        draft=draft,
        author=author,
        new_author=doc.author if doc.author and author is None else "",
        post_types=[_term(PostType, "post_type", name, fail, warnings) for name in doc.post_types],
        products=[_term(Product, "product", name, fail, warnings) for name in doc.products],
        image=None,
        kept_image_id=None,
        go_live_at=_go_live_at(doc, draft, publish),
        warnings=warnings,
    )
    _plan_image(plan, uploads, strict)
    plan.status = _status(plan)
    return plan


def _check_lengths(doc: PostDocument, fail: Callable[[str, str], FrontMatterError]) -> None:
    values = {
        "post_title": [doc.title],
        "post_author": [doc.author],
        "post_image": [doc.image],
        "post_type": doc.post_types,
        "product": doc.products,
        "tags": doc.tags,
    }
    for key, items in values.items():
        for item in items:
            if len(item) > MAX_LENGTHS[key]:
                raise fail(key, f"'{item[:40]}…' is longer than {MAX_LENGTHS[key]} characters")


def _term(
    model: type[PostType | Product],
    key: str,
    name: str,
    fail: Callable[[str, str], FrontMatterError],
    warnings: list[str],
) -> PostType | Product | str:
    """An existing term by name, else by slug (`Blog` finds `blog`), else a name to create."""
    term = model.objects.filter(name=name).first()
    if term is not None:
        return term
    slug = slugify(name)
    if not slug:
        raise fail(key, f"'{name}' needs at least one letter or digit")
    term = model.objects.filter(slug=slug).first()
    if term is None:
        return name
    # Terms are unique by slug too: reuse the existing spelling rather than fail.
    error = fail(key, f"'{name}' is the existing '{term.name}'")
    warnings.append(str(error))
    return term


def _go_live_at(doc: PostDocument, draft: BlogPostPage | None, publish: bool) -> datetime | None:
    current = draft.go_live_at if draft is not None else None
    if not publish:
        return current
    now = timezone.now()
    if doc.date > now:  # Wagtail publishes it when the date comes
        return doc.date
    return None if current and current > now else current


def _plan_image(plan: PostPlan, uploads: FileReader | None, strict: bool) -> None:
    doc = plan.doc
    if not doc.image:
        return
    line = doc.line_of("post_image")
    try:
        relative_image_path(doc.image)  # refuse escaping paths even when nothing is read
        plan.image = choose_image(plan.practice, doc.image, uploads) if uploads else None
    except ImageError as exc:
        raise FrontMatterError(plan.label, str(exc), line=line, key="post_image") from None
    if plan.image is not None:
        return
    where = "under the uploads root" if uploads else "(no uploads root was given)"
    message = f"'{doc.image}' not found {where}"
    if strict:
        raise FrontMatterError(plan.label, message, line=line, key="post_image")
    plan.warnings.append(f"{plan.label}:{line}: post_image: {message}; imported without it")
    if plan.draft is not None and plan.draft.source_image_path == doc.image:
        plan.kept_image_id = plan.draft.hero_image_id  # same reference: keep what it has


def _status(plan: PostPlan) -> str:
    if plan.draft is None:
        return CREATED
    new_terms = any(isinstance(term, str) for term in [*plan.post_types, *plan.products])
    new_image = plan.image is not None and plan.image.existing is None
    creates = bool(plan.new_author) or new_terms or new_image
    if creates or _current_state(plan.draft) != _wanted_state(plan):
        return UPDATED
    latest = plan.page.latest_revision
    scheduled = latest is not None and latest.approved_go_live_at is not None
    if plan.publish and plan.page.has_unpublished_changes and not scheduled:
        return UPDATED
    return UNCHANGED


def _current_state(page: BlogPostPage) -> dict[str, object]:
    return {
        "title": page.title,
        "date": page.date,
        "author": page.author_id,
        "image": page.hero_image_id,
        "intro": page.intro,
        "highlight": page.highlight,
        "body": page.body,
        "source_image_path": page.source_image_path,
        "extra": page.extra_front_matter,
        "audience": page.audience,
        "go_live_at": page.go_live_at,
        "post_types": sorted(term.pk for term in page.post_types.all()),
        "products": sorted(term.pk for term in page.products.all()),
        "tags": sorted(tag.name for tag in page.tags.all()),
    }


def _wanted_state(plan: PostPlan) -> dict[str, object]:
    doc = plan.doc
    image = plan.image.existing.pk if plan.image and plan.image.existing else plan.kept_image_id
    return {
        "title": doc.title,
        "date": doc.date,
        "author": plan.author.pk if plan.author else None,
        "image": image,
        "intro": doc.intro,
        "highlight": doc.highlight,
        "body": doc.body,
        "source_image_path": doc.image,
        "extra": doc.extra,
        "audience": doc.audience,
        "go_live_at": plan.go_live_at,
        "post_types": sorted(term.pk for term in plan.post_types if not isinstance(term, str)),
        "products": sorted(term.pk for term in plan.products if not isinstance(term, str)),
        "tags": sorted(set(doc.tags)),
    }


def apply_plan(
    plan: PostPlan, new_files: list[str], *, user: AbstractBaseUser | None = None
) -> BlogPostPage:
    """Write the post; call inside a transaction. Stored image names go to `new_files`."""
    doc = plan.doc
    author = plan.author
    if plan.new_author:
        author = Author.objects.create(name=plan.new_author, practice=plan.practice)
    image_id = plan.kept_image_id
    if plan.image is not None:
        image = plan.image.materialise(plan.practice, title=PurePosixPath(doc.image).stem)
        if plan.image.existing is None:
            new_files.append(image.file.name)
        image_id = image.pk
    page = (
        plan.draft
        if plan.draft is not None
        else BlogPostPage(slug=plan.slug, live=False, owner=user)
    )
    page.title, page.date, page.author, page.hero_image_id = doc.title, doc.date, author, image_id
    page.intro, page.highlight, page.body = doc.intro, doc.highlight, doc.body
    page.source_image_path, page.extra_front_matter = doc.image, doc.extra
    page.audience = doc.audience
    page.go_live_at = plan.go_live_at
    page.post_types = [_create_term(PostType, term) for term in plan.post_types]
    page.products = [_create_term(Product, term) for term in plan.products]
    page.tags.set(doc.tags)
    if plan.draft is None:
        plan.blog.add_child(instance=page)
    try:
        page.full_clean()
    except ValidationError as exc:
        key, messages = next(iter(exc.message_dict.items()))
        key = FIELD_KEYS.get(key, key)
        message = " ".join(messages)
        raise FrontMatterError(plan.label, message, line=doc.line_of(key), key=key) from None
    revision = page.save_revision(user=user, clean=False, log_action=True)
    if plan.publish:
        revision.publish(user=user, log_action=True)
    return page


def _create_term(model: type[PostType | Product], term: PostType | Product | str):
    return model.objects.create(name=term) if isinstance(term, str) else term
