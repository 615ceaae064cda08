"""Celery tasks for the blog; the work itself is in blog.services.syndication_jobs.

acks_late is global (settings): a task killed with its worker is re-delivered, which
the services make safe (they are idempotent). A database blip is retried with
exponential backoff; past max_retries the job stays pending/running and the beat
task resume_stale_syndication_jobs picks it up again.
"""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from blog.services import syndication_jobs

RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="blog.tasks.run_syndication_job", **RETRY)
def run_syndication_job(job_id: int) -> None:
    syndication_jobs.run_syndication_job(job_id)


@shared_task(name="blog.tasks.sync_syndicated_copies", **RETRY)
def sync_syndicated_copies(original_id: int) -> int:
    return syndication_jobs.sync_copies(original_id)


@shared_task(name="blog.tasks.resume_stale_syndication_jobs", **RETRY)
def resume_stale_syndication_jobs() -> int:
    return syndication_jobs.resume_stale_jobs()


@shared_task(name="blog.tasks.retry_syndication_failure", **RETRY)
def retry_syndication_failure(failure_id: int, attempt: int | None = None) -> bool:
    return syndication_jobs.retry_failure(failure_id, attempt)
