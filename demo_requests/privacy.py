"""Privacy services for demo-request data: retention purge, one person's export/delete.

The submitted fields live only in Wagtail's FormSubmission rows (Lead points to its
submission with on_delete=CASCADE), so deleting a submission deletes the lead and
everything hanging off it (delivery records included, by cascade).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from demo_requests.models import DemoRequestFormField, DemoRequestPage, Lead
from demo_requests.models.privacy import DEFAULT_RETENTION_DAYS, LeadPrivacySettings
from practices.models import Practice

logger = logging.getLogger(__name__)


@dataclass
class PracticePurge:
    practice: str
    retention_days: int
    submissions: int
    leads: int


@dataclass
class PurgeResult:
    dry_run: bool
    practices: list[PracticePurge] = field(default_factory=list)

    @property
    def submissions(self) -> int:
        return sum(item.submissions for item in self.practices)

    @property
    def leads(self) -> int:
        return sum(item.leads for item in self.practices)


def retention_days_by_site() -> dict[int, int]:
    return dict(LeadPrivacySettings.objects.values_list("site_id", "retention_days"))


def _practice_pages(practice: Practice) -> QuerySet:
    root_path = practice.site.root_page.path
    return DemoRequestPage.objects.filter(path__startswith=root_path)


def _submissions_of(practice: Practice) -> QuerySet:
    """Submissions of the practice's demo-request pages, and of its leads."""
    return FormSubmission.objects.filter(
        Q(page__in=_practice_pages(practice).values("pk"))
        | Q(pk__in=Lead.objects.filter(practice=practice).values("submission_id"))
    )


def purge_expired_leads(*, dry_run: bool = False, now=None) -> PurgeResult:
    """Delete each practice's submissions (and leads) older than its retention period."""
    now = now or timezone.now()
    retention = retention_days_by_site()
    result = PurgeResult(dry_run=dry_run)
    practices = Practice.objects.select_related("site", "site__root_page").order_by("slug")
    for practice in practices:
        days = retention.get(practice.site_id, DEFAULT_RETENTION_DAYS)
        cutoff = now - timedelta(days=days)
        expired = _submissions_of(practice).filter(
            Q(submit_time__lt=cutoff) | Q(lead__created_at__lt=cutoff)
        )
        ids = list(expired.values_list("pk", flat=True))
        leads = Lead.objects.filter(submission_id__in=ids).count()
        if ids and not dry_run:
            with transaction.atomic():
                FormSubmission.objects.filter(pk__in=ids).delete()
            logger.info(
                "purged expired leads: practice=%s submissions=%s leads=%s",
                practice.pk,
                len(ids),
                leads,
            )
        result.practices.append(PracticePurge(practice.slug, days, len(ids), leads))
    return result


def _email_field_names() -> list[str]:
    names = set(
        DemoRequestFormField.objects.filter(field_type="email").values_list("clean_name", flat=True)
    )
    names.add("email")
    return sorted(name for name in names if name)


def person_submissions(email: str, practice: Practice | None = None) -> QuerySet:
    """Demo-request submissions whose e-mail field is this address (case-insensitive)."""
    email = email.strip()
    condition = Q()
    for name in _email_field_names():
        condition |= Q(**{f"form_data__{name}__iexact": email})
    pages = DemoRequestPage.objects.all()
    if practice is not None:
        pages = _practice_pages(practice)
    submissions = FormSubmission.objects.filter(condition, page__in=pages.values("pk"))
    if practice is not None:
        submissions = submissions | FormSubmission.objects.filter(
            condition, pk__in=Lead.objects.filter(practice=practice).values("submission_id")
        )
    return submissions.order_by("submit_time", "pk")


def export_person_data(email: str, practice: Practice | None = None) -> list[dict]:
    """Everything stored about a person's demo requests, JSON-serialisable."""
    rows = []
    submissions = person_submissions(email, practice).select_related("page")
    leads = {
        lead.submission_id: lead
        for lead in Lead.objects.filter(submission__in=submissions).select_related("practice")
    }
    for submission in submissions:
        lead = leads.get(submission.pk)
        row = {
            "submission_id": submission.pk,
            "submitted_at": submission.submit_time.isoformat(),
            "form_page": submission.page.title,
            "form_page_url": submission.page.url_path,
            "fields": submission.form_data,
        }
        if lead is not None:
            row["lead"] = {
                "id": lead.pk,
                "practice": lead.practice.slug,
                "status": lead.status,
                "utm": lead.utm,
                "referrer": lead.referrer,
                "landing_page": lead.landing_page,
                "consent_text": lead.consent_text,
                "consented_at": lead.consented_at.isoformat() if lead.consented_at else None,
                "created_at": lead.created_at.isoformat(),
            }
        rows.append(row)
    return rows


@dataclass
class PersonDeletion:
    submissions: int
    leads: int


def delete_person_data(email: str, practice: Practice | None = None) -> PersonDeletion:
    ids = list(person_submissions(email, practice).values_list("pk", flat=True))
    leads = Lead.objects.filter(submission_id__in=ids).count()
    with transaction.atomic():
        FormSubmission.objects.filter(pk__in=ids).delete()
    logger.info("deleted a person's data: submissions=%s leads=%s", len(ids), leads)
    return PersonDeletion(submissions=len(ids), leads=leads)
