"""Print, as JSON, every demo-request submission made with an e-mail address."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_email

from demo_requests.privacy import export_person_data
from practices.models import Practice


def practice_option(slug: str | None) -> Practice | None:
    if not slug:
        return None
    try:
        return Practice.objects.select_related("site__root_page").get(slug=slug)
    except Practice.DoesNotExist:
        raise CommandError(f"No practice with slug '{slug}'.") from None


def checked_email(value: str) -> str:
    try:
        validate_email(value.strip())
    except ValidationError:
        raise CommandError("--email must be a valid e-mail address.") from None
    return value.strip()


class Command(BaseCommand):
    help = "Export one person's demo-request submissions (found by e-mail) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--practice", help="Only this practice (slug).")

    def handle(self, *args, email: str, practice: str | None = None, **options):
        rows = export_person_data(checked_email(email), practice_option(practice))
        self.stdout.write(json.dumps(rows, indent=2, cls=DjangoJSONEncoder))
        self.stderr.write(f"{len(rows)} submission(s) found.")
