"""Import a practice's testimonials from CSV, all or nothing.

Columns: quote, display_name, source (one of TestimonialSource's values), given_on
(YYYY-MM-DD), consent_recorded (yes/no), consent_note (optional). Every row is
checked first; one bad row means nothing is written and every error is reported as
`file:line: column: message`. Imported testimonials wait for a moderator's approval
like those typed into the admin. A row whose practice, name and quote already exist
is left as it is, so running the same file again adds nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from practices.models import Practice, Testimonial, TestimonialSource

REQUIRED_COLUMNS = ("quote", "display_name", "source", "given_on", "consent_recorded")
OPTIONAL_COLUMNS = ("consent_note",)
YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0", ""}


class TestimonialCsvError(Exception):
    """The file as a whole is unusable (missing, not UTF-8, wrong columns)."""


@dataclass
class TestimonialImportReport:
    created: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def _row_to_testimonial(practice: Practice, row: dict[str, str]) -> tuple[Testimonial, list]:
    errors: list[tuple[str, str]] = []
    consent = row["consent_recorded"].strip().lower()
    if consent not in YES | NO:
        errors.append(("consent_recorded", f"'{row['consent_recorded']}' is not yes or no"))
    given_on = None
    try:
        given_on = date.fromisoformat(row["given_on"].strip())
    except ValueError:
        errors.append(("given_on", f"'{row['given_on']}' is not a date (YYYY-MM-DD)"))
    testimonial = Testimonial(
        practice=practice,
        quote=row["quote"].strip(),
        display_name=row["display_name"].strip(),
        source=row["source"].strip(),
        given_on=given_on,
        consent_recorded=consent in YES,
        consent_note=(row.get("consent_note") or "").strip(),
    )
    try:
        testimonial.full_clean(exclude=[name for name, _ in errors])
    except ValidationError as invalid:
        for name, messages in invalid.message_dict.items():
            errors.extend((name, message) for message in messages)
    return testimonial, errors


def _read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise TestimonialCsvError(f"{path}:1: missing column(s): {', '.join(missing)}")
            return [(reader.line_num, row) for row in reader]
    except (OSError, UnicodeDecodeError) as error:
        raise TestimonialCsvError(f"{path}: cannot be read: {error}") from error


def import_testimonials(practice: Practice, path: Path) -> TestimonialImportReport:
    """Check every row, then create the new ones in one transaction (or none)."""
    report = TestimonialImportReport()
    new: list[Testimonial] = []
    sources = ", ".join(TestimonialSource.values)
    for line, row in _read_rows(path):
        testimonial, errors = _row_to_testimonial(practice, row)
        for column, message in errors:
            hint = f" (one of {sources})" if column == "source" else ""
            report.errors.append(f"{path}:{line}: {column}: {message}{hint}")
        if not errors:
            new.append(testimonial)
    if report.errors:
        return report
    existing = set(practice.testimonials.values_list("display_name", "quote"))
    with transaction.atomic():
        for testimonial in new:
            if (testimonial.display_name, testimonial.quote) in existing:
                report.unchanged += 1
                continue
            testimonial.save()
            existing.add((testimonial.display_name, testimonial.quote))
            report.created += 1
    return report
