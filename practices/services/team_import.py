"""Import team members from a CSV file into one practice's team page.

Columns: name, credentials (";"-separated), role, role_group, photo (a file name under
the photos folder), alt_text, specialties (";"), languages (";", names or codes),
accepting_new_patients (yes/no). Each row is checked read-only first, then written in
its own transaction, so a bad row leaves nothing behind and the other rows still
import. A member is matched by slug (from the name) among the team page's children:
re-running a file updates the same pages, with a new published revision. Photos are
stored in the practice's collection and de-duplicated by content (the post importer's
rules, practices/services/image_files.py), so re-running does not duplicate images.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from practices.models import Practice
from practices.models.team import TeamIndexPage, TeamMemberPage
from practices.models.team_blocks import RoleGroup, language_code, normalise_credential
from practices.services.image_files import (
    ImageChoice,
    ImageError,
    choose_image,
    directory_reader,
)

REQUIRED_COLUMNS = ("name", "role", "role_group")
OPTIONAL_COLUMNS = (
    "credentials", "photo", "alt_text", "specialties", "languages", "accepting_new_patients",
)  # fmt: skip
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
# Model fields named in validation errors -> the CSV column an importer must fix.
FIELD_COLUMNS = {"title": "name", "slug": "name", "portrait": "photo", "role_title": "role"}


class TeamCsvError(Exception):
    """The file as a whole cannot be read; no row was imported."""


class RowError(Exception):
    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{column}: {message}" for column, message in errors))
        self.errors = errors


@dataclass
class RowOutcome:
    line: int
    slug: str
    action: str = ""  # "created" / "updated" (also in a dry run: what would happen)
    errors: list[str] = field(default_factory=list)  # "file:line: column: message"


@dataclass
class ImportReport:
    outcomes: list[RowOutcome] = field(default_factory=list)
    dry_run: bool = False

    def _count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def created(self) -> int:
        return self._count("created")

    @property
    def updated(self) -> int:
        return self._count("updated")

    @property
    def failed(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.errors)

    @property
    def summary(self) -> str:
        text = f"{self.created} created, {self.updated} updated, {self.failed} failed"
        return f"{text} (dry run: nothing was written)" if self.dry_run else text


@dataclass
class MemberPlan:
    """One valid row, ready to write."""

    name: str
    slug: str
    role_title: str
    role_group: str
    credentials: list[str]
    specialties: list[str]
    languages: list[str]
    accepting_new_patients: bool | None  # None: keep (update) / default (create)
    photo: ImageChoice | None
    alt_text: str


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) pairs; raises TeamCsvError naming the file on bad structure."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise TeamCsvError(f"{path}: cannot read file: {exc.strerror}") from None
    with handle:
        reader = csv.DictReader(handle)
        columns = set(reader.fieldnames or [])
        missing = [column for column in REQUIRED_COLUMNS if column not in columns]
        if missing:
            raise TeamCsvError(f"{path}:1: missing column(s): {', '.join(missing)}")
        unknown = columns - set(REQUIRED_COLUMNS) - set(OPTIONAL_COLUMNS)
        if unknown:
            raise TeamCsvError(f"{path}:1: unknown column(s): {', '.join(sorted(unknown))}")
        try:
            rows = list(reader)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise TeamCsvError(f"{path}:{reader.line_num}: {exc}") from None
    for line, row in enumerate(rows, start=2):
        yield line, {key: (value or "").strip() for key, value in row.items() if key}


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _role_group(value: str) -> str | None:
    key = slugify(value)
    for choice, label in RoleGroup.choices:
        if key in (choice, slugify(label)):
            return choice
    return None


def plan_row(
    row: dict[str, str], *, practice: Practice, existing: TeamMemberPage | None, photos
) -> MemberPlan:
    """Check one row without writing anything; raises RowError naming the columns."""
    errors: list[tuple[str, str]] = []
    name = row.get("name", "")
    slug = slugify(name)
    if not slug:
        errors.append(("name", "is required"))
    if not row.get("role"):
        errors.append(("role", "is required (the job title patients see)"))
    role_group = _role_group(row.get("role_group", ""))
    if role_group is None:
        errors.append(
            (
                "role_group",
                f"'{row.get('role_group', '')}' is not one of {', '.join(RoleGroup.values)}",
            )
        )
    credentials: list[str] = []
    for value in _split(row.get("credentials", "")):
        listed = normalise_credential(value)
        if listed is None:
            errors.append(
                ("credentials", f"unknown credential '{value}' (e.g. MD, DO, NP, PA-C, DDS)")
            )
        elif listed not in credentials:
            credentials.append(listed)
    languages: list[str] = []
    for value in _split(row.get("languages", "")):
        code = language_code(value)
        if code is None:
            errors.append(("languages", f"unknown language '{value}'"))
        elif code not in languages:
            languages.append(code)
    accepting_value = row.get("accepting_new_patients", "").lower()
    accepting = True if accepting_value in YES else False if accepting_value in NO else None
    if accepting_value and accepting is None:
        errors.append(("accepting_new_patients", f"'{accepting_value}': use yes or no"))

    photo: ImageChoice | None = None
    alt_text = row.get("alt_text", "")
    photo_name = row.get("photo", "")
    if photo_name and photos is None:
        errors.append(("photo", "give --photos-dir to say where the photo files are"))
    elif photo_name:
        try:
            photo = choose_image(practice, photo_name, photos)
        except ImageError as exc:
            errors.append(("photo", str(exc)))
        else:
            if photo is None:
                errors.append(("photo", f"'{photo_name}' not found in the photos folder"))
    elif existing is None or existing.portrait_id is None:
        errors.append(("photo", "is required for a new team member"))
    portrait_described = bool(
        existing is not None
        and existing.portrait is not None
        and existing.portrait.description.strip()
    )
    if not alt_text and (photo_name or not portrait_described):
        errors.append(("alt_text", "is required: describe the photo for screen-reader users"))
    if existing is not None and existing.has_unpublished_changes:
        errors.append(("name", f"'{slug}' has unpublished changes: publish or discard them first"))
    if errors:
        raise RowError(errors)
    return MemberPlan(
        name=name, slug=slug, role_title=row["role"], role_group=role_group,
        credentials=credentials, specialties=_split(row.get("specialties", "")),
        languages=languages, accepting_new_patients=accepting, photo=photo, alt_text=alt_text,
    )  # fmt: skip


def _apply(plan: MemberPlan, *, practice: Practice, index_pk: int) -> str:
    """Write one planned row in its own transaction; returns "created" or "updated"."""
    with transaction.atomic():
        # One import at a time per team: two runs cannot both create the same slug.
        index = TeamIndexPage.objects.select_for_update().get(pk=index_pk)
        member = TeamMemberPage.objects.child_of(index).filter(slug=plan.slug).first()
        created = member is None
        if created:
            member = TeamMemberPage(title=plan.name, slug=plan.slug)
        if plan.photo is not None:
            member.portrait = plan.photo.materialise(
                practice, title=f"{plan.name} portrait", origin="team_photo"
            )
        if plan.alt_text and member.portrait.description != plan.alt_text:
            member.portrait.description = plan.alt_text
            member.portrait.save(update_fields=["description"])
        member.title = plan.name
        member.role_title = plan.role_title
        member.role_group = plan.role_group
        member.credentials = [("credential", value) for value in plan.credentials]
        member.specialties = [("specialty", value) for value in plan.specialties]
        member.languages = [("language", code) for code in plan.languages]
        if plan.accepting_new_patients is not None:
            member.accepting_new_patients = plan.accepting_new_patients
        if created:
            index.add_child(instance=member)
        member.save_revision().publish()
    return "created" if created else "updated"


def _validation_errors(exc: ValidationError) -> list[tuple[str, str]]:
    if not hasattr(exc, "error_dict"):
        return [("row", message) for message in exc.messages]
    return [
        (FIELD_COLUMNS.get(name, name), message)
        for name, messages in exc.message_dict.items()
        for message in messages
    ]


def import_team_csv(
    practice: Practice,
    path: Path,
    *,
    photos_dir: Path | None = None,
    dry_run: bool = False,
    rows: list[tuple[int, dict[str, str]]] | None = None,
    on_row: Callable[[RowOutcome], None] | None = None,
) -> ImportReport:
    """Import every row; raises TeamCsvError when the file (or the team page) is unusable."""
    index = TeamIndexPage.objects.descendant_of(practice.site.root_page).first()
    if index is None:
        raise TeamCsvError(f"practice '{practice.slug}' has no team page")
    photos = directory_reader(photos_dir) if photos_dir is not None else None
    report = ImportReport(dry_run=dry_run)
    seen: dict[str, int] = {}
    for line, row in rows if rows is not None else read_rows(path):
        slug = slugify(row.get("name", ""))
        outcome = RowOutcome(line=line, slug=slug)
        try:
            if slug in seen:
                raise RowError([("name", f"duplicate of line {seen[slug]} (same member '{slug}')")])
            if slug:
                seen[slug] = line
            existing = (
                TeamMemberPage.objects.child_of(index)
                .select_related("portrait")
                .filter(slug=slug)
                .first()
            )
            plan = plan_row(row, practice=practice, existing=existing, photos=photos)
            if dry_run:
                outcome.action = "updated" if existing else "created"
            else:
                outcome.action = _apply(plan, practice=practice, index_pk=index.pk)
        except RowError as exc:
            outcome.errors = [
                f"{path}:{line}: {column}: {message}" for column, message in exc.errors
            ]
        except ValidationError as exc:
            outcome.errors = [
                f"{path}:{line}: {column}: {message}" for column, message in _validation_errors(exc)
            ]
        report.outcomes.append(outcome)
        if on_row:
            on_row(outcome)
    return report
