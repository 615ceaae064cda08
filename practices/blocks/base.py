"""What every page-builder block shares: where it is rendered, and what it keeps.

A block that reads anything beyond its own value (chosen pages, images, members,
posts, settings) does it in `load(value, context)`, which returns the plain data its
template shows (model instances with what they need joined, strings, lists). A page
computes every block's data once, in `prepare_for_route_cache()`, and the data is
kept with the routed page (practices.routing), under the practice's invalidation:
a warm view reads nothing, a cold one costs a fixed number of queries per block.
Templates therefore render from `data`, never from the raw value (whose choosers
would be looked up again on every view).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.safestring import SafeString, mark_safe
from wagtail import blocks
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.rich_text import expand_db_html


@dataclass(frozen=True)
class BlockContext:
    """The page a block is rendered on, and its practice's tree."""

    page: Page

    @property
    def home_path(self) -> str:
        """The practice home page's tree path (every practice tree is rooted at depth 2)."""
        path = self.page.path or ""
        return path[: Page.steplen * 2] if len(path) >= Page.steplen * 2 else ""


class LoadingBlock:
    """Mixin for a block whose template needs more than its own value."""

    def load(self, value, context: BlockContext) -> dict:
        raise NotImplementedError


def images_with_renditions(ids: Iterable[int | None], specs: Iterable[str]) -> dict:
    """Images by id, each with the renditions `specs` made and attached: one query for
    the images and one for their renditions, whatever their number (a rendition made
    while rendering would cost a query on every later view)."""
    wanted = {pk for pk in ids if pk}
    if not wanted:
        return {}
    specs = list(specs)
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs)
    images = (
        get_image_model()
        .objects.filter(pk__in=wanted)
        .prefetch_related(
            Prefetch("renditions", queryset=renditions, to_attr="prefetched_renditions")
        )
    )
    found = {}
    for image in images:
        image.get_renditions(*specs)
        found[image.pk] = image
    return found


def picture_specs(sizes: Iterable[str], formats: Iterable[str] = ("webp", "jpeg")) -> list[str]:
    """The specs `{% picture img fill-{a,b} format-{webp,jpeg} %}` expands to."""
    return [f"fill-{size}|format-{fmt}" for size in sizes for fmt in formats]


def rich_text_html(value) -> SafeString:
    """Rich text with its page, document and image links expanded (queries now, not on
    every view)."""
    source = getattr(value, "source", value) or ""
    # Editors' rich text, whitelisted by the editor on save (as Wagtail's |richtext).
    return mark_safe(expand_db_html(source))  # noqa: S308


def page_url(page: Page | None) -> str:
    return (page.url or "") if page is not None else ""


class CallToActionBlock(blocks.StructBlock):
    """A button: one of the practice's pages, or an address (tel:, mailto:, https:)."""

    label = blocks.CharBlock(max_length=60)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.CharBlock(
        max_length=300, required=False, help_text="Only if no page is chosen, e.g. tel:+15125550100"
    )

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value["page"] is None and not value["url"]:
            errors["page"] = ValidationError("Choose a page or enter an address.")
        elif value["page"] is not None and value["url"]:
            errors["url"] = ValidationError("Choose a page or enter an address, not both.")
        elif value["url"] and not value["url"].startswith(("/", "https://", "tel:", "mailto:")):
            errors["url"] = ValidationError("Start with /, https://, tel: or mailto:.")
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value

    class Meta:
        icon = "link"
        label = "Button"


def action_data(value, pages: dict[int, Page]) -> dict | None:
    """A call to action as its template needs it (None when its page is gone)."""
    if value["page"] is not None:
        page = pages.get(value["page"].pk)
        if page is None or not page.live:
            return None
        return {"label": value["label"], "url": page_url(page)}
    return {"label": value["label"], "url": value["url"]}


def specific_pages(ids: Iterable[int | None]) -> dict[int, Page]:
    """Live pages by id in their specific class (one query per page type)."""
    wanted = {pk for pk in ids if pk}
    if not wanted:
        return {}
    return {page.pk: page for page in Page.objects.live().filter(pk__in=wanted).specific()}
