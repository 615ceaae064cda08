"""Delivery of leads to the practices' CRMs: a transactional outbox worked by Celery.

- `create_pending_deliveries(lead)` runs inside record_lead's transaction: the lead and
  what it owes are committed together, so nothing is lost if the process dies or the
  broker is down right after the commit. The request then publishes a fast-path
  message (`enqueue_after_commit`), never waiting on a CRM nor failing if the broker is
  down.
- The database schedules: a retry sets `next_attempt_at` (exponential backoff with
  jitter, or the CRM's Retry-After), and `dispatch_due()` (beat, every 10 s) enqueues
  due rows; no long countdowns sit in Redis past its visibility timeout.
- `sweep_stuck()` (beat, every 60 s) re-enqueues rows whose message was lost (broker
  restarted) or whose worker died while sending.
- `deliver(delivery_id)` sends it in resumable, idempotent steps, each attempt counted
  before the CRM is called (demo_requests.sending); attempts are budgeted per step, and
  retries stop at the end of the retry window (LEAD_DELIVERY_RETRY_WINDOW_SECONDS).
- Logs carry ids, destinations and status codes only; never the lead's data.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from demo_requests.models import CrmSettings, Lead, LeadDelivery

logger = logging.getLogger(__name__)

Status = LeadDelivery.Status
# Publishing: reconnect once or twice (a restarted broker), never block a request long.
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}


# Read on each use so that tests (and workers started with other environments) can
# change them; the values come from the environment through the settings.
def max_attempts() -> int:
    return settings.LEAD_DELIVERY_MAX_ATTEMPTS


def backoff_seconds() -> float:
    return settings.LEAD_DELIVERY_BACKOFF_SECONDS


def backoff_max_seconds() -> float:
    return settings.LEAD_DELIVERY_BACKOFF_MAX_SECONDS


def stuck_after() -> timedelta:
    return timedelta(seconds=settings.LEAD_DELIVERY_STUCK_SECONDS)


def backoff(attempt: int, retry_after: float | None = None) -> float:
    """Seconds before the next attempt: base * 2**(attempt-1), capped, with full
    jitter in its upper half; never sooner than the CRM's Retry-After."""
    ceiling = min(backoff_max_seconds(), backoff_seconds() * 2 ** max(0, attempt - 1))
    delay = ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 - jitter
    return max(delay, retry_after or 0)


# --- Writing the outbox -------------------------------------------------------------


def crm_settings_for(practice) -> CrmSettings | None:
    return CrmSettings.objects.filter(site_id=practice.site_id).first()


def create_pending_deliveries(lead: Lead) -> list[LeadDelivery]:
    """One pending row per enabled destination; call inside the lead's transaction."""
    crm = crm_settings_for(lead.practice)
    destinations = crm.enabled_destinations() if crm else []
    if not destinations:
        return []
    retry_until = timezone.now() + timedelta(seconds=settings.LEAD_DELIVERY_RETRY_WINDOW_SECONDS)
    return LeadDelivery.objects.bulk_create(
        [
            LeadDelivery(lead=lead, destination=destination, retry_until=retry_until)
            for destination in destinations
        ]
    )


def enqueue_after_commit(deliveries: list[LeadDelivery]) -> None:
    """Fast path: publish once the rows are committed. If the broker is down they stay
    pending for the dispatcher; the visitor's request never fails or waits long."""
    ids = [row.pk for row in deliveries if row.status == Status.PENDING]
    if ids:
        transaction.on_commit(lambda: _publish(ids))


def _publish(ids: list[int], connection=None) -> int:
    from demo_requests.tasks import deliver_lead

    sent = []
    for delivery_id in ids:
        try:
            deliver_lead.apply_async(
                (delivery_id,), retry=True, retry_policy=PUBLISH_RETRY, connection=connection
            )
        except Exception as exc:  # broker down: the dispatcher/sweeper will catch up
            logger.warning(
                "lead delivery not enqueued: delivery=%s error=%s", delivery_id, type(exc).__name__
            )
            break
        sent.append(delivery_id)
    if sent:
        LeadDelivery.objects.filter(pk__in=sent).update(enqueued_at=timezone.now())
    return len(sent)


# --- Periodic jobs ------------------------------------------------------------------


def dispatch_due(limit: int = 500, *, connection=None) -> int:
    """Enqueue pending rows whose time has come and that were not enqueued since."""
    now = timezone.now()
    due = (
        LeadDelivery.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=F("next_attempt_at")))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    count = _publish(list(due), connection=connection)
    if count:
        logger.info("lead deliveries dispatched: count=%s", count)
    return count


