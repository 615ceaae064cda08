"""python manage.py import_testimonials: a practice's testimonials from CSV."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from practices.models import Practice
from practices.services.testimonial_import import TestimonialCsvError, import_testimonials


class Command(BaseCommand):
    help = (
        "Import testimonials into a practice from a CSV file with columns quote, "
        "display_name, source, given_on (YYYY-MM-DD), consent_recorded (yes/no) and "
        "optionally consent_note. All rows or none; imported testimonials wait for a "
        "moderator's approval; rows already imported are skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--practice", required=True, help="The practice's slug.")
        parser.add_argument("file", type=Path, help="CSV file (UTF-8).")

    def handle(self, *args: object, **options: object) -> None:
        practice = Practice.objects.filter(slug=options["practice"]).first()
        if practice is None:
            raise CommandError(f"practice: no practice with slug '{options['practice']}'.")
        try:
            report = import_testimonials(practice, options["file"])
        except TestimonialCsvError as error:
            raise CommandError(str(error)) from error
        for line in report.errors:
            self.stderr.write(line)
        if report.errors:
            raise CommandError(f"{len(report.errors)} error(s); nothing was imported.")
        self.stdout.write(
            f"{practice.slug}: {report.created} testimonial(s) imported, waiting for "
            f"approval; {report.unchanged} already there."
        )
