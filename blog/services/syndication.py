"""Syndication of agency library posts to practices.

Each target practice gets a real BlogPostPage copy under its own blog (its own URL,
hostname and publication date, which a Wagtail alias could not have), linked to the
original by `syndicated_from`. Copies follow the original on every publish until a
practice "makes it its own" (detach). Every write lives here; the Celery tasks and
admin views only call these functions.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.core.cache import cache
from django.db import OperationalError, transaction
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from wagtail.models import Page

from agency_platform.core import freshness
from blog import selectors
from blog.models import BlogIndexPage, BlogPostPage, SyndicationJob
from practices.models import Practice, PracticeStatus, Specialty

logger = logging.getLogger(__name__)

# Content a copy takes from its original; the copy's own `date` and `slug` are never
# overwritten (each practice shows its own publication date and keeps its URL).
SYNCED_FIELDS = (
    "title",
    "seo_title",
    "search_description",
    "intro",
    "highlight",
    "body",
    "hero_image_id",
    "author_id",
    "show_table_of_contents",
    "source_image_path",
    "extra_front_matter",
)
SYNCED_RELATIONS = ("post_types", "products")
STALE_AFTER = timedelta(minutes=10)
PUBLIC_STATUSES = (PracticeStatus.ONBOARDING, PracticeStatus.LIVE)
# Not one practice's or copy's fault, so stop rather than record it per practice: the
# database is unreachable (the task retries the whole run) or the time limit is near
# (resume_stale_jobs re-runs a job; an interrupted sync is completed by the next publish).
RETRY_WHOLE_TASK = (OperationalError, SoftTimeLimitExceeded)


class SyndicationError(Exception):
    """A syndication request that cannot be carried out; the message is for the user."""


def library_practice() -> Practice | None:
    return (
        Practice.objects.select_related("site__root_page")
        .filter(specialty=Specialty.AGENCY)
        .order_by("pk")
        .first()
    )


def is_library_original(post: Page) -> bool:
    """A post written in the agency library (not itself a copy)."""
    if not isinstance(post, BlogPostPage) or post.syndicated_from_id is not None:
        return False
    library = library_practice()
    return library is not None and post.path.startswith(library.site.root_page.path)


def practices_for_selection(
    practice_ids: Iterable[int] = (), specialty: str = "", all_practices: bool = False
) -> QuerySet[Practice]:
    """Target practices: the union of the chosen ids and specialty, or all of them.
    Never the library (nor any agency practice), never a suspended or archived one."""
    targets = Practice.objects.filter(status__in=PUBLIC_STATUSES).exclude(
        specialty=Specialty.AGENCY
    )
    if not all_practices:
        chosen = Q(pk__in=list(practice_ids))
        if specialty:
            chosen |= Q(specialty=specialty)
        targets = targets.filter(chosen)
    return targets.order_by("name", "pk")


def request_syndication(
    original: BlogPostPage, practices: Iterable[Practice], user
) -> SyndicationJob:
    """Record a job and hand it to a worker; the admin request returns at once."""
    if not original.live or not is_library_original(original):
        raise SyndicationError("Only a published post of the agency library can be syndicated.")
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


def resume_stale_jobs() -> int:
    """Re-enqueue jobs left pending or running for over 10 minutes (lost message,
    worker killed, retries exhausted). A job still running elsewhere holds its lock,
    so the re-enqueued run returns at once."""
    stale = SyndicationJob.objects.filter(
        status__in=(SyndicationJob.Status.PENDING, SyndicationJob.Status.RUNNING),
        created_at__lt=timezone.now() - STALE_AFTER,
    )
    count = 0
    for job in stale.only("pk", "total"):
        _enqueue_job(job)
        logger.info("syndication job re-enqueued: job=%s", job.pk)
        count += 1
    return count


def run_syndication_job(job_id: int) -> SyndicationJob | None:
    """Syndicate the job's original to each of its practices. Idempotent: a second
    run creates nothing new, it re-syncs the copies and counts them again."""
    job = SyndicationJob.objects.select_related("original").filter(pk=job_id).first()
    if job is None:
        logger.warning("syndication job not found: job=%s", job_id)
        return None
    lock_key = f"blog:syndication-job:{job.pk}"
    # A redelivered or resumed message must not run beside a live run (it would
    # double-count progress); the lock expires with the task's hard time limit.
    if not cache.add(lock_key, "1", timeout=_time_limits(job.total)["time_limit"]):
        logger.info("syndication job already running: job=%s", job.pk)
        return job
    try:
        _run_job(job)
    finally:
        cache.delete(lock_key)
    job.refresh_from_db()
    return job


def _run_job(job: SyndicationJob) -> None:
    jobs = SyndicationJob.objects.filter(pk=job.pk)
    jobs.update(status=SyndicationJob.Status.RUNNING, done=0, error="", finished_at=None)
    original = job.original
    if not original.live:
        jobs.update(
            status=SyndicationJob.Status.FAILED,
            error="The original was unpublished before the job ran.",
            finished_at=timezone.now(),
        )
        return
    errors = []
    for practice in job.practices.select_related("site__root_page").order_by("pk"):
        try:
            with transaction.atomic():
                syndicate_to_practice(original, practice)
                jobs.update(done=F("done") + 1)
        except RETRY_WHOLE_TASK:
            raise
        except Exception as exc:
            logger.warning(
                "syndication failed: job=%s practice=%s", job.pk, practice.pk, exc_info=True
            )
            errors.append(f"{practice.name} ({practice.site.hostname}): {exc}")
    jobs.update(
        status=SyndicationJob.Status.FAILED if errors else SyndicationJob.Status.DONE,
        error="\n".join(errors),
        finished_at=timezone.now(),
    )
    logger.info("syndication job finished: job=%s failures=%s", job.pk, len(errors))


@transaction.atomic
def syndicate_to_practice(original: BlogPostPage, practice: Practice) -> BlogPostPage:
    """Create and publish the practice's copy of `original`, or sync the one it has
    (republishing it if the practice had unpublished it: the agency asked again)."""
    blog = blog_index_for(practice)
    # Serialises concurrent runs for this blog, so two never both create a copy.
    Page.objects.select_for_update().filter(pk=blog.pk).first()
    copy = BlogPostPage.objects.child_of(blog).filter(syndicated_from=original).first()
    if copy is not None:
        return _sync_copy(original, copy, force_publish=not copy.live)
    copy = BlogPostPage(
        slug=_free_slug(blog, original.slug), date=timezone.now(), syndicated_from=original
    )
    _copy_content(original, copy)
    blog.add_child(instance=copy)
    copy.save_revision().publish()
    logger.info(
        "syndicated copy created: original=%s practice=%s page=%s",
        original.pk,
        practice.pk,
        copy.pk,
    )
    return copy


def blog_index_for(practice: Practice) -> BlogIndexPage:
    blog = selectors.blog_index_for(practice)
    if blog is None:
        raise SyndicationError("This practice has no blog.")
    return blog


def schedule_sync(original: BlogPostPage) -> None:
    """After an original is published, have a worker update its live copies."""
    count = BlogPostPage.objects.filter(syndicated_from=original, live=True).count()
    if count:
        transaction.on_commit(lambda: _enqueue_sync(original.pk, count))


def sync_copies(original_id: int) -> int:
    """Bring every live copy of the original up to date; returns how many were synced."""
    original = BlogPostPage.objects.filter(pk=original_id, live=True).first()
    if original is None:
        return 0  # unpublished or deleted since the publish that asked for this
    copy_ids = (
        BlogPostPage.objects.filter(syndicated_from_id=original_id, live=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    synced = 0
    for copy_id in list(copy_ids):
        try:
            with transaction.atomic():
                # Re-read under lock: the copy may have been detached meanwhile.
                copy = (
                    BlogPostPage.objects.select_for_update()
                    .filter(pk=copy_id, syndicated_from_id=original_id)
                    .first()
                )
                if copy is None:
                    continue
                _sync_copy(original, copy)
        except RETRY_WHOLE_TASK:
            raise
        except Exception:
            logger.warning(
                "syndicated copy sync failed: original=%s page=%s",
                original_id,
                copy_id,
                exc_info=True,
            )
            continue
        synced += 1
    logger.info("syndicated copies synced: original=%s count=%s", original_id, synced)
    return synced


def detach(copy: BlogPostPage, user) -> BlogPostPage:
    """Make it our own: the copy keeps its content (and any pending draft) but stops
    following the original; its canonical URL becomes its own."""
    with transaction.atomic():
        page = BlogPostPage.objects.select_for_update().get(pk=copy.pk)
        if page.syndicated_from_id is None:
            raise SyndicationError("This post is already your practice's own.")
        had_draft = page.has_unpublished_changes
        latest = page.get_latest_revision_as_object()
        latest.syndicated_from = None
        revision = latest.save_revision(user=user, log_action=True)
        # The live page stops following now, even while a draft awaits moderation.
        BlogPostPage.objects.filter(pk=page.pk).update(syndicated_from=None)
        # A queryset update sends no signal: the canonical link of cached pages changes.
        freshness.invalidate(freshness.for_page(page))
        if page.live and not had_draft:
            # The live content is unchanged (only the link goes), so publishing needs
            # no moderation: an editor may detach without the publish permission.
            revision.publish(user=user, skip_permission_checks=True)
    logger.info("syndicated copy detached: page=%s user=%s", page.pk, getattr(user, "pk", None))
    return BlogPostPage.objects.get(pk=page.pk)


def canonical_url(post: BlogPostPage, request: HttpRequest | None = None) -> str:
    """A copy's canonical is its (published) original; anything else is its own."""
    return post.canonical_url(request)


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


