"""Page routing for public requests in two queries, whatever the page's depth.

Wagtail routes `/blog/my-post/` by walking down from the home page: each level
costs a query for the child and another for its specific form, then the view
restriction check reads every ancestor and then the restrictions (eight queries for
a blog post). Here, with the site's home page and its view restrictions taken from
the cached site bundle (practices.settings_cache):

1. one query reads every page on the path at once (the slugs of the URL, under the
   home page, at the depths they can have);
2. one query reads the page found in its specific form (with whatever the page type
   asks to be joined: `route_select_related`).

The walk itself is Wagtail's: a page type that overrides `route()` is trusted with
the rest of the path (the normal, query-per-level routing takes over), a routable
page (RoutablePageMixin) claims the rest of the path when one of its routes matches
it, exactly as `RoutablePageMixin.route` does. The result is handed to Wagtail in
`request._wagtail_route_for_request`, which `Page.route_for_request` uses as is.

What the two queries find (the specific page and its parent, or "Wagtail decides") is
kept per practice and path like the page cache's entries (page_cache.fragments): it
stays valid exactly as long as a cached page of that practice would, since every
change that could alter it (publish, unpublish, move, delete, a joined image or
author) invalidates the practice. A warm page is then routed with no query at all;
each request still gets its own copy of the page. 404s are not kept. A page type may
compute, before it is kept, what every view of it reads from elsewhere
(`prepare_for_route_cache()`: a post's surroundings, an image's renditions): that is
kept with the page, under the same invalidation, and costs no cache read of its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import Resolver404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from agency_platform.core import private_apis
from agency_platform.core.page_cache import fragments
from practices.page_permissions import ListingPermissionsMixin

if TYPE_CHECKING:  # imported by page models: no model imports at runtime
    from practices.settings_cache import SiteBundle

_PLAIN = "plain"
_ROUTABLE = "routable"
_CUSTOM = "custom"
# What `_resolve` returns when Wagtail's own routing must decide.
_WAGTAIL_DECIDES = "wagtail-decides"


def _routing_kind(page_class: type) -> str:
    route = page_class.route
    if route is Page.route:
        return _PLAIN
    if route is RoutablePageMixin.route:
        return _ROUTABLE
    return _CUSTOM


def _claims(page_class: type, components: list[str]) -> bool:
    """Whether a routable page's own routes match the rest of the path."""
    try:
        page_class.get_resolver().resolve("/" + "/".join(components) + "/")
    except (Http404, Resolver404):
        return False
    return True


def _specific(page: Page) -> Page | None:
    model = page.specific_class
    if model is None:
        return None
    queryset = model._default_manager.filter(pk=page.pk)
    related = getattr(model, "route_select_related", ())
    if related:
        queryset = queryset.select_related(*related)
    return queryset.first()


def _worth_keeping(found) -> bool:
    """Not a 404 (any made-up URL would add an entry), and not a page whose blocks
    change by themselves at a known time (`kept_until`): the generation alone would
    keep it past that time."""
    if found is None or found == _WAGTAIL_DECIDES:
        return found is not None
    return getattr(found[0], "kept_until", None) is None


def _restrictions_for(page: Page, bundle: SiteBundle) -> list:
    return [r for path, r in bundle.view_restrictions if page.path.startswith(path)]


def route(request: HttpRequest, bundle: SiteBundle, path: str):
    """Wagtail's RouteResult for the path, None for a 404, or NotImplemented when
    Wagtail's own routing must decide (a page type with its own `route()`)."""
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return NotImplemented
    components = [component for component in path.split("/") if component]
    digest = hashlib.sha256("/".join(components).encode()).hexdigest()[:32]
    found = fragments.for_practice(
        request,
        f"route:{digest}",
        lambda: _resolve(bundle, components),
        keep=_worth_keeping,
    )
    if found is None:
        return None
    if found == _WAGTAIL_DECIDES:
        return NotImplemented
    page, remaining = found
    page._route_view_restrictions = _restrictions_for(page, bundle)
    try:
        return page.route(request, remaining)
    except Http404:
        return None


def _resolve(bundle: SiteBundle, components: list[str]):
    """(specific page, path components left for it), None for no page, or
    _WAGTAIL_DECIDES."""
    home = bundle.site.root_page
    rows = []
    if components:
        rows = list(
            Page.objects.filter(
                path__startswith=home.path,
                depth__gt=home.depth,
                depth__lte=home.depth + len(components),
                slug__in=set(components),
            )
        )
    current, remaining = home, []
    for position, slug in enumerate(components):
        page_class = current.specific_class
        kind = _routing_kind(page_class) if page_class else _CUSTOM
        if kind == _CUSTOM:
            return _WAGTAIL_DECIDES
        if kind == _ROUTABLE and current.live and _claims(page_class, components[position:]):
            remaining = components[position:]
            break
        child = next(
            (
                row
                for row in rows
                if row.depth == current.depth + 1
                and row.slug == slug
                and row.path.startswith(current.path)
            ),
            None,
        )
        if child is None:
            return None
        private_apis.set_parent(child, current)
        current = child
    if current.alias_of_id or any(row.alias_of_id for row in rows):
        # View restrictions of aliases are their originals': Wagtail resolves them.
        return _WAGTAIL_DECIDES
    page = _specific(current)
    if page is None:
        return None
    if private_apis.has_parent(current):
        private_apis.set_parent(page, current.get_parent())
    prepare = getattr(page, "prepare_for_route_cache", None)
    if prepare is not None and page.live:
        prepare()
    return page, remaining


# The bundle of the practice whose host is being served, for URL building where
# Wagtail passes no request (`page.url`, `page.full_url` in templates).
_current_bundle: ContextVar[SiteBundle | None] = ContextVar("practice_site_bundle", default=None)


@contextmanager
def serving(bundle: SiteBundle | None) -> Iterator[None]:
    """While a practice's request is handled, its bundle is the current one."""
    token = _current_bundle.set(bundle)
    try:
        yield
    finally:
        _current_bundle.reset(token)


class PracticePageMixin(ListingPermissionsMixin, private_apis.SiteRootPathsHook):
    """For every page type of a practice's tree: routing and URL building take what
    they need from the site bundle.

    - View restrictions: the check (Wagtail's before_serve_page hook) uses the
      restrictions found while routing instead of two queries.
    - Site root paths: Wagtail builds a page's URL by scanning the root paths of every
      site, twice per `{% pageurl %}` (`get_url_parts` filters them, `get_url` counts
      them): with 1,000 practices that is the largest cost of a page with many links,
      and it grows with the number of practices. A page of the practice being served
      can only belong to sites rooted above or below that practice's home, which the
      bundle lists (`SiteBundle.root_paths`), so Wagtail gets those instead: the same
      URL, at a cost independent of the number of practices.
    - Admin listings: page permissions answered without a query per row
      (practices/page_permissions.py).
    Anywhere else (admin, previews, tasks, another practice's page) routing and URL
    building are Wagtail's own.
    """

    def get_view_restrictions(self):
        cached = getattr(self, "_route_view_restrictions", None)
        if cached is not None:
            return cached
        return super().get_view_restrictions()

    def practice_site_root_paths(self, cache_object):
        bundle = getattr(cache_object, "site_bundle", None) or _current_bundle.get()
        if bundle is not None and bundle.root_paths and bundle.holds(self.url_path or ""):
            return bundle.root_paths
        return None
