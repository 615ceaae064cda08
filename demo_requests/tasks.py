"""Celery tasks for lead delivery; the work itself is in demo_requests.delivery.

No Celery retries or countdowns: the database schedules the next attempt
(`next_attempt_at`) and the dispatcher enqueues it, so nothing waits in Redis past its
visibility timeout. acks_late (global) redelivers a task whose worker died; `deliver`
is idempotent and counts each attempt before it calls the CRM.
"""

from __future__ import annotations

from celery import shared_task

from demo_requests import delivery, notifications, privacy

OPTIONS = {"ignore_result": True}


@shared_task(name="demo_requests.tasks.deliver_lead", **OPTIONS)
def deliver_lead(delivery_id: int) -> str:
    return delivery.deliver(delivery_id)


@shared_task(name="demo_requests.tasks.dispatch_due_deliveries", **OPTIONS)
def dispatch_due_deliveries(limit: int = 500) -> int:
    return delivery.dispatch_due(limit)


@shared_task(name="demo_requests.tasks.sweep_stuck_deliveries", **OPTIONS)
def sweep_stuck_deliveries(limit: int = 500) -> int:
    return delivery.sweep_stuck(limit)


@shared_task(name="demo_requests.purge_expired_leads")
def purge_expired_leads() -> dict[str, int]:
    """Daily (beat): delete leads older than each practice's retention period."""
    result = privacy.purge_expired_leads()
    return {"submissions": result.submissions, "leads": result.leads}


@shared_task(name="demo_requests.tasks.notify_practice_of_lead", ignore_result=True)
def notify_practice_of_lead(lead_id: int) -> bool:
    return notifications.notify_practice_of_lead(lead_id)


@shared_task(name="demo_requests.tasks.send_daily_digests", ignore_result=True)
def send_daily_digests() -> int:
    return notifications.send_daily_digests()
