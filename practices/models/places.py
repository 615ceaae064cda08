"""Locations: a practice's offices, one `LocationPage` each under its "Locations" page.

Pages rather than settings or snippets: each office gets a public URL with its own
search description and structured data, revisions, moderation and preview, an order
(the explorer's), and the platform's page isolation. Members link to the offices they
practise at (TeamMemberPage.locations), so an office page lists its people.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from practices import addresses
from practices.models.settings import OpeningHoursBlock
from practices.routing import PracticePageMixin

BOTH_OR_NEITHER = "Give both latitude and longitude, or neither."


class LocationsIndexPage(PracticePageMixin, Page):
    """/locations/: every office of the practice, in the explorer's order."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["practices.PracticeHomePage"]
    subpage_types = ["practices.LocationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "locations index page"

    def prepare_for_route_cache(self) -> None:
        from practices.places_selectors import locations_under

        self._kept_locations = locations_under(self)

    def get_context(self, request, *args, **kwargs):
        from practices.places_selectors import locations_under

        context = super().get_context(request, *args, **kwargs)
        kept = getattr(self, "_kept_locations", None)
        context["locations"] = kept if kept is not None else locations_under(self)
        return context


class LocationPage(PracticePageMixin, Page):
    """One office (the page title is its name, e.g. "Downtown office")."""

    intro = models.TextField(blank=True, help_text="One or two sentences about this office.")
    street_address = models.CharField(max_length=200)
    locality = models.CharField("city", max_length=100)
    region = models.CharField("state / region", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20)
    country = models.CharField(max_length=2, default="US", help_text="ISO 3166 country code.")
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
        help_text="Decimal degrees, -90 to 90 (e.g. 30.2500). Optional, with longitude.",
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
        help_text="Decimal degrees, -180 to 180 (e.g. -97.7500).",
    )
    phone = models.CharField(max_length=32, blank=True, help_text="Defaults to the practice's.")
    opening_hours = StreamField([("hours", OpeningHoursBlock())], blank=True, use_json_field=True)
    parking = models.TextField("parking", blank=True)
    accessibility = models.TextField(
        "accessibility", blank=True, help_text="Step-free access, lifts, hearing loops..."
    )

    content_panels = [
        FieldPanel("title", heading="Name"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                # Required on a draft save too: an office page is its address.
                FieldPanel("street_address", required_on_save=True),
                FieldRowPanel(
                    [FieldPanel("locality", required_on_save=True), FieldPanel("region")]
                ),
                FieldRowPanel(
                    [FieldPanel("postal_code", required_on_save=True), FieldPanel("country")]
                ),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading="Address",
        ),
        FieldPanel("phone"),
        FieldPanel("opening_hours"),
        MultiFieldPanel([FieldPanel("parking"), FieldPanel("accessibility")], heading="Visiting"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("street_address"),
        index.SearchField("locality"),
    ]
    parent_page_types = ["practices.LocationsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "location"

    def clean(self) -> None:
        """Holds however the page is saved (admin, shell, demo): coordinates are a pair."""
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            missing = "latitude" if self.latitude is None else "longitude"
            raise ValidationError({missing: BOTH_OR_NEITHER})

    # --- values the templates, selectors and structured data share -------------------
    @property
    def address_lines(self) -> list[str]:
        return addresses.address_lines(
            self.street_address, self.locality, self.region, self.postal_code
        )

    @property
    def one_line_address(self) -> str:
        return ", ".join(self.address_lines)

    @property
    def maps_url(self) -> str:
        return addresses.directions_url(self.address_lines)

    @property
    def has_geo(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def get_meta_description(self) -> str:
        return self.intro or (
            f"{self.title}: {self.one_line_address}" if self.address_lines else ""
        )

    def prepare_for_route_cache(self) -> None:
        """Kept with the routed page: the people who practise here, with their card
        renditions (a member's or this page's publish invalidates it)."""
        from practices.places_selectors import location_members

        self._kept_members = location_members(self)

    def get_context(self, request, *args, **kwargs):
        from practices.places_selectors import location_members

        context = super().get_context(request, *args, **kwargs)
        preview = getattr(request, "is_preview", False)
        kept = None if preview else getattr(self, "_kept_members", None)
        context["members"] = kept if kept is not None else location_members(self)
        return context
