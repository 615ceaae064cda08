"""Per-visitor form values for request forms embedded in cached pages.

A page served from the shared page cache (agency_platform.core.page_cache) cannot
carry a CSRF token, a fill-time token or a submission key: every visitor would get
the same ones (and the same submission key would merge different people's requests
into one lead). The embedded form is therefore rendered without them, and
`demo_requests/form_tokens.js` fetches them from `form_tokens` (never cached) when the
visitor starts filling the form in.

Without JavaScript (or if that fetch fails) the post has no CSRF token. Django then
calls `csrf_failure` (CSRF_FAILURE_VIEW): for a post to a practice's request-form
page it re-renders that form, uncached, with what the visitor typed, fresh tokens and
a request to press "Send" again. Any other CSRF failure keeps Django's 403 page. So a
submission is never lost, and nothing is stored without a valid CSRF token.
"""

from __future__ import annotations

from django.forms.forms import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.response import TemplateResponse
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from wagtail.models import Page

from demo_requests import spam
from demo_requests.api import _page_for_host
from demo_requests.models import DemoRequestPage
from demo_requests.models.pages import _uncacheable
from demo_requests.services import new_submission_key, submission_key_from, utm_from

MSG_SEND_AGAIN = "Please check your details and press “Send request” again."


@never_cache
@require_safe
def form_tokens(request: HttpRequest, page_id: int) -> JsonResponse:
    """A CSRF token (its cookie is set by CsrfViewMiddleware), a fill-time token and a
    submission key for the practice's request-form page `page_id`."""
    page = _page_for_host(request, page_id)
    if page is None:
        return JsonResponse({"errors": {"__all__": ["No such form on this site."]}}, status=404)
    return JsonResponse(
        {
            "csrf_token": get_token(request),
            "form_token": spam.make_fill_token(page.pk),
            "submission_key": new_submission_key(),
        }
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a request form posted without a valid CSRF token is shown
    again with the visitor's input; anything else gets Django's own 403 page."""
    page = _form_page_posted_to(request)
    if page is None:
        return django_csrf_failure(request, reason=reason)
    form = page.get_form(request.POST, page=page, user=request.user)
    form.is_valid()  # shows real field errors; stores nothing
    form.errors.pop(NON_FIELD_ERRORS, None)  # the spam check's stale/missing token
    form.add_error(None, MSG_SEND_AGAIN)
    context = page.get_context(request)
    context.update(
        form=form,
        submission_key=submission_key_from(request),
        utm=utm_from(request),
        landing_page=request.POST.get("landing_page", "")[:500],
    )
    response = TemplateResponse(request, page.get_template(request), context, status=403)
    return _uncacheable(response.render())


def _form_page_posted_to(request: HttpRequest) -> DemoRequestPage | None:
    if request.method != "POST" or getattr(request, "host_entry", None) is None:
        return None
    page = Page.find_for_request(request, request.path)
    page = page.specific if page is not None else None
    return page if isinstance(page, DemoRequestPage) and page.live else None
