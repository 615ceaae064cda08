"""Template helpers for blog pages: structured data."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from agency_platform.core.seo import json_ld_script

register = template.Library()

# The same escaping as Django's json_script: the JSON can never close the element.


@register.simple_tag(takes_context=True)
def blog_posting_json_ld(context: template.Context, post, image_url: str = "") -> SafeString:
    """schema.org BlogPosting for a post, publisher = the practice."""
    request = context["request"]
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": post.get_meta_description(),
        "datePublished": post.date.isoformat(),
        "dateModified": (post.last_published_at or post.date).isoformat(),
        "mainEntityOfPage": post.canonical_url(request),
        "url": post.get_full_url(request),
        "publisher": {
            "@type": "MedicalBusiness",
            "name": context.get("practice_name", ""),
            "url": request.build_absolute_uri("/"),
        },
    }
    if post.author:
        data["author"] = {"@type": "Person", "name": post.author.name}
    if image_url:
        data["image"] = image_url
    return json_ld_script(data)