def sweep_stuck(limit: int = 500, *, connection=None) -> int:
    """Re-enqueue rows left pending since they were enqueued (message lost) or left
    sending (worker died) for longer than LEAD_DELIVERY_STUCK_SECONDS."""
    now = timezone.now()
    cutoff = now - stuck_after()
    lost = Q(status=Status.PENDING, next_attempt_at__lte=now) & (
        Q(enqueued_at__lt=cutoff) | Q(enqueued_at__isnull=True, created_at__lt=cutoff)
    )
    stuck = (
        LeadDelivery.objects.filter(lost | Q(status=Status.SENDING, updated_at__lt=cutoff))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    count = _publish(list(stuck), connection=connection)
    if count:
        logger.info("stuck lead deliveries re-enqueued: count=%s", count)
    return count


def retry_now(lead: Lead) -> int:
    """Staff action: give failed/dead deliveries of this lead a fresh set of attempts."""
    with transaction.atomic():
        reopened = LeadDelivery.objects.filter(
            lead=lead, status__in=(Status.FAILED, Status.DEAD)
        ).update(
            status=Status.PENDING,
            attempts=0,
            step_attempts={},  # a fresh budget; the steps done stay done (resumed)
            retry_until=timezone.now()
            + timedelta(seconds=settings.LEAD_DELIVERY_RETRY_WINDOW_SECONDS),
            next_attempt_at=timezone.now(),
            enqueued_at=None,
            notified_at=None,
        )
        if reopened:
            Lead.objects.filter(pk=lead.pk).update(status=Lead.Status.PENDING)
            enqueue_after_commit(
                list(LeadDelivery.objects.filter(lead=lead, status=Status.PENDING))
            )
    logger.info("lead delivery retried by staff: lead=%s deliveries=%s", lead.pk, reopened)
    return reopened


# --- Sending ------------------------------------------------------------------------


def deliver(delivery_id: int) -> str:
    """Send one delivery, step by step (demo_requests.sending); its resulting status."""
    from demo_requests import sending

    return sending.deliver(delivery_id)


def claimable() -> Q:
    """Due pending rows, and rows left `sending` past the lease (their worker died; a
    live sender holds the row lock, which skip_locked respects anyway)."""
    now = timezone.now()
    return Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Status.SENDING, updated_at__lt=now - stuck_after()
    )


def lead_payload(lead: Lead) -> dict:
    """What every CRM client gets (the webhook sends it as is, fields mapped when the
    practice set a mapping). `form_kind` picks the default mapping (crm.mapping)."""
    labels = (
        dict(lead.form_page.form_fields.values_list("clean_name", "label"))
        if lead.form_page_id
        else {}
    )
    return {
        "lead_id": lead.pk,
        "form_kind": lead.form_kind,
        "practice": lead.practice.name,
        "submitted_at": lead.created_at.isoformat(),
        "fields": {
            name: value
            for name, value in lead.submission.form_data.items()
            if name != "submission_key"
        },
        "labels": labels,
        "utm": lead.utm,
        "referrer": lead.referrer,
        "landing_page": lead.landing_page,
        "consented_at": lead.consented_at.isoformat() if lead.consented_at else None,
    }


def roll_up(lead_id: int) -> None:
    """Lead status from its deliveries: failed if any failed or dead, delivered if all
    delivered, else pending. The lead row is locked first, so two deliveries of one
    lead finishing together see each other's outcome."""
    Lead.objects.select_for_update().filter(pk=lead_id).values_list("pk", flat=True).first()
    statuses = set(LeadDelivery.objects.filter(lead_id=lead_id).values_list("status", flat=True))
    if statuses & {Status.FAILED, Status.DEAD}:
        status = Lead.Status.FAILED
    elif statuses and statuses == {Status.DELIVERED}:
        status = Lead.Status.DELIVERED
    else:
        status = Lead.Status.PENDING
    Lead.objects.filter(pk=lead_id).exclude(status=status).update(status=status)


# --- Staff notification -------------------------------------------------------------


def staff_recipients() -> list[str]:
    from practices.services.permissions import AGENCY_STAFF_GROUP

    admins = [address for _, address in getattr(settings, "ADMINS", [])]
    staff = get_user_model().objects.filter(
        Q(groups__name=AGENCY_STAFF_GROUP) | Q(is_superuser=True), is_active=True
    )
    return sorted({*admins, *(email for email in staff.values_list("email", flat=True) if email)})


def notify_staff(delivery: LeadDelivery) -> bool:
    """One e-mail per failed/dead delivery (ids and error class only, no lead data)."""
    claimed = LeadDelivery.objects.filter(pk=delivery.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return False
    recipients = staff_recipients()
    if recipients:
        base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
        send_mail(
            subject=f"Lead {delivery.lead_id} could not be delivered to {delivery.destination}",
            message=(
                f"Lead {delivery.lead_id} ({delivery.destination}) is {delivery.status} after "
                f"{delivery.attempts} attempt(s).\nLast status code: {delivery.last_status_code}"
                f"\nLast error: {delivery.last_error[:300]}\n\nOpen the lead in the admin "
                f'({base}/admin/) and press "Retry now" once the CRM is fixed.'
            ),
            from_email=None,
            recipient_list=recipients,
            fail_silently=True,
        )
    logger.warning(
        "staff notified of failed lead delivery: delivery=%s lead=%s recipients=%s",
        delivery.pk,
        delivery.lead_id,
        len(recipients),
    )
    return True
