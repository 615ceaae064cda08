"""Per-practice privacy settings for leads (retention)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

DEFAULT_RETENTION_DAYS = 365


@register_setting(icon="lock")
class LeadPrivacySettings(BaseSiteSetting):
    """How long a practice keeps demo-request submissions (and their leads)."""

    retention_days = models.PositiveIntegerField(
        default=DEFAULT_RETENTION_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=(
            "Submissions older than this many days are deleted, with the personal data "
            "they hold, by the daily purge."
        ),
    )

    panels = [FieldPanel("retention_days")]

    class Meta:
        verbose_name = "lead privacy"
