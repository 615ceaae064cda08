"""Public views of a practice that are not Wagtail pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_response_headers
from django.views.decorators.http import require_safe

from practices.models import BrandSettings, PracticeStatus

ONE_YEAR = 60 * 60 * 24 * 365


@require_safe
def theme_css(request: HttpRequest) -> HttpResponse:
    """The practice's brand as CSS custom properties; immutable when versioned."""
    brand = BrandSettings.for_request(request)
    response = HttpResponse(brand.css(), content_type="text/css; charset=utf-8")
    response["ETag"] = f'"{brand.version}"'
    if request.GET.get("v") == brand.version:
        patch_response_headers(response, cache_timeout=ONE_YEAR)
        response["Cache-Control"] += ", public, immutable"
    else:
        patch_response_headers(response, cache_timeout=60)
    return response


# Never crawled on any practice: the admin, the form endpoints, private documents.
ROBOTS_DISALLOWED = ("/admin/", "/django-admin/", "/api/", "/documents/")


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """robots.txt of the requesting practice, naming its own sitemap. A practice still
    onboarding is not crawled at all (its site is not finished)."""
    entry = request.host_entry
    if entry.status == PracticeStatus.LIVE:
        rules = [f"Disallow: {path}" for path in ROBOTS_DISALLOWED]
    else:
        rules = ["Disallow: /"]
    lines = ["User-agent: *", *rules, "", f"Sitemap: {entry.canonical_origin}/sitemap.xml", ""]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    patch_response_headers(response, cache_timeout=60 * 60)
    return response
