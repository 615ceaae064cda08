"""Per-site settings that a practice's own editors may change.

Wagtail grants them per site through GroupSitePermission, so an editor of one practice
cannot open another practice's settings by switching site in the admin.
"""

from __future__ import annotations

from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.images import get_image_model_string

from practices.theme import (
    FONT_CHOICES,
    theme_css,
    theme_version,
    validate_hex_colour,
    validate_primary_colour,
)

WEEKDAYS = [
    ("Monday", "Monday"),
    ("Tuesday", "Tuesday"),
    ("Wednesday", "Wednesday"),
    ("Thursday", "Thursday"),
    ("Friday", "Friday"),
    ("Saturday", "Saturday"),
    ("Sunday", "Sunday"),
]


class OpeningHoursBlock(blocks.StructBlock):
    days = blocks.MultipleChoiceBlock(choices=WEEKDAYS)
    opens = blocks.TimeBlock()
    closes = blocks.TimeBlock()

    class Meta:
        icon = "time"
        label = "Opening hours"


@register_setting(icon="site")
class PracticeSettings(BaseSiteSetting):
    """Contact details (NAP), opening hours, social profiles and analytics."""

    display_name = models.CharField(
        max_length=120,
        blank=True,
        help_text="Name as shown to patients; defaults to the practice name.",
    )
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    street_address = models.CharField(max_length=200, blank=True)
    locality = models.CharField("city", max_length=100, blank=True)
    region = models.CharField("state / region", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="US", help_text="ISO 3166 country code.")
    opening_hours = StreamField([("hours", OpeningHoursBlock())], blank=True, use_json_field=True)
    facebook_url = models.URLField(blank=True)
    instagram_url = models.URLField(blank=True)
    linkedin_url = models.URLField(blank=True)
    youtube_url = models.URLField(blank=True)
    x_url = models.URLField("X (Twitter) URL", blank=True)
    analytics_id = models.CharField(
        max_length=40,
        blank=True,
        help_text="Privacy-friendly analytics site id. Never loaded on form pages.",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("display_name"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("street_address"),
                FieldPanel("locality"),
                FieldPanel("region"),
                FieldPanel("postal_code"),
                FieldPanel("country"),
            ],
            heading="Name, address, phone",
        ),
        FieldPanel("opening_hours"),
        MultiFieldPanel(
            [
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("linkedin_url"),
                FieldPanel("youtube_url"),
                FieldPanel("x_url"),
            ],
            heading="Social profiles",
        ),
        FieldPanel("analytics_id"),
    ]

    class Meta:
        verbose_name = "practice details"

    @property
    def social_links(self) -> list[tuple[str, str]]:
        pairs = [
            ("Facebook", self.facebook_url),
            ("Instagram", self.instagram_url),
            ("LinkedIn", self.linkedin_url),
            ("YouTube", self.youtube_url),
            ("X", self.x_url),
        ]
        return [(label, url) for label, url in pairs if url]


@register_setting(icon="doc-full")
class BrandSettings(BaseSiteSetting):
    """Logo, colours and font; applied as CSS custom properties by /theme.css."""

    logo = models.ForeignKey(
        get_image_model_string(), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    primary_colour = models.CharField(
        max_length=7,
        default="#1d4f91",
        validators=[validate_primary_colour],
        help_text="Header, links and headings. Must reach 4.5:1 contrast on white.",
    )
    secondary_colour = models.CharField(
        max_length=7,
        default="#0f766e",
        validators=[validate_hex_colour],
        help_text="Buttons; text on it is black or white, whichever is readable.",
    )
    font = models.CharField(max_length=20, choices=FONT_CHOICES, default="system-sans")

    panels = [
        FieldPanel("logo"),
        FieldPanel("primary_colour"),
        FieldPanel("secondary_colour"),
        FieldPanel("font"),
    ]

    class Meta:
        verbose_name = "brand"

    def css(self) -> str:
        return theme_css(self.primary_colour, self.secondary_colour, self.font)

    @property
    def version(self) -> str:
        return theme_version(self.css())
