"""Cross-cutting middleware: request ids, a scope for Wagtail's per-request caches and
health probes."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from agency_platform.core import health, private_apis
from agency_platform.core.logging import new_request_id, request_id_var

GetResponse = Callable[[HttpRequest], HttpResponse]


class RequestIdMiddleware:
    """Tags the request, its log lines and its response with one id."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = new_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        token = request_id_var.set(request_id)
        request.request_id = request_id
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestScopeMiddleware:
    """Wagtail's per-request caches for code that builds page URLs without the request
    (core.private_apis.request_scope): the site root paths are read once per request."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with private_apis.request_scope():
            return self.get_response(request)


class HealthCheckMiddleware:
    """Answers /healthz and /readyz without host validation, sessions or redirects."""

    probes = {"/healthz": health.healthz, "/readyz": health.readyz}

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = self.probes.get(request.path_info.rstrip("/"))
        return probe(request) if probe else self.get_response(request)
