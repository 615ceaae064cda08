"""What makes a practice's pages stale, among Wagtail's own models (core.freshness).

A page's publication changes its page, its listings, feeds, sitemap, home page,
neighbours, navigation and the practices holding aliases or copies of it: one bump
per practice is exact about which practices change. View restrictions (and the
groups of a restricted page) decide whether a page is served at all.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from agency_platform.core import freshness
from agency_platform.core.freshness import AGENCY, Stale

# Saves of a page that leave its live content as it was: Wagtail's bookkeeping of
# drafts, locks and workflows (a draft is not public).
_DRAFT_FIELDS = frozenset(
    {"draft_title", "latest_revision", "latest_revision_created_at", "has_unpublished_changes"}
    | {"locked", "locked_at", "locked_by"}
)


def _page_saved(instance, update_fields=None, **kwargs):
    if not isinstance(instance, Page) or not instance.live:
        return None
    if update_fields is not None and set(update_fields) <= _DRAFT_FIELDS:
        return None
    return freshness.for_page(instance)


def _page_moved(instance, parent_page_before, parent_page_after, **kwargs):
    parents = {parent_page_before.path, parent_page_after.path}
    return {**freshness.for_page(instance), **freshness.sites_holding(parents)}


def _row_deleted(instance, **kwargs):
    # Wagtail deletes a subtree (and each page's parent-table rows) in one go: every
    # row lands here; the bump is deduplicated per transaction.
    return freshness.sites_holding({instance.path}) if isinstance(instance, Page) else None


def _restriction_changed(instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:
        return None  # deleted with its page: the page's deletion says so
    return AGENCY if page.depth == 1 else freshness.for_page(page)


def _restricted_groups_changed(instance, pk_set=None, **kwargs):
    """Groups added to or removed from a restriction, from either side."""
    if isinstance(instance, PageViewRestriction):
        return _restriction_changed(instance)
    pages = PageViewRestriction.objects.filter(pk__in=pk_set or ()).values_list("page_id")
    targets: freshness.Targets = {}
    for page in Page.objects.filter(pk__in=pages):
        targets.update(freshness.for_page(page))
    return targets


def _restricted_group_row_deleted(instance, **kwargs):
    # A deleted group takes its rows of the restrictions' groups table with it.
    restriction = PageViewRestriction.objects.filter(pk=instance.pageviewrestriction_id).first()
    return _restriction_changed(restriction) if restriction else None


def _site_before_save(instance, **kwargs):
    if instance.pk:
        instance._fresh_old_hostname = (
            Site.objects.filter(pk=instance.pk).values_list("hostname", flat=True).first()
        )


def _site_changed(instance, **kwargs):
    """The site's hostnames (old and new), and the sites rooted above or below it,
    whose bundles list its root path (practices.settings_cache)."""
    practice_id = getattr(getattr(instance, "practice", None), "pk", None)
    targets = {instance.hostname: practice_id}
    old = getattr(instance, "_fresh_old_hostname", None)
    if old:
        targets[old] = practice_id
    root = Page.objects.filter(pk=instance.root_page_id).values_list("path", flat=True).first()
    if root:
        related = Site.objects.filter(root_page__path__startswith=root)
        targets.update(freshness.sites_holding({root}))
        targets.update(related.values_list("hostname", "practice__id"))
    return targets


def _redirect_changed(instance, **kwargs):
    # Redirects answer 404s only (never cached), but often replace a page being removed.
    # Any sender: the practices' redirects are a proxy model (signals name the proxy).
    if not isinstance(instance, Redirect):
        return None
    return AGENCY if instance.site_id is None else freshness.for_sites({instance.site_id})


RULES = [
    Stale(page_published, lambda instance, **kw: freshness.for_page(instance)),
    Stale(page_unpublished, lambda instance, **kw: freshness.for_page(instance)),
    Stale(post_save, _page_saved),
    Stale(post_page_move, _page_moved),
    Stale(post_delete, _row_deleted),
    Stale(post_save, _restriction_changed, PageViewRestriction),
    Stale(post_delete, _restriction_changed, PageViewRestriction),
    Stale(m2m_changed, _restricted_groups_changed, PageViewRestriction.groups.through),
    Stale(post_delete, _restricted_group_row_deleted, PageViewRestriction.groups.through),
    Stale(pre_save, _site_before_save, Site),
    Stale(post_save, _site_changed, Site),
    Stale(post_delete, _site_changed, Site),
    Stale(post_save, _redirect_changed),
    Stale(post_delete, _redirect_changed),
]
