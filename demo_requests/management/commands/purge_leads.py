"""Delete demo-request submissions and leads older than each practice's retention."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from demo_requests.privacy import purge_expired_leads


class Command(BaseCommand):
    help = "Delete leads (and their submitted personal data) past each practice's retention."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only report what would be deleted."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        result = purge_expired_leads(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        for item in result.practices:
            if item.submissions:
                self.stdout.write(
                    f"{item.practice}: {verb.lower()} {item.submissions} submission(s), "
                    f"{item.leads} lead(s) older than {item.retention_days} days"
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {result.submissions} submission(s) and {result.leads} lead(s)."
            )
        )
