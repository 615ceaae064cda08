"""Syndication jobs: one original over many practices, with progress, and no copy
forgotten. A practice whose copy cannot be created or synced is recorded on the job
(SyndicationFailure) and retried by Celery with exponential backoff, or at once from
the job page; the job stays "failed" until every one of them has succeeded.

Two kinds of job: "syndicate" (the agency chose the practices; each gets a copy, or
its copy is synced and republished) and "re-sync" (made by the publish of an original
for the practices holding live copies of it, so that its progress and failures are
visible the same way).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page

from blog.models import BlogPostPage, SyndicationFailure, SyndicationJob
from blog.services.syndication import (
    RETRY_WHOLE_TASK,
    STALE_AFTER,
    SyndicationError,
    is_library_original,
    sync_copy,
    syndicate_to_practice,
    syndication_refusal,
)
from practices.models import Practice

logger = logging.getLogger(__name__)

IN_PROGRESS = (SyndicationJob.Status.PENDING, SyndicationJob.Status.RUNNING)
MAX_BACKOFF = timedelta(hours=1)
LOCK_BUSY_DELAY = 5  # seconds: a retry waits for the job's own run to end


def request_syndication(
    original: BlogPostPage, practices: Iterable[Practice], user
) -> SyndicationJob:
    """Record a job and hand it to a worker; the admin request returns at once."""
    if not original.live or not is_library_original(original):
        raise SyndicationError("Only a published post of the agency library can be syndicated.")
    refusal = syndication_refusal(original)
    if refusal:
        raise SyndicationError(refusal)
    practices = list(practices)
    if not practices:
        raise SyndicationError("Choose at least one practice.")
    with transaction.atomic():
        job = SyndicationJob.objects.create(
            original=original, requested_by=user, total=len(practices)
        )
        job.practices.set(practices)
        # Enqueued only once the job row is committed, so the worker always finds it.
        # If the message is lost anyway (broker down between commit and publish), the
        # pending row remains: resume_stale_jobs() (Celery beat) re-enqueues it.
        transaction.on_commit(lambda: _enqueue_job(job))
    logger.info(
        "syndication requested: job=%s original=%s practices=%s", job.pk, original.pk, job.total
    )
    return job


def run_syndication_job(job_id: int) -> SyndicationJob | None:
    """Run the job over each of its practices. Idempotent: a second run creates
    nothing new, it re-syncs the copies and counts them again."""
    job = SyndicationJob.objects.select_related("original").filter(pk=job_id).first()
    if job is None:
        logger.warning("syndication job not found: job=%s", job_id)
        return None
    # A redelivered or resumed message must not run beside a live run (it would
    # double-count progress); the lock expires with the task's hard time limit.
    if not _lock(job):
        logger.info("syndication job already running: job=%s", job.pk)
        return job
    try:
        _run_job(job)
    finally:
        _unlock(job)
    job.refresh_from_db()
    return job


def schedule_sync(original: BlogPostPage) -> None:
    """After an original is published, have a worker update its live copies."""
    if syndication_refusal(original, resync=True):
        return  # marked for practice owners: its copies no longer follow it
    if BlogPostPage.objects.filter(syndicated_from=original, live=True).exists():
        transaction.on_commit(lambda: _enqueue_sync(original.pk))


def sync_copies(original_id: int) -> int:
    """A re-sync job for every practice holding a live copy of the original, run now;
    returns how many copies are up to date."""
    original = BlogPostPage.objects.filter(pk=original_id, live=True).first()
    if original is None:
        return 0  # unpublished or deleted since the publish that asked for this
    practices = practices_with_live_copies(original)
    if not practices:
        return 0
    with transaction.atomic():
        job = SyndicationJob.objects.create(
            original=original, kind=SyndicationJob.Kind.RESYNC, total=len(practices)
        )
        job.practices.set(practices)
    job = run_syndication_job(job.pk)
    logger.info("syndicated copies synced: original=%s count=%s", original_id, job.done)
    return job.done


def practices_with_live_copies(original: BlogPostPage) -> list[Practice]:
    """The practices whose tree holds a live copy still following the original."""
    paths = BlogPostPage.objects.filter(syndicated_from=original, live=True).values_list(
        "path", flat=True
    )
    step = Page.steplen
    ancestors = {path[:end] for path in paths for end in range(step, len(path), step)}
    return list(Practice.objects.filter(site__root_page__path__in=ancestors).order_by("pk"))


def resume_stale_jobs() -> int:
    """Re-enqueue jobs left pending or running for over 10 minutes (lost message,
    worker killed, retries exhausted). A job still running elsewhere holds its lock,
    so the re-enqueued run returns at once."""
    stale = SyndicationJob.objects.filter(
        status__in=IN_PROGRESS, created_at__lt=timezone.now() - STALE_AFTER
    )
    count = 0
    for job in stale.only("pk", "total"):
        _enqueue_job(job)
        logger.info("syndication job re-enqueued: job=%s", job.pk)
        count += 1
    return count


def retry_failure(failure_id: int, attempt: int | None = None) -> bool:
    """Try a failed practice of a job again; True once its copy is right. `attempt`
    is the automatic retry's number: a retry superseded by a later failure (or by
    the job page's retry) is dropped. None: asked for from the job page."""
    failure = (
        SyndicationFailure.objects.select_related("job__original", "practice__site__root_page")
        .filter(pk=failure_id)
        .first()
    )
    if failure is None:
        return True  # resolved meanwhile
    if attempt is not None and failure.attempts != attempt:
        return False
    job = failure.job
    if not _lock(job):  # the job is running: it retries this practice itself
        _enqueue_retry(failure.pk, attempt, countdown=LOCK_BUSY_DELAY)
        return False
    try:
        succeeded = _attempt(job, failure.practice)
        if succeeded:
            SyndicationJob.objects.filter(pk=job.pk).update(done=F("done") + 1)
            _finish(job)
        else:
            failure.refresh_from_db()
            _schedule_retry(failure)
    finally:
        _unlock(job)
    return succeeded


