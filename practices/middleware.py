"""Host routing: each hostname serves only its own practice, or nothing."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.template.response import TemplateResponse

from practices.models import PracticeStatus
from practices.selectors import host_entry

# Admin and asset paths are not practice content; ALLOWED_HOSTS still guards them.
UNROUTED_PREFIXES = ("/admin/", "/django-admin/", "/static/", "/media/")


class PracticeHostMiddleware:
    """Unknown host: 404 page. Alias (www., old domain): 301 to the canonical host.
    Suspended or archived practice: 503 maintenance page; its data is untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(UNROUTED_PREFIXES):
            return self.get_response(request)
        hostname = request.get_host().rsplit(":", 1)[0].lower().rstrip(".")
        entry = host_entry(hostname)
        if entry is None:
            response = TemplateResponse(request, "404.html", status=404)
            return response.render()
        if entry.is_alias:
            # The target's host comes from our own records, never from the request.
            return HttpResponsePermanentRedirect(entry.canonical_origin + request.get_full_path())
        if entry.status in (PracticeStatus.SUSPENDED, PracticeStatus.ARCHIVED):
            response = TemplateResponse(
                request,
                "practices/maintenance.html",
                {"practice_name": entry.practice_name},
                status=503,
            )
            response["Retry-After"] = "3600"
            return response.render()
        request.host_entry = entry
        return self.get_response(request)
