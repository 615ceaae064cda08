"""Wagtail's page chooser (browse and search steps) without a query per row.

The title cell of each row writes `data-parent-id="{{ page.get_parent.id }}"` (and the
search step has a Parent column), and `get_parent()` reads the parent from the
database for every row: one query per practice on the chooser's root (each
practice's home is a row), one per post on a blog's, up to the page of 25 rows. Here
the title column, the first cell drawn in each row, reads the parents of every row of
the table in one query and hands each row its own (treebeard's parent cache, through
agency_platform.core.private_apis). The views are Wagtail's BrowseView and SearchView
with that column, served at Wagtail's URLs and names (platform/urls.py puts them
before Wagtail's admin URLs, as the tag autocomplete is).
Upstream: Wagtail could load the rows' parents itself; no issue asks for it yet (the
nearest: wagtail/wagtail#11625, the parent cache while routing, closed, and #12226, a
closed PR on page listings' N+1 queries).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.chooser import BrowseView, PageTitleColumn, SearchView
from wagtail.models import Page

from agency_platform.core import private_apis

STEPLEN = Page.steplen


def give_rows_their_parents(pages: Iterable[Page]) -> None:
    """Each page's parent, read for all of them in one query."""
    orphans = [p for p in pages if p.depth > 1 and not private_apis.has_parent(p)]
    if not orphans:
        return
    parents = {
        parent.path: parent
        for parent in Page.objects.filter(path__in={p.path[:-STEPLEN] for p in orphans})
    }
    for page in orphans:
        parent = parents.get(page.path[:-STEPLEN])
        if parent is not None:
            private_apis.set_parent(page, parent)


class RowsWithParentsTitleColumn(PageTitleColumn):
    def get_cell_context_data(self, instance, parent_context):
        table = parent_context.get("table")
        if not private_apis.has_parent(instance) and table is not None:
            give_rows_their_parents(table.data)
        return super().get_cell_context_data(instance, parent_context)


class RowsWithParentsMixin:
    @property
    def columns(self):
        title = RowsWithParentsTitleColumn(
            "title", label=_("Title"), is_multiple_choice=self.is_multiple_choice
        )
        return [title if type(col) is PageTitleColumn else col for col in super().columns]


class PracticeBrowseView(RowsWithParentsMixin, BrowseView):
    pass


class PracticeSearchView(RowsWithParentsMixin, SearchView):
    pass


# As Wagtail decorates its admin URLs.
browse = never_cache(require_admin_access(PracticeBrowseView.as_view()))
search = never_cache(require_admin_access(PracticeSearchView.as_view()))
