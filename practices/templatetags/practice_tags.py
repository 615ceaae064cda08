"""Template tags for practice pages: brand stylesheet, navigation."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from agency_platform.core.seo import json_ld_script
from practices.models import BrandSettings, Specialty
from practices.settings_cache import navigation_for_request

register = template.Library()


@register.simple_tag(takes_context=True)
def practice_theme_url(context: template.Context) -> str:
    """URL of the practice's brand stylesheet, versioned so it can be cached for a year."""
    request = context["request"]
    brand = BrandSettings.for_request(request)
    return f"{reverse('practice_theme_css')}?v={brand.version}"


@register.inclusion_tag("components/site_navigation.html", takes_context=True)
def site_navigation(context: template.Context) -> dict:
    """The home page's live children shown in menus, from the cached site bundle."""
    request = context["request"]
    current = context.get("page")
    return {
        "items": navigation_for_request(request),
        "current_id": getattr(current, "pk", None),
        "request": request,
    }


def practice_structured_data(request, details, logo_url: str = "") -> dict:
    """schema.org data for the practice on its home page: a MedicalClinic (the agency's
    own site is an Organization). No AggregateRating: search engines ignore
    self-serving review stars in a business's own markup."""
    entry = getattr(request, "host_entry", None)
    is_agency = entry is not None and entry.specialty == Specialty.AGENCY
    name = details.display_name or (entry.practice_name if entry else "")
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Organization" if is_agency else "MedicalClinic",
        "name": name,
        "url": request.build_absolute_uri("/"),
    }
    if logo_url:
        data["logo" if is_agency else "image"] = logo_url
    data.update({key: value for key, value in
                 (("telephone", details.phone), ("email", details.email)) if value})  # fmt: skip
    if details.street_address or details.locality:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": details.street_address,
            "addressLocality": details.locality,
            "addressRegion": details.region,
            "postalCode": details.postal_code,
            "addressCountry": details.country,
        }
    if details.opening_hours and not is_agency:
        data["openingHoursSpecification"] = [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": list(block.value["days"]),
                "opens": block.value["opens"].strftime("%H:%M"),
                "closes": block.value["closes"].strftime("%H:%M"),
            }
            for block in details.opening_hours
        ]
    if details.social_links:
        data["sameAs"] = [url for _label, url in details.social_links]
    return data


@register.simple_tag(takes_context=True)
def practice_json_ld(context: template.Context, details, logo_url: str = "") -> SafeString:
    return json_ld_script(practice_structured_data(context["request"], details, logo_url))
