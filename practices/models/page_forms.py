"""An admin page form whose page choices stay inside the edited page's practice.

A plain `FieldPanel` on a many-to-many to a page type lists every practice's pages of
that type: the editor of practice A would see (and could pick) practice B's members
or posts. The form narrows each listed field's choices to the practice's own tree, so
a crafted POST naming another practice's page is refused like any invalid choice,
with the field's name on the error.
"""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

# Practice home pages sit directly under the tree root (provisioning), so a practice's
# tree is every page whose path starts with the first two steps of this page's path.
HOME_DEPTH = 2


def practice_home_path(path: str) -> str:
    return path[: Page.steplen * HOME_DEPTH]


class PracticeScopedPageForm(WagtailAdminPageForm):
    """Subclasses (or the page type's `practice_scoped_fields`) name the fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page = self.instance
        path = page.path if page.pk else getattr(self.parent_page, "path", "")
        home_path = practice_home_path(path or "")
        for name in getattr(type(page), "practice_scoped_fields", ()):
            field = self.fields.get(name)
            if field is None:
                continue
            # An empty path (no parent known) offers nothing rather than everything.
            queryset = field.queryset.filter(path__startswith=home_path) if home_path else None
            field.queryset = (
                queryset.order_by("path") if queryset is not None else field.queryset.none()
            )