def _time_limits(items: int) -> dict[str, int]:
    """Celery time limits for a task over `items` pages: the global 2-minute limit
    would cut a job for hundreds of practices short."""
    soft = 120 + 3 * items
    return {"soft_time_limit": soft, "time_limit": soft + 60}


def _sync_copy(
    original: BlogPostPage, copy: BlogPostPage, *, force_publish: bool = False
) -> BlogPostPage:
    # Skipping unchanged copies keeps a re-run or a retry from adding revisions.
    if force_publish or _differs(original, copy):
        _copy_content(original, copy)
        copy.save_revision().publish()
    return copy


def _differs(original: BlogPostPage, copy: BlogPostPage) -> bool:
    if any(getattr(original, name) != getattr(copy, name) for name in SYNCED_FIELDS):
        return True
    for name in SYNCED_RELATIONS:
        ids = {item.pk for item in getattr(original, name).all()}
        if ids != {item.pk for item in getattr(copy, name).all()}:
            return True
    return {tag.pk for tag in original.tags.all()} != {tag.pk for tag in copy.tags.all()}


def _copy_content(original: BlogPostPage, copy: BlogPostPage) -> None:
    for name in SYNCED_FIELDS:
        setattr(copy, name, getattr(original, name))
    for name in SYNCED_RELATIONS:
        getattr(copy, name).set(list(getattr(original, name).all()))
    copy.tags.set(list(original.tags.all()))


def _free_slug(blog: BlogIndexPage, slug: str) -> str:
    taken = set(blog.get_children().filter(slug__startswith=slug).values_list("slug", flat=True))
    candidate, number = slug, 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate, number = f"{slug[: 255 - len(suffix)]}{suffix}", number + 1
    return candidate


def _enqueue_job(job: SyndicationJob) -> None:
    from blog.tasks import run_syndication_job as task  # blog.tasks imports this module

    task.apply_async(args=[job.pk], **_time_limits(job.total))


def _enqueue_sync(original_id: int, copies: int) -> None:
    from blog.tasks import sync_syndicated_copies as task  # blog.tasks imports this module

    task.apply_async(args=[original_id], **_time_limits(copies))
