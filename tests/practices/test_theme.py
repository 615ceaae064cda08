"""Brand colours reach WCAG 2.1 AA whatever the settings accept."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from practices.models import BrandSettings
from practices.theme import (
    AA_NORMAL_TEXT,
    WHITE,
    contrast_ratio,
    readable_text_colour,
    validate_primary_colour,
)
from tests.factories import PracticeFactory

hex_colours = st.integers(min_value=0, max_value=0xFFFFFF).map(lambda n: f"#{n:06x}")


def test_known_contrast_ratios() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@given(hex_colours)
def test_text_on_any_brand_colour_passes_aa(colour: str) -> None:
    assert contrast_ratio(colour, readable_text_colour(colour)) >= AA_NORMAL_TEXT


@given(hex_colours)
def test_accepted_primary_colours_pass_aa_as_links_on_white(colour: str) -> None:
    if contrast_ratio(colour, WHITE) >= AA_NORMAL_TEXT:
        validate_primary_colour(colour)
    else:
        with pytest.raises(ValidationError, match=r"WCAG 2\.1 AA"):
            validate_primary_colour(colour)


def test_a_too_light_primary_is_rejected_with_its_ratio() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_primary_colour("#ffcc00")
    assert excinfo.value.messages == [
        "#ffcc00 has a contrast of 1.51:1 on white; links and headings need at least 4.5:1 "
        "(WCAG 2.1 AA). Choose a darker shade."
    ]


@pytest.mark.django_db
def test_brand_settings_form_in_the_admin_rejects_a_failing_colour(client) -> None:
    from django.urls import reverse

    from tests.factories import moderator_of

    practice = PracticeFactory()
    client.force_login(moderator_of(practice))
    url = reverse("wagtailsettings:edit", args=["practices", "brandsettings", practice.site_id])
    response = client.post(
        url, {"primary_colour": "#ffee88", "secondary_colour": "#0f766e", "font": "rounded"}
    )
    assert "#ffee88 has a contrast of" in response.content.decode()
    assert BrandSettings.for_site(practice.site).primary_colour == "#1d4f91"

    client.post(
        url, {"primary_colour": "#7a1f5c", "secondary_colour": "#fde047", "font": "rounded"}
    )
    assert BrandSettings.for_site(practice.site).primary_colour == "#7a1f5c"


@pytest.mark.django_db
def test_theme_css_is_per_practice_and_cacheable_when_versioned(client) -> None:
    practice = PracticeFactory(hostname="brand.example.test", template="dermatology")
    brand = BrandSettings.for_site(practice.site)
    home = client.get("/", HTTP_HOST="brand.example.test").content.decode()
    assert f'<link rel="stylesheet" href="/theme.css?v={brand.version}">' in home

    css = client.get(f"/theme.css?v={brand.version}", HTTP_HOST="brand.example.test")
    assert css["Content-Type"] == "text/css; charset=utf-8"
    assert "public" in css["Cache-Control"]
    assert "immutable" in css["Cache-Control"]
    body = css.content.decode()
    assert "--brand-primary:#6b2150;" in body
    assert "--brand-on-primary:#ffffff;" in body
    assert "--brand-font:Charter" in body
    stale = client.get("/theme.css?v=old", HTTP_HOST="brand.example.test")
    assert stale["Cache-Control"] == "max-age=60"
