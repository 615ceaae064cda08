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
- `deliver(delivery_id)` claims the row (select_for_update(skip_locked)) and counts
  the attempt in its own committed transaction BEFORE calling the CRM; then holds the
  row lock while sending, so a redelivered message for the same row is skipped. A row
  whose counted attempts reached the maximum without a recorded outcome (it keeps
  killing workers) is dead-lettered.
- Logs carry ids, destinations and status codes only; never the lead's data.
"""

from __future__ import annotations

import logging
import random
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from demo_requests.crm import PermanentError, RetryableError, client_for
from demo_requests.models import CrmSettings, Lead, LeadDelivery, LeadDeliveryAttempt

logger = logging.getLogger(__name__)

Status = LeadDelivery.Status
ERROR_MAX = 1000
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
    return LeadDelivery.objects.bulk_create(
        [LeadDelivery(lead=lead, destination=destination) for destination in destinations]
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
    """Send one delivery; returns its resulting status (or 'skipped')."""
    attempt = _claim(delivery_id)
    if attempt is None:
        return "skipped"
    with transaction.atomic():
        # Held while sending. Not skip_locked here: the row may be locked for an instant
        # by the dispatcher's bookkeeping; only a stale-lease sender could hold it long,
        # and then our claim is no longer the latest and we step aside.
        delivery = (
            LeadDelivery.objects.select_for_update(of=("self",))
            .select_related("lead__practice", "lead__submission")
            .filter(pk=delivery_id, status=Status.SENDING)
            .first()
        )
        latest = LeadDeliveryAttempt.objects.filter(delivery_id=delivery_id).aggregate(
            last=Max("number")
        )["last"]
        if delivery is None or latest != attempt.number:
            # Another worker took it over between our claim and now.
            LeadDeliveryAttempt.objects.filter(pk=attempt.pk).update(
                finished_at=timezone.now(), error="not sent: taken over by another worker"
            )
            return "skipped"
        crm = crm_settings_for(delivery.lead.practice)
        started = time.monotonic()
        outcome, status_code, error, external_id, retry_after = _send(delivery, crm)
        duration_ms = int((time.monotonic() - started) * 1000)
        LeadDeliveryAttempt.objects.filter(pk=attempt.pk).update(
            finished_at=timezone.now(),
            duration_ms=duration_ms,
            status_code=status_code,
            succeeded=outcome == Status.DELIVERED,
            error=error[:ERROR_MAX],
        )
        delivery.last_status_code = status_code
        delivery.last_error = error[:ERROR_MAX]
        if outcome == Status.DELIVERED:
            delivery.status = Status.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.external_id = external_id[:100]
        elif outcome == "retry" and delivery.attempts < max_attempts():
            delivery.status = Status.PENDING
            delivery.next_attempt_at = timezone.now() + timedelta(
                seconds=backoff(delivery.attempts, retry_after)
            )
        else:
            delivery.status = Status.FAILED
        delivery.save()
        _roll_up(delivery.lead_id)
    logger.info(
        "lead delivery attempt: delivery=%s lead=%s destination=%s attempt=%s status=%s "
        "code=%s duration_ms=%s",
        delivery.pk,
        delivery.lead_id,
        delivery.destination,
        attempt.number,
        delivery.status,
        status_code,
        duration_ms,
    )
    if delivery.status == Status.FAILED:
        notify_staff(delivery)
    return delivery.status


def claimable() -> Q:
    """Due pending rows, and rows left `sending` past the lease (their worker died; a
    live sender holds the row lock, which skip_locked respects anyway)."""
    now = timezone.now()
    return Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Status.SENDING, updated_at__lt=now - stuck_after()
    )


def _claim(delivery_id: int) -> LeadDeliveryAttempt | None:
    """Count the attempt, committed, before any call to the CRM."""
    with transaction.atomic():
        delivery = (
            LeadDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(claimable(), pk=delivery_id)
            .first()
        )
        if delivery is None:  # done, not due, or claimed/being sent by another worker
            return None
        if delivery.attempts >= max_attempts():
            # Every counted attempt ended without an outcome: it kills its workers.
            delivery.status = Status.DEAD
            delivery.last_error = "attempts exhausted without an outcome (worker lost)"
            delivery.save(update_fields=["status", "last_error", "updated_at"])
            _roll_up(delivery.lead_id)
            dead = delivery
        else:
            dead = None
            delivery.attempts += 1
            delivery.status = Status.SENDING
            delivery.save(update_fields=["attempts", "status", "updated_at"])
            # Numbered over the delivery's life (retry_now starts a new round of attempts).
            last = delivery.attempt_log.aggregate(last=Max("number"))["last"] or 0
            attempt = LeadDeliveryAttempt.objects.create(
                delivery=delivery, number=last + 1, destination=delivery.destination
            )
    if dead is not None:
        logger.warning("lead delivery dead-lettered: delivery=%s lead=%s", dead.pk, dead.lead_id)
        notify_staff(dead)
        return None
    return attempt


def _send(delivery: LeadDelivery, crm: CrmSettings | None):
    """(outcome, status_code, error, external_id, retry_after) for one call."""
    if crm is None or delivery.destination not in crm.enabled_destinations():
        return Status.FAILED, None, "destination no longer configured", "", None
    try:
        result = client_for(delivery.destination, crm).deliver(
            lead_payload(delivery.lead), idempotency_key=delivery.lead.idempotency_key
        )
    except RetryableError as exc:
        return "retry", exc.status_code, str(exc), "", exc.retry_after
    except PermanentError as exc:
        return Status.FAILED, exc.status_code, str(exc), "", None
    except Exception as exc:  # a bug or an unexpected vendor error: retry, recorded
        logger.warning("lead delivery error: delivery=%s error=%s", delivery.pk, type(exc).__name__)
        return "retry", None, f"unexpected {type(exc).__name__}", "", None
    return Status.DELIVERED, result.status_code, "", result.external_id, None


def lead_payload(lead: Lead) -> dict:
    return {
        "lead_id": lead.pk,
        "practice": lead.practice.name,
        "submitted_at": lead.created_at.isoformat(),
        "fields": {
            name: value
            for name, value in lead.submission.form_data.items()
            if name != "submission_key"
        },
        "utm": lead.utm,
        "referrer": lead.referrer,
        "landing_page": lead.landing_page,
        "consented_at": lead.consented_at.isoformat() if lead.consented_at else None,
    }


def _roll_up(lead_id: int) -> None:
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
