"""Page types every practice tree starts with."""

from __future__ import annotations

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from practices.routing import PracticePageMixin

HOME_TESTIMONIALS = 3
RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class PracticeHomePage(PracticePageMixin, Page):
    """Root of one practice's tree; the practice's Site points here."""

    route_select_related = ("call_to_action",)

    hero_heading = models.CharField(max_length=150, blank=True)
    intro = models.TextField(blank=True, help_text="One or two sentences under the heading.")
    call_to_action = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Usually the demo-request page.",
    )
    call_to_action_label = models.CharField(max_length=60, default="Request an appointment")
    body = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("intro"),
                FieldPanel("call_to_action"),
                FieldPanel("call_to_action_label"),
            ],
            heading="Hero",
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

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

    def prepare_for_route_cache(self) -> None:
        """Kept with the routed page (practices.routing), under the same invalidation
        (a testimonial's change makes its practice's pages stale)."""
        self._kept_testimonials = self.load_testimonials()

    def load_testimonials(self) -> list:
        from practices.models.testimonials import Testimonial

        shown = Testimonial.objects.shown().filter(practice__site__root_page_id=self.pk)
        return list(shown[:HOME_TESTIMONIALS])

    @property
    def testimonials(self) -> list:
        """The newest approved testimonials (a preview or a first view loads them)."""
        kept = getattr(self, "_kept_testimonials", None)
        return kept if kept is not None else self.load_testimonials()

    @property
    def call_to_action_page(self) -> Page | None:
        """The chosen page in its specific class, without a query (fields not on the
        base page are deferred), so that its URL comes from the site bundle."""
        target = self.call_to_action
        return target.specific_deferred if target is not None else None


class StandardPage(PracticePageMixin, Page):
    """About, privacy, services: a heading, an introduction and rich text."""

    intro = models.TextField(blank=True)
    body = RichTextField(blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["practices.PracticeHomePage", "practices.StandardPage"]
    subpage_types = ["practices.StandardPage"]
