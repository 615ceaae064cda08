"""Leads: every accepted demo-request submission, stored before anything else happens."""

from __future__ import annotations

from django.db import models


class Lead(models.Model):
    """One prospect's request. The submitted fields live once, in the Wagtail form
    submission it points to (so retention purges have one place to clear); the lead
    adds where it came from, consent, and its delivery status."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting delivery"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Delivery failed"

    practice = models.ForeignKey(
        "practices.Practice", on_delete=models.CASCADE, related_name="leads"
    )
    form_page = models.ForeignKey(
        "demo_requests.DemoRequestPage", null=True, on_delete=models.SET_NULL, related_name="leads"
    )
    # The form's kind when the lead was recorded (decides its CRM mapping); "" for
    # leads recorded before forms had kinds (delivered with the original mapping).
    form_kind = models.CharField(max_length=16, blank=True, default="")
    submission = models.OneToOneField(
        "wagtailforms.FormSubmission", on_delete=models.CASCADE, related_name="lead"
    )
    # Generated when the form is rendered; a double click or a retried POST carries the
    # same key, and the unique constraint turns it into the same lead.
    idempotency_key = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    utm = models.JSONField(default=dict, blank=True)
    referrer = models.URLField(max_length=500, blank=True)
    landing_page = models.CharField(max_length=500, blank=True)
    consent_text = models.TextField(blank=True)
    consented_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["practice", "status", "created_at"])]

    def __str__(self) -> str:
        return f"Lead {self.pk} ({self.get_status_display()})"
