"""Host routing: each hostname serves only its own practice, or nothing."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.template.response import TemplateResponse
from wagtail import views as wagtail_views

from agency_platform.core import private_apis
from practices import routing, settings_cache
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
        entry = host_entry(hostname, request)
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
        # The site, its settings and navigation from one cache read (see
        # practices.settings_cache): Wagtail and the templates find them on the request.
        bundle = settings_cache.attach_to_request(request, entry.site_id)
        with routing.serving(bundle):
            return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        """Wagtail page requests are routed in two queries (practices.routing)."""
        bundle = getattr(request, "site_bundle", None)
        if bundle is None or view_func is not wagtail_views.serve:
            return None
        if private_apis.has_route(request):
            return None
        path = view_kwargs.get("path", view_args[0] if view_args else "")
        result = routing.route(request, bundle, path)
        if result is not NotImplemented:
            private_apis.set_route(request, result)
        return None
