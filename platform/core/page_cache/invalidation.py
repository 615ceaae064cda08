"""Which cached pages a change makes stale, and the signal receivers that say so.

Granularity is the practice (its canonical hostname): a post's publication changes its
page, the blog index and its pagination, tag/author/archive routes, feeds, the sitemap,
the home page's latest posts, neighbours' previous/next links and related posts, and a
team member appears on the team index and the member's posts. Tracking each of those
dependencies per URL would be fragile; one generation bump per practice is exact about
*which practices* change and costs one re-render per page visited afterwards.

- page published / unpublished / deleted / moved: the practice(s) containing the page,
  those holding Wagtail aliases of it, and those holding syndicated copies of it;
- Practice saved (status, name...), its Site (hostname change: old and new), its
  alias hostnames, PracticeSettings and BrandSettings (theme), redirects, blog authors
  (a shared author, or a post type or product, bumps every practice).

Each bump happens at once (this process's next requests) and again after commit (a
request that rendered the old data meanwhile stored it under the bumped generation);
the CDN purge task is enqueued after commit, once per transaction.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from agency_platform.core.page_cache import keys
from agency_platform.core.page_cache.middleware import surrogate_keys

logger = logging.getLogger(__name__)
Targets = dict[str, int | None]  # canonical hostname -> practice id


def _ancestor_paths(paths: set[str]) -> set[str]:
    step = Page.steplen
    return {path[:end] for path in paths for end in range(step, len(path) + 1, step)}


def targets_for_page_paths(paths: set[str]) -> Targets:
    """The sites whose tree contains any of these page paths."""
    if not paths:
        return {}
    sites = Site.objects.filter(root_page__path__in=_ancestor_paths(paths))
    return dict(sites.values_list("hostname", "practice__id"))


def targets_for_page(page: Page) -> Targets:
    paths = {page.path}
    paths.update(Page.objects.filter(alias_of_id=page.pk).values_list("path", flat=True))
    from blog.models import BlogPostPage

    if isinstance(page, BlogPostPage) or page.specific_class is BlogPostPage:
        copies = BlogPostPage.objects.filter(syndicated_from_id=page.pk)
        paths.update(copies.values_list("path", flat=True))
    return targets_for_page_paths(paths)


def targets_for_site_ids(site_ids: set[int]) -> Targets:
    return dict(Site.objects.filter(pk__in=site_ids).values_list("hostname", "practice__id"))


def all_targets() -> Targets:
    return dict(Site.objects.values_list("hostname", "practice__id"))


# --- Bumping, deduplicated per transaction ---------------------------------------------


@dataclass
class _Pending:
    targets: Targets = field(default_factory=dict)

    def flush(self) -> None:
        _local.__dict__.pop("pending", None)
        apply(self.targets)


_local = threading.local()


def invalidate(targets: Targets) -> None:
    """Make these hosts' cached pages stale now and after commit; purge the CDN."""
    if not targets:
        return
    keys.bump_generations(set(targets))
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _enqueue_purge(targets)
        return
    pending = getattr(_local, "pending", None)
    registered = pending is not None and any(
        entry[1] == pending.flush for entry in connection.run_on_commit
    )
    if not registered:
        pending = _Pending()
        _local.pending = pending
        transaction.on_commit(pending.flush)
    pending.targets.update(targets)


def apply(targets: Targets) -> None:
    keys.bump_generations(set(targets))
    _enqueue_purge(targets)


def _enqueue_purge(targets: Targets) -> None:
    if not targets or not settings.CDN_PURGE_URL:
        return
    from agency_platform.core.tasks import purge_cdn

    purge_keys = sorted({k for host, pid in targets.items() for k in surrogate_keys(pid, host)})
    try:
        purge_cdn.delay(purge_keys, sorted(targets))
    except Exception:  # the broker is down: the CDN keeps pages until s-maxage
        logger.exception("CDN purge could not be enqueued: keys=%s", purge_keys)


def invalidate_page(page: Page) -> None:
    """For writes that change a live page without publishing it (queryset updates,
    e.g. blog.services.syndication.detach): its practice(s) become stale."""
    invalidate(targets_for_page(page))


# --- Receivers -------------------------------------------------------------------------


@receiver(page_published)
@receiver(page_unpublished)
def _page_changed(sender, instance: Page, **kwargs) -> None:
    invalidate(targets_for_page(instance))


@receiver(post_page_move)
def _page_moved(sender, instance: Page, parent_page_before, parent_page_after, **kwargs) -> None:
    paths = {parent_page_before.path, parent_page_after.path}
    invalidate({**targets_for_page(instance), **targets_for_page_paths(paths)})


