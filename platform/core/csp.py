"""Content-Security-Policy: strict on public pages, workable in the Wagtail admin."""

from __future__ import annotations

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

ADMIN_PATH_PREFIXES = ("/admin/", "/django-admin/")

# Wagtail's admin still ships inline <script> blocks (inline panels, date widgets) and
# inline styles, and previews pages in a same-origin iframe. Only staff reach it.
ADMIN_POLICY_REPLACE = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "frame-src": [SELF, "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "frame-ancestors": [SELF],
    "object-src": [NONE],
}


def is_admin_request(request: HttpRequest) -> bool:
    """An admin screen, or a preview the admin renders in its same-origin iframe:
    Wagtail serves a preview through the middleware chain with a dummy request for
    the page's public path (`is_dummy`), which the public policy (frame-ancestors
    'none') would stop the admin from framing."""
    return request.path_info.startswith(ADMIN_PATH_PREFIXES) or getattr(request, "is_dummy", False)


class PlatformCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and is_admin_request(request):
            replace = dict(ADMIN_POLICY_REPLACE)
            media = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
            replace["img-src"] = list(dict.fromkeys(replace["img-src"] + media))
            replace.update(parts.replace or {})
            parts.replace = replace
        return parts
