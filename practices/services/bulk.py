"""Provision many practices from a CSV file: one transaction per row, errors per row."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from practices.services.provisioning import (
    PracticeSpec,
    ProvisioningError,
    ProvisionResult,
    provision_practice,
)

REQUIRED_COLUMNS = {"name", "slug", "hostname"}
OPTIONAL_COLUMNS = {"owner_email", "template", "specialty", "timezone", "aliases", "status"}


class CsvFormatError(Exception):
    """The file as a whole cannot be read; no row was provisioned."""


@dataclass
class RowOutcome:
    line: int
    slug: str
    result: ProvisionResult | None = None
    error: str = ""


@dataclass
class BulkReport:
    outcomes: list[RowOutcome] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(1 for o in self.outcomes if o.result and o.result.created)

    @property
    def unchanged(self) -> int:
        return sum(1 for o in self.outcomes if o.result and not o.result.created)

    @property
    def failed(self) -> int:
        return sum(1 for o in self.outcomes if o.error)


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) pairs; raises CsvFormatError naming the file on bad structure."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise CsvFormatError(f"{path}: cannot read file: {exc.strerror}") from None
    with handle:
        reader = csv.DictReader(handle)
        columns = set(reader.fieldnames or [])
        missing = REQUIRED_COLUMNS - columns
        if missing:
            raise CsvFormatError(f"{path}:1: missing column(s): {', '.join(sorted(missing))}")
        unknown = columns - REQUIRED_COLUMNS - OPTIONAL_COLUMNS
        if unknown:
            raise CsvFormatError(f"{path}:1: unknown column(s): {', '.join(sorted(unknown))}")
        rows = list(reader)
    for index, row in enumerate(rows, start=2):
        yield index, {key: (value or "").strip() for key, value in row.items() if key}


def spec_from_row(row: dict[str, str], port: int | None = None) -> PracticeSpec:
    return PracticeSpec(
        name=row["name"],
        slug=row["slug"],
        hostname=row["hostname"],
        owner_email=row.get("owner_email", ""),
        template=row.get("template") or "general",
        specialty=row.get("specialty", ""),
        timezone=row.get("timezone") or "America/Chicago",
        aliases=[alias for alias in row.get("aliases", "").split(";") if alias.strip()],
        status=row.get("status") or "live",
        port=port,
    )


def provision_from_csv(
    path: Path,
    *,
    port: int | None = None,
    on_row: Callable[[RowOutcome], None] | None = None,
    rows: list[tuple[int, dict[str, str]]] | None = None,
) -> BulkReport:
    report = BulkReport()
    for line, row in rows if rows is not None else read_rows(path):
        outcome = RowOutcome(line=line, slug=row.get("slug", ""))
        try:
            outcome.result = provision_practice(spec_from_row(row, port))
        except ProvisioningError as exc:
            outcome.error = f"{path}:{line}: {exc.field}: {exc.message}"
        report.outcomes.append(outcome)
        if on_row:
            on_row(outcome)
    return report
