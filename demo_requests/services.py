"""Writes for demo requests: store every accepted submission as a lead, exactly once."""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from demo_requests.defaults import CONSENT_LABEL
from demo_requests.delivery import create_pending_deliveries, enqueue_after_commit
from demo_requests.models import DemoRequestPage, Lead
from demo_requests.notifications import schedule_lead_notification
from practices.models import Practice

logger = logging.getLogger(__name__)

KEY_FIELD = "submission_key"
_VALID_KEY = re.compile(r"^[0-9a-f]{32}$")
UTM_PARAMETERS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")


def new_submission_key() -> str:
    return uuid.uuid4().hex


def submission_key_from(request: HttpRequest) -> str:
    """The key the form was rendered with; a forged or missing one gets a fresh key
    (that request loses duplicate protection, never its lead)."""
    key = request.POST.get(KEY_FIELD, "")
    return key if _VALID_KEY.match(key) else new_submission_key()


def utm_from(request: HttpRequest) -> dict[str, str]:
    return {
        name: request.POST.get(name, "")[:200] for name in UTM_PARAMETERS if request.POST.get(name)
    }


@dataclass(frozen=True)
class LeadOrigin:
    """Where a submission came from: its idempotency key and marketing context."""

    key: str
    utm: dict[str, str]
    landing_page: str
    referrer: str

    @classmethod
    def from_form_post(cls, request: HttpRequest) -> LeadOrigin:
        """The hidden fields the rendered form carried (see DemoRequestPage.get_context)."""
        return cls(
            key=submission_key_from(request),
            utm=utm_from(request),
            landing_page=request.POST.get("landing_page", "")[:500],
            referrer=request.META.get("HTTP_REFERER", "")[:500],
        )


@dataclass
class RecordedLead:
    lead: Lead
    created: bool


def record_lead(
    page: DemoRequestPage, form, request: HttpRequest, origin: LeadOrigin | None = None
) -> RecordedLead:
    """Store the submission and its lead in one transaction, once per submission key."""
    origin = origin or LeadOrigin.from_form_post(request)
    key = origin.key
    existing = Lead.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return RecordedLead(existing, created=False)
    practice = Practice.objects.get(site__root_page__in=page.get_ancestors(inclusive=True))
    consent_field = next(
        (field for field in page.form_fields.all() if field.label == CONSENT_LABEL), None
    )
    consented = bool(consent_field and form.cleaned_data.get(consent_field.clean_name))
    try:
        with transaction.atomic():
            submission = FormSubmission.objects.create(page=page, form_data=form.cleaned_data)
            lead = Lead.objects.create(
                practice=practice,
                form_page=page,
                form_kind=page.form_kind,
                submission=submission,
                idempotency_key=key,
                utm=origin.utm,
                referrer=origin.referrer,
                landing_page=origin.landing_page,
                consent_text=_consent_text(consent_field) if consented else "",
                consented_at=timezone.now() if consented else None,
            )
            # The outbox: what the lead owes each CRM commits with it (demo_requests.delivery).
            enqueue_after_commit(create_pending_deliveries(lead))
            schedule_lead_notification(lead)
    except IntegrityError:
        # The same key committed by a concurrent request (double click): one lead.
        return RecordedLead(Lead.objects.get(idempotency_key=key), created=False)
    logger.info("lead recorded: id=%s practice=%s", lead.pk, practice.pk)
    return RecordedLead(lead, created=True)


def _consent_text(field) -> str:
    return f"{field.label}. {field.help_text}".strip()
