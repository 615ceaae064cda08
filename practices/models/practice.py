"""The Practice: one medical practice, one Wagtail Site, its own tree, media and groups."""

from __future__ import annotations

import zoneinfo

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from wagtail.models import Collection, Site

SLUG_VALIDATOR = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$",
    "Use 1-50 lowercase letters, digits and hyphens, not starting or ending with a hyphen.",
)
HOSTNAME_VALIDATOR = RegexValidator(
    r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$",
    "Enter a lowercase hostname such as riverside.example.com (no scheme, port or path).",
)


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"'{value}' is not a known time zone (e.g. America/Chicago).")


class Specialty(models.TextChoices):
    FAMILY_MEDICINE = "family-medicine", "Family medicine"
    PEDIATRICS = "pediatrics", "Pediatrics"
    DERMATOLOGY = "dermatology", "Dermatology"
    DENTISTRY = "dentistry", "Dentistry"
    ORTHOPEDICS = "orthopedics", "Orthopedics"
    CARDIOLOGY = "cardiology", "Cardiology"
    OPHTHALMOLOGY = "ophthalmology", "Ophthalmology"
    PLASTIC_SURGERY = "plastic-surgery", "Plastic surgery"
    AGENCY = "agency", "Agency (content library)"


# Who a site speaks to: a practice's patients, or (the agency's own marketing site)
# the practice owners the agency sells to. Starter pages, the public layout and the
# blog's call to action follow it.
PATIENTS = "patients"
PRACTICE_OWNERS = "practice-owners"


def audience_for(specialty: str) -> str:
    return PRACTICE_OWNERS if specialty == Specialty.AGENCY else PATIENTS


class PracticeStatus(models.TextChoices):
    ONBOARDING = "onboarding", "Onboarding"
    LIVE = "live", "Live"
    SUSPENDED = "suspended", "Suspended"
    ARCHIVED = "archived", "Archived"


class Practice(models.Model):
    """Agency-controlled identity of a practice; editor-controlled details live in
    its site settings (PracticeSettings, BrandSettings)."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=50, unique=True, validators=[SLUG_VALIDATOR])
    specialty = models.CharField(max_length=40, choices=Specialty.choices)
    timezone = models.CharField(
        max_length=64, default="America/Chicago", validators=[validate_timezone]
    )
    status = models.CharField(
        max_length=20, choices=PracticeStatus.choices, default=PracticeStatus.ONBOARDING
    )
    site = models.OneToOneField(Site, on_delete=models.PROTECT, related_name="practice")
    collection = models.OneToOneField(Collection, on_delete=models.PROTECT, related_name="practice")
    editors_group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="practice_as_editors"
    )
    moderators_group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="practice_as_moderators"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.status in (PracticeStatus.ONBOARDING, PracticeStatus.LIVE)

    @property
    def audience(self) -> str:
        return audience_for(self.specialty)

    @property
    def canonical_hostname(self) -> str:
        return self.site.hostname

    def root_url(self) -> str:
        return self.site.root_url


class PracticeHostname(models.Model):
    """Extra hostnames (www., old domains) that redirect to the practice's canonical host."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="aliases")
    hostname = models.CharField(max_length=253, unique=True, validators=[HOSTNAME_VALIDATOR])

    class Meta:
        ordering = ["hostname"]
        verbose_name = "alias hostname"

    def __str__(self) -> str:
        return self.hostname

    def clean(self) -> None:
        if Site.objects.filter(hostname=self.hostname).exists():
            raise ValidationError({"hostname": "This hostname is already a site's main hostname."})
