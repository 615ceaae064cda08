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
from django.db import OperationalError, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from wagtail.models import Page

from agency_platform.core import freshness
from agency_platform.core.tasks_backend import batched
from blog import selectors
from blog.models import Audience, BlogIndexPage, BlogPostPage
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
    "audience",
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


FOR_PRACTICE_OWNERS = (
    "This post is written for practice owners: it stays on the agency's site and is "
    "never syndicated to practice blogs."
)
AUDIENCE_NOT_SET = (
    "Set this post's audience to “Patients” first: only patient-education posts are "
    "syndicated to practice blogs."
)


def syndication_refusal(post: BlogPostPage, *, resync: bool = False) -> str:
    """Why this library post may not go to practice blogs ('' if it may). Marketing
    posts never do; a post without an audience is not offered until marked for
    patients, but copies made before audiences existed still follow their original."""
    if post.audience == Audience.PRACTICE_OWNERS:
        return FOR_PRACTICE_OWNERS
    if post.audience != Audience.PATIENTS and not resync:
        return AUDIENCE_NOT_SET
    return ""


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


@transaction.atomic
def syndicate_to_practice(original: BlogPostPage, practice: Practice) -> BlogPostPage:
    """Create and publish the practice's copy of `original`, or sync the one it has
    (republishing it if the practice had unpublished it: the agency asked again)."""
    refusal = syndication_refusal(original)
    if refusal:
        raise SyndicationError(refusal)
    blog = blog_index_for(practice)
    # Serialises concurrent runs for this blog, so two never both create a copy.
    Page.objects.select_for_update().filter(pk=blog.pk).first()
    copy = BlogPostPage.objects.child_of(blog).filter(syndicated_from=original).first()
    if copy is not None:
        return sync_copy(original, copy, force_publish=not copy.live)
    copy = BlogPostPage(
        slug=_free_slug(blog, original.slug), date=timezone.now(), syndicated_from=original
    )
    _copy_content(original, copy)
    _save_and_publish(copy, add_to=blog)
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


def sync_copy(
    original: BlogPostPage, copy: BlogPostPage, *, force_publish: bool = False
) -> BlogPostPage:
    refusal = syndication_refusal(original, resync=True)
    if refusal:
        raise SyndicationError(refusal)
    # Skipping unchanged copies keeps a re-run or a retry from adding revisions.
    if force_publish or _differs(original, copy):
        _copy_content(original, copy)
        _save_and_publish(copy)
    return copy


def _save_and_publish(copy: BlogPostPage, *, add_to: BlogIndexPage | None = None) -> None:
    """A copy is saved up to three times (add_child, revision, publish) and Wagtail
    indexes it on each save: batched, the search and reference index are written once,
    from the final row, in the copy's transaction. The revision skips a second
    full_clean: add_child (or the first save of this copy) has validated the same
    content, taken from an original that was itself validated on publish."""
    with transaction.atomic(), batched():
        if add_to is not None:
            add_to.add_child(instance=copy)
            copy.save_revision(clean=False).publish()
        else:
            copy.save_revision().publish()


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
