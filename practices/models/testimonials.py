"""What patients say about a practice, shown only once a moderator approved it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .practice import Practice

QUOTE_MAX_LENGTH = 600


class TestimonialSource(models.TextChoices):
    IN_PERSON = "in-person", "In person (signed form)"
    EMAIL = "email", "E-mail"
    SURVEY = "survey", "Patient survey"
    REVIEW_SITE = "review-site", "Review site (copied with permission)"
    OTHER = "other", "Other"


class TestimonialStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a moderator"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class TestimonialQuerySet(models.QuerySet):
    def shown(self) -> TestimonialQuerySet:
        """What the public sees: approved, newest first."""
        return self.filter(status=TestimonialStatus.APPROVED).order_by("-given_on", "-pk")


class Testimonial(models.Model):
    """A patient's words, published with their recorded consent: a name or initials
    as they agreed, never anything that identifies their condition."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="testimonials")
    quote = models.TextField(max_length=QUOTE_MAX_LENGTH)
    display_name = models.CharField(
        max_length=60, help_text="As the patient agreed to be named, e.g. “Maria G.” or “M. G.”"
    )
    source = models.CharField(max_length=20, choices=TestimonialSource.choices)
    given_on = models.DateField("date given", default=timezone.localdate)
    consent_recorded = models.BooleanField(
        "the patient's written consent to publish is on file", default=False
    )
    consent_note = models.CharField(
        "where the consent is kept", max_length=200, blank=True,
        help_text="e.g. “Signed form, scanned to the patient's file, 3 March”.",
    )  # fmt: skip
    status = models.CharField(
        max_length=10, choices=TestimonialStatus.choices, default=TestimonialStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = TestimonialQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["practice", "status", "-given_on"])]

    def __str__(self) -> str:
        return f"{self.display_name}: {self.quote[:40]}"

    def clean(self) -> None:
        if not self.consent_recorded:
            message = "A testimonial is published only with the patient's recorded consent."
            raise ValidationError({"consent_recorded": message})
        if not self.quote.strip():
            raise ValidationError({"quote": "The quote is empty."})
