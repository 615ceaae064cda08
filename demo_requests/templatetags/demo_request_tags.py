"""`{% demo_request_form %}`: the practice's request form, embedded in any of its pages.

It renders the form of the DemoRequestPage under the current site's home page (nothing
when there is none, or it is not live) with the same hidden fields as the full page:
they come from that page's own `get_context` (submission key, fill-time token,
honeypot, landing page and UTM parameters) and its `get_form`, and the form posts to
that page, so validation, spam checks, rate limits and lead recording are the same.
The landing page is the page the form is embedded in.

`{% demo_request_form member=page %}` pre-selects that team member as the preferred
provider (and pre-fills a free-text message, when the form has one, with a request
for an appointment with them). Element ids are prefixed per form
(`demo-request-<n>-...`), so two forms on one page keep labels and ids unique.

While the page cache may share the response between visitors
(`page_cache.middleware.is_candidate`), the form is rendered without per-visitor
values (CSRF token, fill-time token, submission key, UTM parameters): the static
`demo_requests/form_tokens.js` fetches them from `demo_requests.form_tokens` when the
visitor starts filling the form in (see that module for the no-JavaScript path).
Otherwise (page cache off, logged-in editors) the tokens are rendered as before.
"""

from __future__ import annotations

from django import forms, template
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from agency_platform.core import freshness
from agency_platform.core.page_cache.keys import hostname_of
from agency_platform.core.page_cache.middleware import is_candidate
from demo_requests import embedded_form_cache
from demo_requests.form_builder import preselect_provider

register = template.Library()

TEMPLATE = "demo_requests/includes/embedded_form.html"
MEMBER_MESSAGE = "I would like to request an appointment with {name}."
_CACHE_ATTR = "_demo_request_form_page"
_COUNT_ATTR = "_demo_request_form_count"


def contact_page_for_request(request):
    """The live DemoRequestPage under the request's site's home page, or None.
    Looked up once per request."""
    if hasattr(request, _CACHE_ATTR):
        return getattr(request, _CACHE_ATTR)
    from demo_requests.models import DemoRequestPage
    from practices.settings_cache import bundle_for_request

    found = None
    # The site bundle (one Redis read, already attached by host routing) holds the
    # live contact page, and is refreshed whenever that page changes.
    bundle = bundle_for_request(request)
    if bundle is not None and isinstance(bundle.contact_page, DemoRequestPage):
        found = bundle.contact_page
    setattr(request, _CACHE_ATTR, found)
    return found


def _message_field(form) -> str | None:
    """The free-text field a member pre-fill goes into ("message", else a textarea)."""
    if "message" in form.fields and isinstance(form.fields["message"].widget, forms.Textarea):
        return "message"
    return next(
        (name for name, field in form.fields.items() if isinstance(field.widget, forms.Textarea)),
        None,
    )


@register.simple_tag(takes_context=True)
def demo_request_form(context, member=None, heading=None):
    request = context.get("request")
    if request is None:
        return ""
    contact = contact_page_for_request(request)
    if contact is None:
        return ""
    number = getattr(request, _COUNT_ATTR, 0) + 1
    setattr(request, _COUNT_ATTR, number)
    prefix = f"demo-request-{number}"

    # The full page's own context: submission key, fill-time token, honeypot, landing
    # page (this request's path) and UTM parameters.
    page_context = contact.get_context(request)
    member_name = str(getattr(member, "title", "") or member) if member is not None else ""
    member_slug = str(getattr(member, "slug", "") or "")

    def build_form():
        form = contact.get_form(page=contact, user=request.user, auto_id=f"{prefix}-%s")
        preselect_provider(form, member_slug)
        field = _message_field(form)
        if field and member_name:
            form.initial[field] = MEMBER_MESSAGE.format(name=member_name)
        return form

    # The provider and location choices read the team and the practice's settings:
    # the rows are kept under the practice's generation (read once per request).
    hostname = hostname_of(request)
    generation = freshness.read(request, hostname)[0] if hostname else None
    rows = embedded_form_cache.field_rows(
        contact, prefix, f"{member_slug}:{member_name}", build_form, generation
    )
    values = {
        "contact_page": contact,
        "field_rows": rows,
        "prefix": prefix,
        "heading": heading
        or (f"Request an appointment with {member_name}" if member_name else contact.title),
        "submission_key": page_context["submission_key"],
        "form_token": page_context["form_token"],
        "honeypot_field": page_context["honeypot_field"],
        "honeypot_label": page_context["honeypot_label"],
        "utm": page_context["utm"],
        "landing_page": page_context["landing_page"],
        "shared": False,
    }
    tokens_url = _tokens_url(contact.pk)
    if is_candidate(request) and tokens_url:
        # One response for every visitor: no per-visitor values (see module docstring).
        values.update(
            shared=True,
            tokens_url=tokens_url,
            submission_key="",
            form_token="",
            utm={},
            landing_page=request.path[:500],
        )
    return render_to_string(TEMPLATE, values, request=request)


def _tokens_url(page_id: int) -> str:
    """The token endpoint's URL; empty (tokens rendered in the page) when the URLconf
    does not route it."""
    try:
        return reverse("demo_request_form_tokens", args=[page_id])
    except NoReverseMatch:
        return ""
