"""python manage.py create_practice: provision one practice, or many from a CSV file."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from practices.models import PracticeStatus, Specialty
from practices.services.bulk import CsvFormatError, RowOutcome, provision_from_csv, read_rows
from practices.services.provisioning import (
    PracticeSpec,
    ProvisioningError,
    ProvisionResult,
    provision_practice,
)
from practices.starter_templates import STARTER_TEMPLATES


class Command(BaseCommand):
    help = (
        "Create a practice (Wagtail Site, page tree, collection, editor and moderator "
        "groups, settings, owner) in one transaction. Idempotent per slug."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", help="Practice name, e.g. 'Riverside Family Medicine'.")
        parser.add_argument("--slug", help="Unique short name: lowercase letters, digits, hyphens.")
        parser.add_argument("--hostname", help="Canonical hostname, e.g. riverside.example.com.")
        parser.add_argument(
            "--alias",
            action="append",
            default=[],
            help="Extra hostname that redirects to the canonical one (repeatable).",
        )
        parser.add_argument(
            "--owner-email", default="", help="Owner account; a password-set link is printed."
        )
        parser.add_argument(
            "--template",
            default="general",
            help=f"Starter content: {', '.join(STARTER_TEMPLATES)}.",
        )
        parser.add_argument(
            "--specialty", default="", help=f"One of: {', '.join(Specialty.values)}."
        )
        parser.add_argument("--timezone", default="America/Chicago", help="IANA time zone.")
        parser.add_argument(
            "--status",
            default=PracticeStatus.LIVE,
            help=f"One of: {', '.join(PracticeStatus.values)}.",
        )
        parser.add_argument(
            "--port", type=int, default=None, help="Site port (default: PRACTICE_SITE_PORT)."
        )
        parser.add_argument(
            "--from-csv",
            type=Path,
            help="CSV with columns name,slug,hostname[,owner_email,template,specialty,timezone,"
            "aliases,status]; aliases separated by ';'. One transaction per row.",
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["from_csv"]:
            self._from_csv(options["from_csv"], options["port"])
            return
        missing = [flag for flag in ("name", "slug", "hostname") if not options[flag]]
        if missing:
            raise CommandError(f"{missing[0]}: is required (or use --from-csv).")
        spec = PracticeSpec(
            name=options["name"],
            slug=options["slug"],
            hostname=options["hostname"],
            owner_email=options["owner_email"],
            template=options["template"],
            specialty=options["specialty"],
            timezone=options["timezone"],
            aliases=options["alias"],
            status=options["status"],
            port=options["port"],
        )
        try:
            result = provision_practice(spec)
        except ProvisioningError as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from None
        self._report(result)

    def _report(self, result: ProvisionResult) -> None:
        practice = result.practice
        if not result.created:
            self.stdout.write(f"Practice '{practice.slug}' already exists; nothing changed.")
            for note in result.notes:
                self.stdout.write(f"  note: {note}")
            return
        self.stdout.write(
            self.style.SUCCESS(f"Created practice '{practice.slug}' at {practice.site.root_url}/")
        )
        if result.owner_password_url:
            self.stdout.write(f"  Owner password-set link: {result.owner_password_url}")

    def _from_csv(self, path: Path, port: int | None) -> None:
        try:
            rows = list(read_rows(path))
        except CsvFormatError as exc:
            raise CommandError(str(exc)) from None
        progress = tqdm(total=len(rows), unit="practice", disable=not sys.stderr.isatty())

        def on_row(outcome: RowOutcome) -> None:
            progress.update(1)
            if outcome.error and not progress.disable:
                progress.write(outcome.error, file=sys.stderr)
            elif outcome.error:
                self.stderr.write(outcome.error)
            elif progress.disable:  # plain lines when not on a terminal
                state = "created" if outcome.result.created else "unchanged"
                self.stdout.write(f"{path}:{outcome.line}: {outcome.slug}: {state}")

        report = provision_from_csv(path, port=port, rows=rows, on_row=on_row)
        progress.close()
        self.stdout.write(
            f"{report.created} created, {report.unchanged} unchanged, {report.failed} failed"
        )
        if report.failed:
            raise CommandError(f"{report.failed} row(s) failed; the other rows were applied.")
