"""Template helpers for services and locations: structured data and tap-to-call links."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from agency_platform.core.seo import json_ld_script, opening_hours_specification, postal_address
from practices import addresses

register = template.Library()


def _details(context: template.Context):
    try:
        return context["settings"]["practices"]["PracticeSettings"]
    except (KeyError, AttributeError, TypeError):
        return None


def _practice(context: template.Context) -> dict:
    request = context["request"]
    details = _details(context)
    name = (details.display_name if details else "") or context.get("practice_name", "")
    return {"@type": "MedicalClinic", "name": name, "url": request.build_absolute_uri("/")}


def location_structured_data(context: template.Context, location) -> dict:
    """A MedicalClinic per office, part of the practice's. No AggregateRating: search
    engines ignore self-serving review stars in a business's own markup."""
    request = context["request"]
    practice = _practice(context)
    details = _details(context)
    phone = location.phone or (details.phone if details else "")
    data: dict = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "name": f"{practice['name']} – {location.title}" if practice["name"] else location.title,
        "url": location.get_full_url(request),
        "address": postal_address(
            location.street_address,
            location.locality,
            location.region,
            location.postal_code,
            location.country,
        ),
        "parentOrganization": practice,
    }
    if phone:
        data["telephone"] = phone
    if location.has_geo:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(location.latitude),
            "longitude": float(location.longitude),
        }
    hours = [(b.value["days"], b.value["opens"], b.value["closes"]) for b in location.opening_hours]
    if hours:
        data["openingHoursSpecification"] = opening_hours_specification(hours)
    return data


@register.simple_tag(takes_context=True)
def location_json_ld(context: template.Context, location) -> SafeString:
    return json_ld_script(location_structured_data(context, location))


def service_structured_data(context: template.Context, service) -> dict:
    """A schema.org Service provided by the practice. Not MedicalProcedure or
    MedicalTherapy: those have no `provider` and would claim a clinical type that a
    practice's offering ("Cleanings and exams", "Sports physicals") often is not."""
    request = context["request"]
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Service",
        "name": service.title,
        "serviceType": service.title,
        "description": service.summary,
        "url": service.get_full_url(request),
        "provider": _practice(context),
    }
    details = _details(context)
    if details is not None and details.locality:
        data["areaServed"] = {"@type": "City", "name": details.locality}
    return data


@register.simple_tag(takes_context=True)
def service_json_ld(context: template.Context, service) -> SafeString:
    return json_ld_script(service_structured_data(context, service))


@register.filter
def tel_href(phone: str) -> str:
    return addresses.tel_href(phone)
