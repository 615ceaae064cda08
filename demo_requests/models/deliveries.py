"""CRM destinations per practice, and the outbox of lead deliveries to them.

A lead's delivery rows are written in the same transaction as the lead (a
transactional outbox); Celery works through them, and the database, not the broker,
knows what is still owed: `next_attempt_at` schedules retries, `attempts` is counted
before each call to the CRM, so a lost message or a killed worker is recovered by the
dispatcher/sweeper and a delivery that keeps killing workers stops (dead letter).
Each delivery is a list of steps (demo_requests.crm.STEPS); the row records the ones
done with their CRM ids, so a retry resumes at the first step not done.
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class SecretInput(forms.PasswordInput):
    """Never renders the stored value; a blank submission keeps it (see SecretField)."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"autocomplete": "new-password", **(attrs or {})}, render_value=False
        )


class SecretFormField(forms.CharField):
    widget = SecretInput

    def has_changed(self, initial, data) -> bool:
        return bool(data)


class SecretField(models.CharField):
    """A credential: shown back as an empty password box with 'set'/'not set' help."""

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": SecretFormField, "widget": SecretInput, **kwargs, "required": False}
        )


class Destination(models.TextChoices):
    HUBSPOT = "hubspot", "HubSpot"
    SALESFORCE = "salesforce", "Salesforce"
    WEBHOOK = "webhook", "Webhook"


SECRET_FIELDS = ("hubspot_access_token", "salesforce_session_id", "webhook_secret")

# The default field mappings, per form kind, are in demo_requests.crm.mapping.
NOTE_TEMPLATE = "Request from the website (lead {lead_id}).\n\n{details}"


@register_setting(icon="mail")
class CrmSettings(BaseSiteSetting):
    """Where a practice's leads go. Field mappings: form field clean name -> CRM property
    (empty = the default mapping; the webhook sends every field unless a mapping is set)."""

    hubspot_enabled = models.BooleanField("send to HubSpot", default=False)
    hubspot_access_token = SecretField(
        "HubSpot private app token", max_length=255, blank=True, help_text="Leave blank to keep."
    )
    hubspot_base_url = models.URLField(
        "HubSpot API URL", default="https://api.hubapi.com", max_length=200
    )
    hubspot_note_template = models.TextField(
        blank=True,
        default=NOTE_TEMPLATE,
        help_text=(
            "Note added to the contact. Placeholders: {lead_id}, {practice}, {message}, "
            "{details} (the fields not mapped to contact properties, one per line)."
        ),
    )
    hubspot_mapping = models.JSONField(default=dict, blank=True)

    salesforce_enabled = models.BooleanField("send to Salesforce", default=False)
    salesforce_instance_url = models.URLField(blank=True, max_length=200)
    salesforce_session_id = SecretField(
        "Salesforce access token", max_length=500, blank=True, help_text="Leave blank to keep."
    )
    salesforce_api_version = models.CharField(max_length=8, default="59.0")
    salesforce_external_id_field = models.CharField(
        max_length=80,
        default="Website_Lead_Key__c",
        help_text="Unique external-id field on Lead; leads are upserted by it (no duplicates).",
    )
    salesforce_mapping = models.JSONField(default=dict, blank=True)

    webhook_enabled = models.BooleanField("send to a webhook", default=False)
    webhook_url = models.URLField(blank=True, max_length=500)
    webhook_secret = SecretField(
        "webhook signing secret", max_length=255, blank=True, help_text="Leave blank to keep."
    )
    webhook_mapping = models.JSONField(default=dict, blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("hubspot_enabled"),
                FieldPanel("hubspot_access_token"),
                FieldPanel("hubspot_base_url"),
                FieldPanel("hubspot_note_template"),
                FieldPanel("hubspot_mapping"),
            ],
            heading="HubSpot",
        ),
        MultiFieldPanel(
            [
                FieldPanel("salesforce_enabled"),
                FieldPanel("salesforce_instance_url"),
                FieldPanel("salesforce_session_id"),
                FieldPanel("salesforce_api_version"),
                FieldPanel("salesforce_external_id_field"),
                FieldPanel("salesforce_mapping"),
            ],
            heading="Salesforce",
        ),
        MultiFieldPanel(
            [
                FieldPanel("webhook_enabled"),
                FieldPanel("webhook_url"),
                FieldPanel("webhook_secret"),
                FieldPanel("webhook_mapping"),
            ],
            heading="Webhook",
        ),
    ]

    class Meta:
        verbose_name = "CRM destinations"

    def save(self, *args, **kwargs):
        # A blank secret from the admin form means "keep the stored one".
        if self.pk:
            blank = [name for name in SECRET_FIELDS if not getattr(self, name)]
            if blank:
                stored = type(self).objects.filter(pk=self.pk).values(*blank).first() or {}
                for name in blank:
                    setattr(self, name, stored.get(name, ""))
        super().save(*args, **kwargs)

    def enabled_destinations(self) -> list[str]:
        return [
            destination
            for destination, enabled in (
                (Destination.HUBSPOT, self.hubspot_enabled),
                (Destination.SALESFORCE, self.salesforce_enabled),
                (Destination.WEBHOOK, self.webhook_enabled),
            )
            if enabled
        ]


class LeadDelivery(models.Model):
    """One lead owed to one destination."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed (retries exhausted)"
        DEAD = "dead", "Dead letter (attempts never finished)"

    lead = models.ForeignKey(
        "demo_requests.Lead", on_delete=models.CASCADE, related_name="deliveries"
    )
    destination = models.CharField(max_length=20, choices=Destination.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    # Resumable steps (demo_requests.sending): {step: {"id": CRM id, "at": ISO time}}
    # once done, {step: {"sent_at": ...}} while its request may have reached the CRM.
    steps = models.JSONField(default=dict, blank=True)
    step_attempts = models.JSONField(default=dict, blank=True)  # {step: attempts counted}
    # The attempt number that holds the row while `sending` (a lease: a worker that
    # lost it, to the sweeper, records nothing more).
    claim = models.PositiveIntegerField(default=0)
    retry_until = models.DateTimeField(null=True, blank=True)  # end of the retry window
    delivered_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lead", "destination"], name="unique_lead_destination")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"Delivery {self.pk} of lead {self.lead_id} to {self.destination} ({self.status})"


class LeadDeliveryAttempt(models.Model):
    """Every call to a CRM, counted (and committed) before it is made."""

    delivery = models.ForeignKey(LeadDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    destination = models.CharField(max_length=20, choices=Destination.choices)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    succeeded = models.BooleanField(default=False)
    step = models.CharField(max_length=20, blank=True)  # where the attempt ended
    error = models.TextField(blank=True)
    # The first bytes of an unusable CRM answer, e-mail addresses and numbers masked.
    response_excerpt = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="unique_attempt_number")
        ]

    def __str__(self) -> str:
        return f"Attempt {self.number} of delivery {self.delivery_id}"
