"""Template helpers shared by every app."""

from __future__ import annotations

from django import template

from agency_platform.core import seo

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context: template.Context, url: str) -> str:
    """An absolute URL on the current host (a CDN URL, already absolute, is kept):
    media URLs shared in Open Graph cards must name the practice's own host."""
    if not url:
        return ""
    return context["request"].build_absolute_uri(url)


@register.simple_tag(takes_context=True)
def meta_description(context: template.Context, page) -> str:
    """The page's meta description, derived when the editor left it empty (core.seo)."""
    return seo.meta_description(page, context.get("practice_name", ""))


@register.simple_tag(takes_context=True)
def canonical_url(context: template.Context, page) -> str:
    """The page's own absolute URL, or the `canonical_url` its view set (a listing
    filtered by tag or paginated is its own canonical, not the blog's)."""
    return context.get("canonical_url") or page.get_full_url(context.get("request"))
