"""python manage.py import_posts: import post files into one practice's blog."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from blog.services.images import iter_sources
from blog.services.importing import FAILED, FileOutcome, ImportSetupError, import_posts
from practices.models import Practice


class Command(BaseCommand):
    help = (
        "Import Markdown posts with YAML front matter (the agency's format) into one "
        "practice's blog. Each file is imported in its own transaction; re-importing a "
        "file updates its post (matched by slug) only when something changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths",
            nargs="+",
            type=Path,
            metavar="PATH",
            help="A .md file, a folder (searched recursively for .md files) or a .zip archive.",
        )
        parser.add_argument(
            "--practice", required=True, help="Slug of the practice whose blog receives the posts."
        )
        parser.add_argument(
            "--uploads-root",
            type=Path,
            help="Folder where post_image paths (/uploads/...) are looked up; a folder holding "
            "uploads/ or the uploads folder itself. Images inside a .zip are found without it.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate every file and report what would happen; write nothing.",
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--publish",
            dest="publish",
            action="store_true",
            default=True,
            help="Publish each post (default); a future date schedules it.",
        )
        mode.add_argument(
            "--draft",
            dest="publish",
            action="store_false",
            help="Save a draft revision; new posts stay unpublished.",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Treat a missing post_image file as an error instead of a warning.",
        )

    def handle(self, *args: object, **options: object) -> None:
        practice = Practice.objects.select_related("site").filter(slug=options["practice"]).first()
        if practice is None:
            raise CommandError(f"--practice: no practice with slug '{options['practice']}'.")
        paths: list[Path] = options["paths"]
        on_terminal = sys.stderr.isatty()
        # Counting reads every archive once more, so only when a bar is shown.
        total = sum(1 for _ in iter_sources(paths)) if on_terminal else None
        progress = tqdm(total=total, unit="post", disable=not on_terminal)

        def on_file(outcome: FileOutcome) -> None:
            progress.update(1)
            lines = [outcome.error] if outcome.status == FAILED else []
            lines += [f"warning: {warning}" for warning in outcome.warnings]
            for line in lines:
                if progress.disable:
                    self.stderr.write(line)
                else:
                    progress.write(line, file=sys.stderr)
            if progress.disable and outcome.status != FAILED:
                self.stdout.write(f"{outcome.path}: {outcome.slug}: {outcome.status}")

        try:
            report = import_posts(
                practice,
                paths,
                uploads_root=options["uploads_root"],
                publish=options["publish"],
                dry_run=options["dry_run"],
                strict=options["strict"],
                on_file=on_file,
            )
        except ImportSetupError as exc:
            raise CommandError(f"--practice: {exc}") from None
        finally:
            progress.close()
        self.stdout.write(report.summary())
        if report.failed:
            raise CommandError(f"{report.failed} file(s) failed; the other files were imported.")
