"""`python manage.py media_audit [--practice SLUG] [--repair]`: rows whose file is not
in the bucket, objects no row points at; exit status 1 while problems remain."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from agency_platform.core.tenancy import has_practice
from agency_platform.media.audit import audit_media, grace_period, repair


class Command(BaseCommand):
    help = (
        "Compare media rows with the storage: list files rows point at that are missing "
        "and stored objects no row references (orphans). Exits 1 while problems remain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--practice", metavar="SLUG", help="Audit one practice's prefix (practices/SLUG/)."
        )
        parser.add_argument(
            "--repair",
            action="store_true",
            help="Re-enqueue missing renditions and delete orphans older than the grace "
            "period (MEDIA_ORPHAN_GRACE_SECONDS). Missing originals cannot be repaired.",
        )

    def handle(self, *args, **options) -> None:
        slug = options["practice"]
        if slug and not has_practice(slug):
            raise CommandError(f"--practice: no practice with slug '{slug}'.")
        on_terminal = sys.stderr.isatty()

        def progress(items):
            return tqdm(items, unit="item", disable=not on_terminal, leave=False)

        report = audit_media(slug, progress=progress)
        self.stdout.write(
            f"checked {report.checked_rows} row(s) and {report.checked_objects} object(s): "
            f"{len(report.missing)} missing, {len(report.orphans)} orphan(s)"
        )
        for line in report.problems:
            self.stdout.write(line)
        remaining = report.problems
        if options["repair"]:
            repair(report)
            self.stdout.write(
                f"repair: {report.renditions_requeued} image(s) re-enqueued for renditions, "
                f"{len(report.orphans_deleted)} orphan(s) deleted (grace {grace_period()})"
            )
            for key in report.orphans_deleted:
                self.stdout.write(f"deleted: {key}")
            remaining = report.remaining
        for line in remaining if options["repair"] else []:
            self.stderr.write(f"remaining: {line}")
        if remaining:
            raise CommandError(f"{len(remaining)} media problem(s) remain.")
        self.stdout.write("media is consistent" if not options["repair"] else "repaired")
