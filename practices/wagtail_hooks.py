"""Wagtail admin integration for practices: isolation hooks and agency screens."""

from __future__ import annotations

from wagtail import hooks

from practices import testimonials_admin  # noqa: F401 - the Testimonials snippet
from practices.isolation import is_agency_staff, page_queryset_in_scope
from practices.media_tenancy import serve_documents_on_their_practice_only
from practices.page_permissions import annotate_subtree_live

hooks.register("before_serve_document", serve_documents_on_their_practice_only)

AGENCY_ONLY_REPORTS = {"locked-pages", "workflows", "workflow-tasks", "page-types-usage"}


@hooks.register("construct_page_chooser_queryset")
def limit_page_chooser_to_own_practice(pages, request):
    # The chooser's status column reads each row's workflow state and approved
    # schedule: prefetched here as the explorer does, not one query per row.
    pages = pages.prefetch_workflow_states().annotate_approved_schedule()
    return page_queryset_in_scope(pages, request.user)


@hooks.register("construct_explorer_page_queryset")
def explorer_rows_know_their_live_subtree(parent_page, pages, request):
    # The Delete and Move buttons of each row read it (practices/page_permissions.py).
    return annotate_subtree_live(pages)


@hooks.register("construct_document_chooser_queryset")
def document_chooser_rows_with_their_collection(documents, request):
    # The chooser's Collection column reads each row's collection.
    return documents.select_related("collection")


@hooks.register("construct_reports_menu")
def hide_cross_practice_reports(request, menu_items):
    if not is_agency_staff(request.user):
        menu_items[:] = [item for item in menu_items if item.name not in AGENCY_ONLY_REPORTS]


@hooks.register("register_admin_viewset")
def register_practice_viewset():
    from practices.viewsets import PracticeViewSet

    return PracticeViewSet("practices")


@hooks.register("register_admin_viewset")
def register_practice_redirects_viewset():
    from practices.redirects import PracticeRedirectViewSet

    return PracticeRedirectViewSet("practice_redirects")


@hooks.register("construct_main_menu")
def hide_wagtail_global_redirects(request, menu_items):
    # Wagtail's own Redirects screen lists every site's redirects; everyone uses the
    # practice-scoped one above (agency staff see all redirects there too).
    menu_items[:] = [item for item in menu_items if item.name != "redirects"]


@hooks.register("construct_homepage_panels")
def constant_cost_homepage_panels(request, panels):
    from practices.admin_panels import replace_homepage_panels

    replace_homepage_panels(request, panels)
