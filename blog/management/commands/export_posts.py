"""python manage.py export_posts: write one practice's posts as agency-format files."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from blog.services.exporting import export_posts
from blog.services.importing import ImportSetupError
from practices.models import Practice


class Command(BaseCommand):
    help = (
        "Export every post of a practice's blog (its latest revision, live or not) as "
        "<slug>.md with YAML front matter, and each hero image under uploads/, so that "
        "`import_posts --uploads-root DIR DIR` imports them back unchanged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--practice", required=True, help="Slug of the practice to export.")
        parser.add_argument(
            "--out", required=True, type=Path, help="Folder to write into (created if missing)."
        )

    def handle(self, *args: object, **options: object) -> None:
        practice = Practice.objects.select_related("site").filter(slug=options["practice"]).first()
        if practice is None:
            raise CommandError(f"--practice: no practice with slug '{options['practice']}'.")
        try:
            report = export_posts(practice, options["out"])
        except ImportSetupError as exc:
            raise CommandError(f"--practice: {exc}") from None
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(
            f"{len(report.posts)} post(s) and {len(report.images)} image(s) written to "
            f"{options['out']}"
        )
