"""Template tags for practice pages: brand stylesheet, navigation."""

from __future__ import annotations

from django import template
from django.urls import reverse

from practices.models import BrandSettings
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
