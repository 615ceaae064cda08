"""Admin isolation: a practice's editors reach only their own practice's objects.

Wagtail's permissions already scope the explorer, edit views, image/document
listings and choosers, form submissions and settings. What they leave open (see
README "Isolation") is closed here, deny-by-default on object ids in admin URLs:
any admin URL naming a page, image or document outside the user's practices is
refused with 403, whatever view serves it (chooser browse, move/copy confirm,
revision compare, preview, bulk actions, workflow screens, the admin API).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.permission_policies.base import BasePermissionPolicy

from practices.models import Practice
from practices.services.permissions import AGENCY_STAFF_GROUP

PAGE_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk")
PAGE_PK_NAMESPACES = ("wagtailadmin_pages", "wagtailadmin_api:pages", "wagtailforms")
IMAGE_NAMESPACES = ("wagtailimages", "wagtailimages_chooser")
DOCUMENT_NAMESPACES = ("wagtaildocs", "wagtaildocs_chooser")
# Screens whose filters or rows cover every practice (users, page-type counts, other
# practices' titles); only agency staff may open them.
AGENCY_ONLY_VIEWS = {
    "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:locked_pages",
    "wagtailadmin_reports:locked_pages_results",
    "wagtailadmin_reports:workflow",
    "wagtailadmin_reports:workflow_results",
    "wagtailadmin_reports:workflow_tasks",
    "wagtailadmin_reports:workflow_tasks_results",
    # The same reports, served by practices.workflow_reports at Wagtail's URLs.
    "practice_workflows",
    "practice_workflows_results",
    "practice_workflow_tasks",
    "practice_workflow_tasks_results",
    "wagtailadmin_api:images:listing",
    "wagtailadmin_api:images:detail",
    "wagtailadmin_api:images:find",
    "wagtailadmin_api:documents:listing",
    "wagtailadmin_api:documents:detail",
    "wagtailadmin_api:documents:find",
}


def is_agency_staff(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_agency_staff", None)
    if cached is None:
        cached = user.groups.filter(name=AGENCY_STAFF_GROUP).exists()
        user._is_agency_staff = cached
    return cached


@dataclass(frozen=True)
class PracticeScope:
    """The page-tree and collection paths a practice user may touch."""

    practice_ids: frozenset[int]
    page_paths: tuple[str, ...]
    collection_paths: tuple[str, ...]

    def has_page_path(self, path: str) -> bool:
        return path.startswith(self.page_paths) if self.page_paths else False

    def is_page_ancestor(self, path: str) -> bool:
        return any(home.startswith(path) for home in self.page_paths)

    def has_collection_path(self, path: str) -> bool:
        return path.startswith(self.collection_paths) if self.collection_paths else False


def scope_for_user(user) -> PracticeScope:
    cached = getattr(user, "_practice_scope", None)
    if cached is not None:
        return cached
    group_ids = list(user.groups.values_list("pk", flat=True))
    rows = (
        Practice.objects.filter(editors_group_id__in=group_ids)
        | Practice.objects.filter(moderators_group_id__in=group_ids)
    ).values_list("pk", "site__root_page__path", "collection__path")
    scope = PracticeScope(
        practice_ids=frozenset(row[0] for row in rows),
        page_paths=tuple(row[1] for row in rows),
        collection_paths=tuple(row[2] for row in rows),
    )
    user._practice_scope = scope
    return scope


def _ids(values: Iterable[object]) -> list[int]:
    ids = []
    for value in values:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            continue
    return ids


def _pages_allowed(scope: PracticeScope, ids: list[int], *, allow_ancestors: bool = False) -> bool:
    for path in Page.objects.filter(pk__in=ids).values_list("path", flat=True):
        if scope.has_page_path(path):
            continue
        if allow_ancestors and scope.is_page_ancestor(path):
            continue
        return False
    return True


def _collection_members_allowed(scope: PracticeScope, model, ids: list[int]) -> bool:
    paths = model.objects.filter(pk__in=ids).values_list("collection__path", flat=True)
    return all(scope.has_collection_path(path) for path in paths)


def _bulk_action_allowed(scope: PracticeScope, request: HttpRequest, kwargs: dict) -> bool:
    ids = _ids(request.GET.getlist("id"))
    model_key = (kwargs.get("app_label"), kwargs.get("model_name"))
    if model_key == ("wagtailcore", "page"):
        return _pages_allowed(scope, ids)
    for model in (get_image_model(), get_document_model()):
        if model_key == (model._meta.app_label, model._meta.model_name):
            return _collection_members_allowed(scope, model, ids)
    return True


def check_admin_access(request: HttpRequest, namespace: str, url_name: str, kwargs: dict) -> None:
    """Raise PermissionDenied when this admin URL names an object of another practice."""
    user = request.user
    view = f"{namespace}:{url_name}" if namespace else url_name
    if not user.is_authenticated or is_agency_staff(user):
        return
    if view in AGENCY_ONLY_VIEWS:
        raise PermissionDenied("Only agency staff can open this screen.")
    scope = scope_for_user(user)
    page_ids = _ids(kwargs[name] for name in PAGE_KWARGS if name in kwargs)
    if namespace in PAGE_PK_NAMESPACES and "pk" in kwargs:
        page_ids += _ids([kwargs["pk"]])
    if view == "wagtailadmin_choose_page_chosen_multiple":
        page_ids += _ids(request.GET.getlist("id"))
    # The explorer may be opened on an ancestor (the tree root): Wagtail then
    # redirects to the user's own root.
    explorer = view in ("wagtailadmin_explore", "wagtailadmin_explore_results")
    if page_ids and not _pages_allowed(scope, page_ids, allow_ancestors=explorer):
        raise PermissionDenied("This page belongs to another practice.")
    for namespaces, model, kwarg_names, label in (
        (IMAGE_NAMESPACES, get_image_model(), ("image_id", "pk"), "image"),
        (DOCUMENT_NAMESPACES, get_document_model(), ("document_id", "doc_id", "pk"), "document"),
    ):
        if namespace not in namespaces:
            continue
        ids = _ids(kwargs.get(name) for name in kwarg_names)
        if url_name == "chosen_multiple":
            ids += _ids(request.GET.getlist("id"))
        if ids and not _collection_members_allowed(scope, model, ids):
            raise PermissionDenied(f"This {label} belongs to another practice.")
    if view == "wagtail_bulk_action" and not _bulk_action_allowed(scope, request, kwargs):
        raise PermissionDenied("The selection includes another practice's objects.")


class PracticeAdminIsolationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        match = request.resolver_match
        if match is None or not request.path_info.startswith("/admin/"):
            return None
        check_admin_access(request, match.namespace, match.url_name or "", view_kwargs)
        return None


def page_queryset_in_scope(pages, user):
    """Restrict a page queryset to the user's practice trees (agency staff: all)."""
    if is_agency_staff(user):
        return pages
    scope = scope_for_user(user)
    if not scope.page_paths:
        return pages.none()
    from django.db.models import Q

    condition = Q()
    for path in scope.page_paths:
        condition |= Q(path__startswith=path)
    return pages.filter(condition)


class PracticeScopedPolicy(BasePermissionPolicy):
    """Permission policy for objects that belong to practices: agency staff and the
    members of any practice hold the model-level `actions`; which rows they may act on
    is `scoped_queryset(user, actions)`, a subclass's one rule."""

    actions: frozenset[str] = frozenset({"add", "change", "delete", "view"})

    def scoped_queryset(self, user, actions: set[str]) -> QuerySet:
        raise NotImplementedError

    def _is_member(self, user) -> bool:
        if not (user.is_authenticated and user.is_active):
            return False
        return is_agency_staff(user) or bool(scope_for_user(user).practice_ids)

    def user_has_permission(self, user, action: str) -> bool:
        return action in self.actions and self._is_member(user)

    def user_has_permission_for_instance(self, user, action: str, instance) -> bool:
        if not self.user_has_permission(user, action):
            return False
        if is_agency_staff(user):
            return True
        return self.scoped_queryset(user, {action}).filter(pk=instance.pk).exists()

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        wanted = {action for action in actions if self.user_has_permission(user, action)}
        if not wanted:
            return self.model._default_manager.none()
        return self.scoped_queryset(user, wanted)

    def users_with_any_permission(self, actions) -> QuerySet:
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(is_active=True)
