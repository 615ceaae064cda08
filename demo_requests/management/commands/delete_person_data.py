"""Delete every demo-request submission (and lead) made with an e-mail address."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from demo_requests.management.commands.export_person_data import checked_email, practice_option
from demo_requests.privacy import delete_person_data, person_submissions


class Command(BaseCommand):
    help = "Delete one person's demo-request submissions and leads (found by e-mail)."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--practice", help="Only this practice (slug).")
        parser.add_argument("--confirm", action="store_true", help="Really delete.")

    def handle(self, *args, email: str, practice=None, confirm: bool = False, **options):
        email = checked_email(email)
        scope = practice_option(practice)
        if not confirm:
            count = person_submissions(email, scope).count()
            raise CommandError(
                f"{count} submission(s) would be deleted; run again with --confirm to delete."
            )
        result = delete_person_data(email, scope)
        self.stdout.write(
            self.style.SUCCESS(
                f"Deleted {result.submissions} submission(s) and {result.leads} lead(s)."
            )
        )
