"""Template tags for practice pages: brand stylesheet, navigation."""

from __future__ import annotations

from django import template
from django.urls import reverse
from wagtail.models import Site

from practices.models import BrandSettings

register = template.Library()


@register.simple_tag(takes_context=True)
def practice_theme_url(context: template.Context) -> str:
    """URL of the practice's brand stylesheet, versioned so it can be cached for a year."""
    request = context["request"]
    brand = BrandSettings.for_request(request)
    return f"{reverse('practice_theme_css')}?v={brand.version}"


@register.inclusion_tag("components/site_navigation.html", takes_context=True)
def site_navigation(context: template.Context) -> dict:
    request = context["request"]
    site = Site.find_for_request(request)
    current = context.get("page")
    items = []
    if site is not None:
        items = list(
            site.root_page.get_children().live().in_menu().specific().only("title", "url_path")
        )
    return {
        "items": items,
        "home": site.root_page if site else None,
        "current": current,
        "request": request,
    }
