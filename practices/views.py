"""Public views of a practice that are not Wagtail pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_response_headers
from django.views.decorators.http import require_safe

from practices.models import BrandSettings

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
