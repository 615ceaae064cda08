"""Import post files (Markdown + YAML front matter) into one practice's blog.

Each file is planned read-only first (parse, resolve author, vocabularies, image and
the existing post, decide created/updated/unchanged), then applied in its own
transaction; a dry run stops after planning, so it writes nothing at all (no rows,
no image files, no publish signals).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.text import slugify

from blog import selectors
from blog.front_matter import FrontMatterError, PostDocument, parse_post
from blog.models import BlogIndexPage, BlogPostPage
from blog.services.images import PostSource, iter_sources
from blog.services.import_plan import CREATED, FAILED, UNCHANGED, UPDATED, apply_plan, make_plan
from practices.models import Practice
from practices.services.image_files import FileReader, directory_reader


class ImportSetupError(Exception):
    """The import cannot start at all (e.g. the practice has no blog)."""


@dataclass
class FileOutcome:
    path: str
    status: str
    slug: str = ""
    title: str = ""
    error: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    dry_run: bool = False
    files: list[FileOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.files if outcome.status == status)

    @property
    def failed(self) -> int:
        return self.count(FAILED)

    @property
    def warnings(self) -> int:
        return sum(len(outcome.warnings) for outcome in self.files)

    def summary(self) -> str:
        counts = ", ".join(
            f"{self.count(status)} {status}" for status in (CREATED, UPDATED, UNCHANGED, FAILED)
        )
        suffix = " (dry run: nothing was written)" if self.dry_run else ""
        return f"{counts}, {self.warnings} warning(s){suffix}"


def blog_index_for(practice: Practice) -> BlogIndexPage:
    blog = selectors.blog_index_for(practice)
    if blog is None:
        raise ImportSetupError(f"practice '{practice.slug}' has no blog index page")
    return blog


def import_posts(
    practice: Practice,
    paths: Iterable[str | Path],
    *,
    uploads_root: str | Path | None = None,
    publish: bool = True,
    dry_run: bool = False,
    strict: bool = False,
    on_file: Callable[[FileOutcome], None] | None = None,
    user: AbstractBaseUser | None = None,
) -> ImportReport:
    """Import every post file under `paths` (.md files, folders, .zip archives);
    `user`, when given, is recorded on the revisions and the audit log."""
    blog = blog_index_for(practice)
    uploads = directory_reader(Path(uploads_root)) if uploads_root else None
    report = ImportReport(dry_run=dry_run)
    for source in iter_sources(paths):
        outcome = _import_one(
            source,
            practice,
            blog,
            uploads=source.images or uploads,
            publish=publish,
            dry_run=dry_run,
            strict=strict,
            user=user,
        )
        report.files.append(outcome)
        if on_file is not None:
            on_file(outcome)
    return report


def _import_one(
    source: PostSource,
    practice: Practice,
    blog: BlogIndexPage,
    *,
    uploads: FileReader | None,
    publish: bool,
    dry_run: bool,
    strict: bool,
    user: AbstractBaseUser | None,
) -> FileOutcome:
    outcome = FileOutcome(path=source.label, status=FAILED)
    new_files: list[str] = []
    try:
        if source.problem:
            raise FrontMatterError(source.label, source.problem)
        doc = parse_post(source.read(), path=source.label, timezone=practice.timezone)
        outcome.title = doc.title
        outcome.slug = _slug_for(doc, source)
        plan = make_plan(
            practice,
            blog,
            doc,
            slug=outcome.slug,
            label=source.label,
            uploads=uploads,
            publish=publish,
            strict=strict,
        )
        outcome.warnings = plan.warnings
        outcome.status = plan.status
        if not dry_run and plan.status != UNCHANGED:
            with transaction.atomic():
                apply_plan(plan, new_files, user=user)
    except FrontMatterError as exc:
        _discard(new_files)
        outcome.status, outcome.error = FAILED, str(exc)
    except (ValidationError, DatabaseError) as exc:
        _discard(new_files)
        outcome.status, outcome.error = FAILED, f"{source.label}: could not save the post: {exc}"
    return outcome


def _discard(stored_names: list[str]) -> None:
    """Image files saved before a rollback: storage is not transactional."""
    from django.core.files.storage import default_storage

    for name in stored_names:
        default_storage.delete(name)


def _slug_for(doc: PostDocument, source: PostSource) -> str:
    slug = doc.slug or slugify(source.stem)
    if not slug:
        raise FrontMatterError(
            source.label, f"cannot derive a slug from the file name '{source.stem}'", key="slug"
        )
    if len(slug) > BlogPostPage._meta.get_field("slug").max_length:
        raise FrontMatterError(source.label, "is too long", line=doc.line_of("slug"), key="slug")
    return slug
