"""Wagtail's page chooser (browse step) without a query per row.

The title cell of each row writes `data-parent-id="{{ page.get_parent.id }}"`, and
`get_parent()` reads the parent from the database for every row: one query per
practice on the chooser's root (each practice's home is a row) and one per post on a
blog's, up to the page of 25 rows. Every row of the browse step is a child of the
page being browsed, which the view has already loaded: it is handed to each row
before its cell is drawn (treebeard's parent cache, agency_platform.core.private_apis).
The view is Wagtail's own BrowseView, served at Wagtail's URLs and names
(platform/urls.py puts it before Wagtail's admin URLs, as the tag autocomplete is).
Upstream: Wagtail could hand the browsed page to its rows itself; no issue asks for it
yet (the nearest: wagtail/wagtail#11625, the parent cache while routing, closed, and
#12226, a closed PR on page listings' N+1 queries). The chooser's search step (a parent column over
rows of any parent) still reads each row's parent: it is not one of the pages measured.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.chooser import BrowseView, PageTitleColumn

from agency_platform.core import private_apis


class ChildTitleColumn(PageTitleColumn):
    """The title cell of a row whose parent is known: the browsed page."""

    def __init__(self, *args, parent_page, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_page = parent_page

    def get_cell_context_data(self, instance, parent_context):
        if instance is not self.parent_page and not private_apis.has_parent(instance):
            private_apis.set_parent(instance, self.parent_page)
        return super().get_cell_context_data(instance, parent_context)


class PracticeBrowseView(BrowseView):
    @property
    def columns(self):
        title = ChildTitleColumn(
            "title",
            label=_("Title"),
            is_multiple_choice=self.is_multiple_choice,
            parent_page=self.parent_page,
        )
        return [title if type(col) is PageTitleColumn else col for col in super().columns]


browse = require_admin_access(PracticeBrowseView.as_view())
