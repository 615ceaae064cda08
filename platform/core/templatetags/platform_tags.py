"""Template helpers shared by every app."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context: template.Context, url: str) -> str:
    """An absolute URL on the current host (a CDN URL, already absolute, is kept):
    media URLs shared in Open Graph cards must name the practice's own host."""
    if not url:
        return ""
    return context["request"].build_absolute_uri(url)
