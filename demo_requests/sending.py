"""Sending one lead delivery, step by step (the outbox around it: demo_requests.delivery).

A delivery is its destination's list of steps (demo_requests.crm.STEPS: HubSpot
contact then note; Salesforce lead; webhook ack). The row records each step done with
the CRM's id, so an attempt resumes at the first step not done; every step is
idempotent on the CRM side (an upsert by a unique key, or a search before a create).

- `_claim` (its own committed transaction, the row locked with skip_locked) counts the
  attempt against the first step not done (`attempts`, `step_attempts[step]`, a
  LeadDeliveryAttempt row) BEFORE any call, and holds the row as `sending` under
  `claim` = the attempt's number. A step whose budget went to attempts that never
  finished (they kill their workers) is dead-lettered; a row past its retry window
  (`retry_until`, LEAD_DELIVERY_RETRY_WINDOW_SECONDS after it was created or retried by
  staff) fails.
- Around each call, two committed writes that need the claim still held (a worker that
  lost the row to the sweeper stops there): the step marked sent (a crash after this
  leaves it in doubt, and the next attempt looks before it creates), then its CRM id.
- The outcome is written under the row lock: delivered; or a retry of the failed step
  while it has attempts left (LEAD_DELIVERY_MAX_ATTEMPTS per step) and the next try
  falls inside the window; or failed. An unusable answer (HTML, no id) is a retry with
  its first bytes, masked, in the attempt log; nothing a CRM answers crashes a worker.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from demo_requests import delivery as outbox
from demo_requests.crm import STEPS, PermanentError, RetryableError, client_for
from demo_requests.models import LeadDelivery, LeadDeliveryAttempt

logger = logging.getLogger(__name__)

Status = LeadDelivery.Status
ERROR_MAX = 1000


def retry_window() -> timedelta:
    return timedelta(seconds=settings.LEAD_DELIVERY_RETRY_WINDOW_SECONDS)


@dataclass
class Result:
    outcome: str  # a Status, "retry", or "lost" (the claim went to another worker)
    step: str = ""
    status_code: int | None = None
    error: str = ""
    excerpt: str = ""
    retry_after: float | None = None
    in_doubt: bool = False  # the failed step was already in doubt when this attempt began


def pending_step(delivery: LeadDelivery) -> str:
    steps = STEPS[delivery.destination]
    return next((s for s in steps if "id" not in delivery.steps.get(s, {})), steps[-1])


def deliver(delivery_id: int) -> str:
    """Send one delivery; returns its resulting status (or 'skipped')."""
    claimed = _claim(delivery_id)
    if claimed is None:
        return "skipped"
    delivery, attempt = claimed
    started = time.monotonic()
    result = _run_steps(delivery, attempt)
    duration_ms = int((time.monotonic() - started) * 1000)
    status = _finish(delivery, attempt, result, duration_ms)
    logger.info(
        "lead delivery attempt: delivery=%s lead=%s destination=%s attempt=%s step=%s "
        "status=%s code=%s duration_ms=%s",
        delivery.pk,
        delivery.lead_id,
        delivery.destination,
        attempt.number,
        result.step,
        status,
        result.status_code,
        duration_ms,
    )
    if status == Status.FAILED:
        outbox.notify_staff(LeadDelivery.objects.get(pk=delivery.pk))
    return status


def _claim(delivery_id: int) -> tuple[LeadDelivery, LeadDeliveryAttempt] | None:
    """Count the attempt, committed, before any call to the CRM."""
    with transaction.atomic():
        delivery = (
            LeadDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("lead__practice", "lead__submission")
            .filter(outbox.claimable(), pk=delivery_id)
            .first()
        )
        if delivery is None:  # done, not due, or claimed/being sent by another worker
            return None
        step = pending_step(delivery)
        window_ends = delivery.retry_until or delivery.created_at + retry_window()
        used = delivery.step_attempts.get(step, 0)
        if used >= outbox.max_attempts():
            # Every counted attempt of this step ended without an outcome: it kills its workers.
            ended = Status.DEAD, f"{step}: attempts exhausted without an outcome (worker lost)"
        elif delivery.attempts and timezone.now() > window_ends:
            ended = Status.FAILED, f"{step}: retry window over without an outcome"
        else:
            ended = None
            number = (delivery.attempt_log.aggregate(last=Max("number"))["last"] or 0) + 1
            delivery.attempts += 1
            delivery.step_attempts = {**delivery.step_attempts, step: used + 1}
            delivery.status = Status.SENDING
            delivery.claim = number
            delivery.retry_until = window_ends
            delivery.save()
            attempt = LeadDeliveryAttempt.objects.create(
                delivery=delivery, number=number, destination=delivery.destination, step=step
            )
        if ended is not None:
            delivery.status, delivery.last_error = ended
            delivery.save(update_fields=["status", "last_error", "updated_at"])
            outbox.roll_up(delivery.lead_id)
    if ended is not None:
        logger.warning(
            "lead delivery stopped: delivery=%s lead=%s status=%s",
            delivery.pk,
            delivery.lead_id,
            delivery.status,
        )
        outbox.notify_staff(delivery)
        return None
    return delivery, attempt


def _run_steps(delivery: LeadDelivery, attempt: LeadDeliveryAttempt) -> Result:
    crm = outbox.crm_settings_for(delivery.lead.practice)
    if crm is None or delivery.destination not in crm.enabled_destinations():
        return Result(Status.FAILED, attempt.step, error="destination no longer configured")
    payload = outbox.lead_payload(delivery.lead)
    client = client_for(delivery.destination, crm)
    done = {s: entry["id"] for s, entry in delivery.steps.items() if "id" in entry}
    status_code = None
    for step in client.steps:
        if step in done:
            continue
        in_doubt = "sent_at" in delivery.steps.get(step, {})
        if step != attempt.step:  # reached within this attempt: it counts for this step too
            counted = delivery.step_attempts.get(step, 0) + 1
            delivery.step_attempts = {**delivery.step_attempts, step: counted}
        delivery.steps = {**delivery.steps, step: {"sent_at": timezone.now().isoformat()}}
        if not _save_held(delivery):
            return Result("lost", step)
        try:
            made = client.run_step(
                step,
                payload,
                idempotency_key=delivery.lead.idempotency_key,
                done=done,
                in_doubt=in_doubt,
            )
        except RetryableError as exc:
            return Result(
                "retry", step, exc.status_code, str(exc), exc.excerpt, exc.retry_after, in_doubt
            )
        except PermanentError as exc:
            return Result(Status.FAILED, step, exc.status_code, str(exc), exc.excerpt)
        except Exception as exc:  # a bug or an unexpected vendor error: retry, recorded
            logger.warning(
                "lead delivery error: delivery=%s step=%s error=%s",
                delivery.pk,
                step,
                type(exc).__name__,
            )
            return Result("retry", step, None, f"unexpected {type(exc).__name__}")
        done[step] = str(made.id)[:100]
        status_code = made.status_code
        delivery.steps = {
            **delivery.steps,
            step: {"id": done[step], "at": timezone.now().isoformat()},
        }
        if not _save_held(delivery):
            return Result("lost", step)
    return Result(Status.DELIVERED, step, status_code)


def _save_held(delivery: LeadDelivery) -> bool:
    """Commit the step bookkeeping if this worker still holds the row (also renews the
    lease that the sweeper reads from updated_at)."""
    return bool(
        LeadDelivery.objects.filter(
            pk=delivery.pk, status=Status.SENDING, claim=delivery.claim
        ).update(
            steps=delivery.steps, step_attempts=delivery.step_attempts, updated_at=timezone.now()
        )
    )


def _finish(
    delivery: LeadDelivery, attempt: LeadDeliveryAttempt, result: Result, duration_ms: int
) -> str:
    with transaction.atomic():
        row = (
            LeadDelivery.objects.select_for_update(of=("self",))
            .filter(pk=delivery.pk, status=Status.SENDING, claim=attempt.number)
            .first()
        )
        lost = row is None or result.outcome == "lost"
        LeadDeliveryAttempt.objects.filter(pk=attempt.pk).update(
            finished_at=timezone.now(),
            duration_ms=duration_ms,
            status_code=result.status_code,
            succeeded=result.outcome == Status.DELIVERED and not lost,
            step=result.step or attempt.step,
            error=("not recorded: taken over by another worker" if lost else result.error)[
                :ERROR_MAX
            ],
            response_excerpt=result.excerpt[:200],
        )
        if lost:
            return "skipped"
        _apply(row, delivery, result)
        row.save()
        outbox.roll_up(row.lead_id)
    return row.status


def _apply(row: LeadDelivery, sent: LeadDelivery, result: Result) -> None:
    """The attempt's outcome on the locked row."""
    row.steps, row.step_attempts = sent.steps, sent.step_attempts
    row.last_status_code = result.status_code
    row.last_error = result.error[:ERROR_MAX]
    if result.outcome == Status.DELIVERED:
        row.status = Status.DELIVERED
        row.delivered_at = timezone.now()
        ids = [row.steps[s]["id"] for s in STEPS[row.destination] if row.steps[s].get("id")]
        row.external_id = "/".join(ids)[:100]
        return
    if result.status_code == 429 and not result.in_doubt:
        # Refused before any work (rate limited), and no earlier attempt may have done
        # it: the step is not in doubt.
        row.steps = {k: v for k, v in row.steps.items() if k != result.step}
    next_at = timezone.now() + timedelta(
        seconds=outbox.backoff(row.step_attempts.get(result.step, 1), result.retry_after)
    )
    budget_left = row.step_attempts.get(result.step, 0) < outbox.max_attempts()
    if result.outcome == "retry" and budget_left and next_at <= row.retry_until:
        row.status = Status.PENDING
        row.next_attempt_at = next_at
        return
    row.status = Status.FAILED
    if result.outcome == "retry" and budget_left:
        row.last_error = f"{row.last_error} (retry window over)"[:ERROR_MAX]
