"""E-mails to a practice about its leads: one per lead, and a daily digest.

Subjects never carry what the visitor wrote, and bodies leave out free text (which
may hold health details): recipients open the lead in the admin to read it.
Notifications are best-effort (published after commit); the daily digest is their
backstop, and the lead itself is never at risk (it is stored first).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from demo_requests.models import DemoRequestPage, Lead
from practices.models import Practice

logger = logging.getLogger(__name__)

# Form fields whose values are contact details, safe to put in an e-mail body (of
# either form kind; the reason for a visit, however general, stays in the admin).
CONTACT_FIELDS = (
    "your_name",
    "email",
    "work_email",
    "phone",
    "contact_preference",
    "practice_name",
    "your_role",
    "practice_or_organisation",
    "preferred_contact_time",
)


def recipients_for(form_page: DemoRequestPage | None) -> list[str]:
    if form_page is None or not form_page.to_address:
        return []
    return [address.strip() for address in form_page.to_address.split(",") if address.strip()]


def _admin_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def schedule_lead_notification(lead: Lead) -> None:
    """After commit, ask a worker to e-mail the practice; never fails the request."""

    def publish() -> None:
        from demo_requests.tasks import notify_practice_of_lead

        try:
            notify_practice_of_lead.apply_async((lead.pk,), retry=False)
        except Exception as exc:  # broker down: the daily digest still reports the lead
            logger.warning(
                "lead notification not enqueued: lead=%s error=%s", lead.pk, type(exc).__name__
            )

    transaction.on_commit(publish)


def notify_practice_of_lead(lead_id: int) -> bool:
    lead = (
        Lead.objects.select_related("practice", "form_page", "submission")
        .filter(pk=lead_id)
        .first()
    )
    if lead is None:
        return False
    recipients = recipients_for(lead.form_page)
    if not recipients:
        return False
    data = lead.submission.form_data
    lines = [f"A new request arrived on the {lead.practice.name} website.", ""]
    lines += [
        f"{name.replace('_', ' ').capitalize()}: {data[name]}"
        for name in CONTACT_FIELDS
        if data.get(name)
    ]
    lines += [
        "",
        "Read the whole request (including any message) in the admin:",
        _admin_url(reverse("leads:inspect", args=[lead.pk])),
    ]
    send_mail(
        subject=f"New request from the {lead.practice.name} website",
        message="\n".join(lines),
        from_email=lead.form_page.from_address or settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
    logger.info("lead notification sent: lead=%s recipients=%s", lead.pk, len(recipients))
    return True


def send_daily_digests(now=None) -> int:
    """One e-mail per practice that received leads in the last 24 hours."""
    now = now or timezone.now()
    since = now - timedelta(days=1)
    practices = (
        Practice.objects.annotate(
            new_leads=Count("leads", filter=Q(leads__created_at__gte=since)),
            failed=Count(
                "leads", filter=Q(leads__created_at__gte=since, leads__status=Lead.Status.FAILED)
            ),
        )
        .filter(new_leads__gt=0)
        .order_by("pk")
    )
    sent = 0
    for practice in practices:
        form_pages = DemoRequestPage.objects.descendant_of(practice.site.root_page)
        recipients = sorted({address for page in form_pages for address in recipients_for(page)})
        if not recipients:
            continue
        send_mail(
            subject=f"{practice.name}: {practice.new_leads} new request(s) in the last 24 hours",
            message=(
                f"{practice.new_leads} new request(s), "
                f"{practice.failed} not delivered to your CRM.\n"
                f"See them in the admin: {_admin_url(reverse('leads:index'))}"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
        sent += 1
    logger.info("daily lead digests sent: %s", sent)
    return sent
