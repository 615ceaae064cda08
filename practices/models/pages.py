"""Page types every practice tree starts with."""

from __future__ import annotations

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from practices.blocks.features import RICH_TEXT_FEATURES
from practices.blocks.library import PageBuilderBlock
from practices.blocks.ownership import PageBuilderPageForm
from practices.blocks.rendering import PageBuilderMixin
from practices.routing import PracticePageMixin

__all__ = ["RICH_TEXT_FEATURES", "PracticeHomePage", "StandardPage"]

BODY_HELP = "Build the page from blocks: hero, text, services, team, posts, FAQ, location…"


def page_builder_field() -> StreamField:
    return StreamField(PageBuilderBlock, blank=True, use_json_field=True, help_text=BODY_HELP)


class PracticeHomePage(PageBuilderMixin, PracticePageMixin, Page):
    """Root of one practice's tree; the practice's Site points here. Its content is
    the page builder's blocks (README "Page builder")."""

    body = page_builder_field()

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    base_form_class = PageBuilderPageForm

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "practices.StandardPage",
        "practices.TeamIndexPage",
        "practices.ServicesIndexPage",
        "practices.LocationsIndexPage",
        "blog.BlogIndexPage",
        "demo_requests.DemoRequestPage",
    ]

    class Meta:
        verbose_name = "practice home page"


class StandardPage(PageBuilderMixin, PracticePageMixin, Page):
    """About, privacy, services: a heading, an introduction and the page builder's
    blocks."""

    intro = models.TextField(blank=True)
    body = page_builder_field()

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    base_form_class = PageBuilderPageForm

    parent_page_types = ["practices.PracticeHomePage", "practices.StandardPage"]
    subpage_types = ["practices.StandardPage"]