def request_retry(failure: SyndicationFailure) -> None:
    """The job page's retry action: a worker tries again now."""
    SyndicationFailure.objects.filter(pk=failure.pk).update(next_retry_at=timezone.now())
    transaction.on_commit(lambda: _enqueue_retry(failure.pk, None))


def job_practice_rows(job: SyndicationJob) -> list[tuple[Practice, BlogPostPage | None]]:
    """Each practice of the job with its copy of the original (None until created)."""
    practices = list(job.practices.select_related("site__root_page").order_by("name", "pk"))
    by_root = {practice.site.root_page.path: practice for practice in practices}
    prefix_lengths = {len(path) for path in by_root}
    copies: dict[int, BlogPostPage] = {}
    for copy in BlogPostPage.objects.filter(syndicated_from_id=job.original_id).only(
        "pk", "path", "title", "live"
    ):
        for length in prefix_lengths:
            practice = by_root.get(copy.path[:length])
            if practice is not None:
                copies[practice.pk] = copy
    return [(practice, copies.get(practice.pk)) for practice in practices]


# --- Running ---------------------------------------------------------------------------


def _run_job(job: SyndicationJob) -> None:
    jobs = SyndicationJob.objects.filter(pk=job.pk)
    jobs.update(status=SyndicationJob.Status.RUNNING, done=0, error="", finished_at=None)
    if not job.original.live:
        jobs.update(
            status=SyndicationJob.Status.FAILED,
            error="The original was unpublished before the job ran.",
            finished_at=timezone.now(),
        )
        return
    refusal = syndication_refusal(job.original, resync=job.kind == SyndicationJob.Kind.RESYNC)
    if refusal:  # queued before the post was marked for practice owners, or by hand
        jobs.update(status=SyndicationJob.Status.FAILED, error=refusal, finished_at=timezone.now())
        return
    # Read once for the whole job: every copy takes the same tags, types, products.
    job.original = (
        BlogPostPage.objects.prefetch_related("tags", "post_types", "products")
        .filter(pk=job.original_id)
        .first()
    )
    for practice in job.practices.select_related("site__root_page").order_by("pk"):
        if _attempt(job, practice):
            jobs.update(done=F("done") + 1)
    _finish(job)
    _schedule_retries(job)


