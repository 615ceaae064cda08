"""python manage.py import_team: create or update a practice's team members from CSV."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from practices.models import Practice
from practices.services.team_import import RowOutcome, TeamCsvError, import_team_csv, read_rows


class Command(BaseCommand):
    help = (
        "Import team members into a practice's team page from a CSV file with columns "
        "name, credentials, role, role_group, photo, alt_text, specialties, languages, "
        "accepting_new_patients. One transaction per row; members are matched by slug."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--practice", required=True, help="The practice's slug.")
        parser.add_argument("file", type=Path, help="CSV file (UTF-8).")
        parser.add_argument(
            "--photos-dir", type=Path, default=None, help="Folder holding the photo files."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row; write nothing."
        )

    def handle(self, *args: object, **options: object) -> None:
        practice = Practice.objects.select_related("site").filter(slug=options["practice"]).first()
        if practice is None:
            raise CommandError(f"practice: no practice with slug '{options['practice']}'.")
        photos_dir = options["photos_dir"]
        if photos_dir is not None and not photos_dir.is_dir():
            raise CommandError(f"photos-dir: '{photos_dir}' is not a folder.")
        path = options["file"]
        try:
            rows = list(read_rows(path))
        except TeamCsvError as exc:
            raise CommandError(str(exc)) from None
        progress = tqdm(total=len(rows), unit="member", disable=not sys.stderr.isatty())

        def on_row(outcome: RowOutcome) -> None:
            progress.update(1)
            for error in outcome.errors:
                if progress.disable:
                    self.stderr.write(error)
                else:
                    progress.write(error, file=sys.stderr)
            if not outcome.errors and progress.disable:  # plain lines when not on a terminal
                self.stdout.write(f"{path}:{outcome.line}: {outcome.slug}: {outcome.action}")

        try:
            report = import_team_csv(
                practice,
                path,
                photos_dir=photos_dir,
                dry_run=options["dry_run"],
                rows=rows,
                on_row=on_row,
            )
        except TeamCsvError as exc:
            raise CommandError(str(exc)) from None
        finally:
            progress.close()
        self.stdout.write(report.summary)
        if report.failed:
            raise CommandError(f"{report.failed} row(s) failed; the other rows were applied.")
