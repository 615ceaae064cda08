"""Demo testimonials: each clinic's CSV imported by the real importer, then approved
as the agency's moderator would (idempotent: a second run imports nothing)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from practices.models import Practice, TestimonialStatus
from practices.services.testimonial_import import import_testimonials

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content" / "testimonials"


def load(write: Callable[[str], None]) -> None:
    moderator = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    for path in sorted(CONTENT_DIR.glob("*.csv")):
        practice = Practice.objects.filter(slug=path.stem).first()
        if practice is None:
            continue
        report = import_testimonials(practice, path)
        if report.errors:
            raise ValueError("\n".join(report.errors))
        for testimonial in practice.testimonials.filter(status=TestimonialStatus.PENDING):
            testimonial.status = TestimonialStatus.APPROVED
            testimonial.reviewed_by, testimonial.reviewed_at = moderator, timezone.now()
            testimonial.save()
        write(f"Testimonials {practice.slug}: {report.created} imported and approved")