def _attempt(job: SyndicationJob, practice: Practice) -> bool:
    """One practice, in its own transaction; a failure is recorded, never raised."""
    try:
        with transaction.atomic():
            _apply(job, practice)
    except RETRY_WHOLE_TASK:
        raise
    except Exception as exc:
        logger.warning("syndication failed: job=%s practice=%s", job.pk, practice.pk, exc_info=True)
        _record_failure(job, practice, exc)
        return False
    SyndicationFailure.objects.filter(job=job, practice=practice).delete()
    return True


def _apply(job: SyndicationJob, practice: Practice) -> None:
    original = job.original
    if job.kind == SyndicationJob.Kind.SYNDICATE:
        syndicate_to_practice(original, practice)
        return
    root = practice.site.root_page.path
    # Re-read under lock: the copy may have been detached or unpublished meanwhile.
    copy = (
        BlogPostPage.objects.select_for_update()
        .filter(syndicated_from=original, live=True, path__startswith=root)
        .first()
    )
    if copy is not None:
        sync_copy(original, copy)


def _record_failure(job: SyndicationJob, practice: Practice, exc: Exception) -> None:
    message = str(exc) if isinstance(exc, SyndicationError) else f"{type(exc).__name__}: {exc}"
    failure, _ = SyndicationFailure.objects.get_or_create(
        job=job, practice=practice, defaults={"error": message, "attempts": 0}
    )
    failure.attempts += 1
    failure.error = message
    automatic = failure.attempts <= settings.SYNDICATION_MAX_RETRIES
    failure.next_retry_at = timezone.now() + _backoff(failure.attempts) if automatic else None
    failure.save(update_fields=["attempts", "error", "next_retry_at", "updated_at"])


def _backoff(attempts: int) -> timedelta:
    delay = timedelta(seconds=settings.SYNDICATION_RETRY_BACKOFF * 2 ** (attempts - 1))
    return min(delay, MAX_BACKOFF)


def _finish(job: SyndicationJob) -> None:
    jobs = SyndicationJob.objects.filter(pk=job.pk)
    failed = job.failures.exists()
    jobs.update(
        status=SyndicationJob.Status.FAILED if failed else SyndicationJob.Status.DONE,
        finished_at=timezone.now(),
    )
    logger.info("syndication job finished: job=%s failed=%s", job.pk, failed)


def _schedule_retries(job: SyndicationJob) -> None:
    for failure in job.failures.all():
        _schedule_retry(failure)


def _schedule_retry(failure: SyndicationFailure) -> None:
    if failure.next_retry_at is None:
        return  # automatic retries used up; the job page can still retry
    countdown = max(0, (failure.next_retry_at - timezone.now()).total_seconds())
    _enqueue_retry(failure.pk, failure.attempts, countdown=countdown)


# --- Celery plumbing -------------------------------------------------------------------


def _lock_key(job: SyndicationJob) -> str:
    return f"blog:syndication-job:{job.pk}"


def _lock(job: SyndicationJob) -> bool:
    return cache.add(_lock_key(job), "1", timeout=time_limits(job.total)["time_limit"])


def _unlock(job: SyndicationJob) -> None:
    cache.delete(_lock_key(job))


def time_limits(items: int) -> dict[str, int]:
    """Celery time limits for a task over `items` pages: the global 2-minute limit
    would cut a job for hundreds of practices short."""
    soft = 120 + 3 * items
    return {"soft_time_limit": soft, "time_limit": soft + 60}


def _enqueue_job(job: SyndicationJob) -> None:
    from blog.tasks import run_syndication_job as task  # blog.tasks imports this module

    task.apply_async(args=[job.pk], **time_limits(job.total))


def _enqueue_sync(original_id: int) -> None:
    from blog.tasks import sync_syndicated_copies as task  # blog.tasks imports this module

    copies = BlogPostPage.objects.filter(syndicated_from_id=original_id, live=True).count()
    task.apply_async(args=[original_id], **time_limits(copies))


def _enqueue_retry(failure_id: int, attempt: int | None, countdown: float = 0) -> None:
    from blog.tasks import retry_syndication_failure as task  # blog.tasks imports this module

    task.apply_async(args=[failure_id, attempt], countdown=countdown)
