"""Page permission answers for admin listings without one query per row.

Wagtail's explorer and page search show, on every row, Delete and Move buttons whose
`PagePermissionTester.can_delete()` asks the database, for a user without publish
permission (a practice editor), whether the page or any page under it is live: one
`EXISTS` per button per row (61 of the 100 queries of a blog's explorer with 30
posts). The answer is known without that query:

- a leaf page (`numchild == 0`, the test Wagtail itself uses for bulk deletion) is
  its own whole subtree: the subtree is live exactly when the page is;
- for a page with children, the explorer's queryset is annotated
  (`annotate_subtree_live`, through the `construct_explorer_page_queryset` hook) with
  one `EXISTS` per row evaluated inside the listing's own query: a range on the
  unique path index (`Index Scan using wagtailcore_page_path_key ... Index Cond: path
  >= outer.path AND path < outer.path || '~'`, stopping at the first live page).

Anything else (a page with children outside an annotated listing) asks Wagtail's
question as before. The rules are Wagtail's (`PagePermissionTester.can_delete`), only
the way the subtree is read differs; tests/admin/test_page_permissions.py checks
both against Wagtail's answers. Wagtail lets page types override
`permissions_for_user()`; every practice page type does, through PracticePageMixin.
"""

from __future__ import annotations

from django.db.models import BooleanField, Case, Exists, F, OuterRef, QuerySet, Value, When
from django.db.models.functions import Concat
from wagtail.models import Page, PagePermissionTester

from agency_platform.core import private_apis

SUBTREE_LIVE = "subtree_has_live_page"
# Above every character of treebeard's path alphabet (0-9A-Z) in the C collation of
# `wagtailcore_page.path`: the descendants of P are the paths in [P, P + "~").
_PATH_END = "~"


def annotate_subtree_live(pages: QuerySet) -> QuerySet:
    """Each page carries whether it or a page under it is live (a range scan on the
    path index for pages with children; the page's own `live` for a leaf)."""
    live_below = Page.objects.filter(
        path__gte=OuterRef("path"),
        path__lt=Concat(OuterRef("path"), Value(_PATH_END)),
        live=True,
    )
    return pages.annotate(
        **{
            SUBTREE_LIVE: Case(
                When(numchild=0, then=F("live")),
                default=Exists(live_below),
                output_field=BooleanField(),
            )
        }
    )


def subtree_has_live_page(page: Page) -> bool | None:
    """Whether the page or a descendant is live, when known without a query."""
    if page.numchild == 0:
        return page.live
    return getattr(page, SUBTREE_LIVE, None)


class ListingPagePermissionTester(PagePermissionTester):
    def can_delete(self, ignore_bulk: bool = False) -> bool:
        live = subtree_has_live_page(self.page)
        if live is None or not self.user.is_active or self.user.is_superuser:
            return super().can_delete(ignore_bulk=ignore_bulk)
        if self.page_is_root:
            return False
        actions = private_apis.page_permission_actions(self)
        if "bulk_delete" not in actions and not self.page.is_leaf() and not ignore_bulk:
            return False
        if "change" in actions:
            return "publish" in actions or not live
        if "add" in actions and self.page.is_leaf():
            # The subtree is the page itself: it must be the user's (and, without
            # publish permission, not live).
            mine = self.page.owner_id == self.user.pk
            return mine if "publish" in actions else mine and not self.page.live
        if "add" in actions:
            return super().can_delete(ignore_bulk=ignore_bulk)  # asks about owners
        return False


class ListingPermissionsMixin:
    """Mixed into every page type (PracticePageMixin): Wagtail asks the page for its
    permission tester (`Page.permissions_for_user`, overridable by page types)."""

    def permissions_for_user(self, user) -> PagePermissionTester:
        return ListingPagePermissionTester(user, self)
