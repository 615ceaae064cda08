"""The one door to private Wagtail and Django APIs.

Every use of an attribute or method that Wagtail or Django do not document goes
through here, so that an upgrade that renames or drops one breaks in one place, and
`tests/core/test_private_api_contracts.py` fails first: it checks each contract
below against the installed versions (behaviour where it is cheap, signatures
otherwise). Each function names what it relies on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest

# Wagtail's Page.route_for_request() returns this request attribute when set.
_ROUTE_ATTR = "_wagtail_route_for_request"
# Site.find_for_request() returns this request attribute when set.
_SITE_ATTR = "_wagtail_site"
# Site.get_site_root_paths(cache_object=request) memoises on this request attribute.
_ROOT_PATHS_ATTR = "_wagtail_cached_site_root_paths"
# Page.get_parent() returns this instance attribute when set (treebeard's MP_Node).
_PARENT_ATTR = "_cached_parent_obj"


def has_route(request: HttpRequest) -> bool:
    return hasattr(request, _ROUTE_ATTR)


def set_route(request: HttpRequest, route: Any) -> None:
    """What Page.route_for_request() will return (a RouteResult, or None for a 404)."""
    setattr(request, _ROUTE_ATTR, route)


def set_site(request: HttpRequest, site: Any) -> None:
    """What Site.find_for_request() will return, without a query."""
    setattr(request, _SITE_ATTR, site)


def set_site_root_paths(request: HttpRequest, root_paths: tuple) -> None:
    """The SiteRootPaths that URL building with this request will use."""
    setattr(request, _ROOT_PATHS_ATTR, root_paths)


def set_parent(page: Any, parent: Any) -> None:
    """What page.get_parent() will return, without a query."""
    setattr(page, _PARENT_ATTR, parent)


def has_parent(page: Any) -> bool:
    return hasattr(page, _PARENT_ATTR)


def forget_parent(page: Any) -> None:
    page.__dict__.pop(_PARENT_ATTR, None)


def bind_setting(instance: Any, request: HttpRequest) -> None:
    """As BaseSiteSetting.for_request() does: the instance resolves page URLs for it
    and is found on the request under its cache attribute name."""
    instance._request = request
    setattr(request, instance.get_cache_attr_name(), instance)


class SiteRootPathsHook:
    """Mixed into page types: Wagtail asks `_get_site_root_paths()` (private) for the
    root paths that URL building scans; `practice_site_root_paths()` may answer."""

    def practice_site_root_paths(self, cache_object: Any):  # pragma: no cover - overridden
        return None

    def _get_site_root_paths(self, cache_object=None, **kwargs):
        found = self.practice_site_root_paths(cache_object)
        if found is not None:
            return found
        # Without a cache object Wagtail keeps the list on the page itself, so a listing
        # that builds each row's URL without the request (the admin explorer) reads and
        # unpickles every site's root path once per row: a row cost that grows with the
        # number of practices. The request's scope keeps it once per request instead.
        return super()._get_site_root_paths(cache_object or _request_scope.get(), **kwargs)


class _RequestScope:
    """What Wagtail caches for one request when it is handed no request."""


_request_scope: ContextVar[_RequestScope | None] = ContextVar("request_scope", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    """Wagtail's per-request caches (site root paths) for code that has no request."""
    token = _request_scope.set(_RequestScope())
    try:
        yield
    finally:
        _request_scope.reset(token)


def prefetched_renditions(image: Any):
    """The renditions prefetched with an image (prefetch_related), or None."""
    return image._get_prefetched_renditions()


def redis_pool(cache_client: Any, write: bool):
    """The connection pool Django's RedisCacheClient picked for this operation."""
    return cache_client._get_connection_pool(write)


def redis_client_class(cache_client: Any):
    """The redis.Redis class Django's RedisCacheClient builds its clients with."""
    return cache_client._client


def set_redis_cache_client_class(cache: Any, client_class: type) -> None:
    """The RedisCacheClient class Django's RedisCache instantiates."""
    cache._class = client_class


def page_permission_actions(tester: Any) -> set[str]:
    """The actions ('add', 'change', 'publish', 'bulk_delete', ...) a
    PagePermissionTester found the (active, non-superuser) user granted on its page."""
    return tester.permissions