@receiver(post_delete)
def _row_deleted(sender, instance, **kwargs) -> None:
    # Wagtail deletes a page's subtree (and each page's parent-table rows) in one
    # go: every row lands here, and the per-transaction deduplication merges them.
    if isinstance(instance, Page):
        invalidate(targets_for_page_paths({instance.path}))


def _site_ids_changed(sender, instance, **kwargs) -> None:
    invalidate(targets_for_site_ids({instance.site_id}))


def _connect_models() -> None:
    from blog.models import Author, PostType, Product
    from practices.models import BrandSettings, Practice, PracticeHostname, PracticeSettings

    for model in (Practice, PracticeSettings, BrandSettings):
        post_save.connect(_site_ids_changed, sender=model, weak=False)
        post_delete.connect(_site_ids_changed, sender=model, weak=False)
    for model in (PostType, Product):
        post_save.connect(_everything_changed, sender=model, weak=False)
        post_delete.connect(_everything_changed, sender=model, weak=False)
    post_save.connect(_author_changed, sender=Author, weak=False)
    post_delete.connect(_author_changed, sender=Author, weak=False)
    post_save.connect(_alias_hostname_changed, sender=PracticeHostname, weak=False)
    post_delete.connect(_alias_hostname_changed, sender=PracticeHostname, weak=False)
    for model in (get_image_model(), get_document_model()):
        post_save.connect(_media_changed, sender=model, weak=False)
        post_delete.connect(_media_changed, sender=model, weak=False)


# Saves that only record background state (rendition status) change no page. The file
# hash is part of every rendition's cache key, so image objects kept between views
# (routing, a post's surroundings) must not outlive a new hash: Wagtail computes a
# missing one on first use and saves it alone, once per image.
_MEDIA_FIELDS_SHOWN = frozenset(
    {"file", "file_hash", "title", "description", "collection", "focal_point_x"}
    | {"focal_point_y", "focal_point_width", "focal_point_height"}
)


def _media_changed(sender, instance, created: bool = False, update_fields=None, **kwargs) -> None:
    """A replaced image (new rendition URLs), changed alt text or a deleted file: the
    pages of the practice owning it. A new upload is not shown anywhere yet."""
    if created or (update_fields is not None and not _MEDIA_FIELDS_SHOWN & set(update_fields)):
        return
    from agency_platform.media.selectors import practice_id_for_collection
    from practices.models import Practice

    practice_id = practice_id_for_collection(instance.collection)
    if practice_id is None:  # the agency library's files may appear on any practice
        invalidate(all_targets())
        return
    site_ids = Practice.objects.filter(pk=practice_id).values_list("site_id", flat=True)
    invalidate(targets_for_site_ids(set(site_ids)))


def _everything_changed(sender, **kwargs) -> None:
    invalidate(all_targets())


def _author_changed(sender, instance, **kwargs) -> None:
    if instance.practice_id is None:  # a shared agency author: shown by every practice
        invalidate(all_targets())
        return
    from practices.models import Practice

    site_id = Practice.objects.filter(pk=instance.practice_id).values_list("site_id", flat=True)
    invalidate(targets_for_site_ids(set(site_id)))


def _alias_hostname_changed(sender, instance, **kwargs) -> None:
    from practices.models import Practice

    site_ids = Practice.objects.filter(pk=instance.practice_id).values_list("site_id", flat=True)
    invalidate(
        {instance.hostname.lower(): instance.practice_id, **targets_for_site_ids(set(site_ids))}
    )


@receiver(pre_save, sender=Site)
def _site_before_save(sender, instance: Site, **kwargs) -> None:
    if instance.pk:
        instance._page_cache_old_hostname = (
            Site.objects.filter(pk=instance.pk).values_list("hostname", flat=True).first()
        )


@receiver([post_save, post_delete], sender=Site)
def _site_changed(sender, instance: Site, **kwargs) -> None:
    practice_id = getattr(getattr(instance, "practice", None), "pk", None)
    targets: Targets = {instance.hostname: practice_id}
    old = getattr(instance, "_page_cache_old_hostname", None)
    if old and old != instance.hostname:
        targets[old] = practice_id
    invalidate(targets)


@receiver([post_save, post_delete])
def _redirect_changed(sender, instance, **kwargs) -> None:
    # Redirects answer 404s only (never cached), but a redirect often replaces a page
    # that is being removed: keep the practice's pages consistent with it.
    if not isinstance(instance, Redirect):
        return
    invalidate(
        all_targets() if instance.site_id is None else targets_for_site_ids({instance.site_id})
    )


_connect_models()
