"""JSON endpoint for headless forms: POST /api/demo-requests/<page_id>/.

Same validation, honeypot, fill-time and rate-limit rules as the HTML form.

- GET returns a fill-time token (`form_token`) and the field list; send the token back
  with the submission (not sooner than DEMO_REQUEST_MIN_FILL_SECONDS).
- POST body: a JSON object of field values keyed by field name, plus `form_token`,
  optionally `hp_website` (honeypot: must be empty), `landing_page` and utm_* values.
- Errors: {"errors": {"field": ["message"]}} with 400 (validation, malformed body),
  403 (foreign Origin), 404 (unknown page, or a page of another practice's host),
  409 (Idempotency-Key used for another form), 413 (body too large), 415 (not JSON),
  429 (rate limited, with Retry-After).
- Success: 201 {"lead": <id>, "status": "received"}; the same Idempotency-Key (32 hex
  characters) again gives 200 with the same lead.

CSRF: exempt (no cookies are involved for headless clients), but only
`Content-Type: application/json` is accepted, which a cross-site HTML form cannot send
without a CORS preflight, and an `Origin` header, when present, must be the practice's
own host.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from django.http import HttpRequest, JsonResponse, QueryDict
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from demo_requests import spam
from demo_requests.models import DemoRequestPage, Lead

MAX_BODY_BYTES = 64 * 1024
MAX_FIELDS = 100
_KEY = re.compile(r"^[0-9a-f]{32}$")


def _errors(status: int, errors: dict[str, list[str]], **headers) -> JsonResponse:
    response = JsonResponse({"errors": errors}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _page_for_host(request: HttpRequest, page_id: int) -> DemoRequestPage | None:
    entry = getattr(request, "host_entry", None)
    if entry is None:
        return None
    from wagtail.models import Site

    root_path = (
        Site.objects.filter(pk=entry.site_id).values_list("root_page__path", flat=True).first()
    )
    if not root_path:
        return None
    return DemoRequestPage.objects.live().filter(pk=page_id, path__startswith=root_path).first()


def _origin_allowed(request: HttpRequest) -> bool:
    origin = request.headers.get("Origin")
    if not origin:
        return True
    entry = request.host_entry
    try:
        host = urlsplit(origin).hostname
    except ValueError:
        return False
    return bool(host) and host.lower() == entry.canonical_host.lower()


def _to_form_data(payload: dict) -> QueryDict | None:
    """JSON values as the strings a browser would post; None if not representable."""
    data = QueryDict(mutable=True)
    for name, value in payload.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if item is None:
                continue
            if isinstance(item, bool):
                if item:
                    data.appendlist(name, "on")
                continue
            if isinstance(item, (int, float, str)):
                data.appendlist(name, str(item))
                continue
            return None
    return data


def _lead_body(lead: Lead) -> dict:
    return {"lead": lead.pk, "status": "received"}


@csrf_exempt
@never_cache
def demo_request_endpoint(request: HttpRequest, page_id: int) -> JsonResponse:
    page = _page_for_host(request, page_id)
    if page is None:
        return _errors(404, {"__all__": ["No such form on this site."]})
    if request.method == "GET":
        return JsonResponse(_describe(page))
    if request.method != "POST":
        return _errors(405, {"__all__": ["Use POST."]}, Allow="GET, POST")
    if not _origin_allowed(request):
        return _errors(403, {"__all__": ["Requests from this origin are not accepted."]})
    content_type = request.content_type or ""
    if content_type.lower() != "application/json":
        return _errors(415, {"__all__": ["Send the request as Content-Type: application/json."]})
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return _errors(413, {"__all__": ["The request is too large."]})

    key = request.headers.get("Idempotency-Key")
    if key is not None:
        key = key.strip().lower()
        if not _KEY.match(key):
            return _errors(
                400, {"idempotency_key": ["Idempotency-Key must be 32 hexadecimal characters."]}
            )
        existing = Lead.objects.filter(idempotency_key=key).only("pk", "form_page_id").first()
        if existing is not None:
            if existing.form_page_id != page.pk:
                return _errors(
                    409, {"idempotency_key": ["This Idempotency-Key was used for another form."]}
                )
            return JsonResponse(_lead_body(existing), status=200)

    limited = spam.check_rate_limits(request, page.pk)
    if limited is not None:
        return _errors(
            429, {"__all__": [spam.MSG_RATE_LIMITED]}, Retry_After=str(limited.retry_after)
        )

    body = request.body[: MAX_BODY_BYTES + 1]
    if len(body) > MAX_BODY_BYTES:
        return _errors(413, {"__all__": ["The request is too large."]})
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _errors(400, {"__all__": ["The body must be a JSON object."]})
    if not isinstance(payload, dict) or len(payload) > MAX_FIELDS:
        return _errors(400, {"__all__": ["The body must be a JSON object of form fields."]})
    data = _to_form_data(payload)
    if data is None:
        return _errors(400, {"__all__": ["Field values must be strings, numbers or booleans."]})

    form = page.get_form(data, page=page, user=request.user)
    if not form.is_valid():
        errors = {
            field: [item["message"] for item in items]
            for field, items in form.errors.get_json_data().items()
        }
        return _errors(400, errors)

    from demo_requests.services import UTM_PARAMETERS, LeadOrigin, new_submission_key, record_lead

    origin = LeadOrigin(
        key=key or new_submission_key(),
        utm={
            name: payload[name][:200]
            for name in UTM_PARAMETERS
            if isinstance(payload.get(name), str) and payload[name]
        },
        landing_page=str(payload.get("landing_page") or "")[:500],
        referrer=request.META.get("HTTP_REFERER", "")[:500],
    )
    recorded = record_lead(page, form, request, origin)
    if recorded.lead.form_page_id != page.pk:  # concurrent reuse of a key elsewhere
        return _errors(
            409, {"idempotency_key": ["This Idempotency-Key was used for another form."]}
        )
    return JsonResponse(_lead_body(recorded.lead), status=201 if recorded.created else 200)


def _describe(page: DemoRequestPage) -> dict:
    # Provider and location choices are read at render (demo_requests.form_builder):
    # their values (slugs) are what a client posts.
    form = page.get_form(page=page)
    dynamic = {
        name: [value for value, _ in field.choices if value]
        for name, field in form.fields.items()
        if hasattr(field, "choices")
    }
    return {
        "form_token": spam.make_fill_token(page.pk),
        "min_fill_seconds": spam.min_fill_seconds(),
        "honeypot_field": spam.HONEYPOT_FIELD,
        "fields": [
            {
                "name": field.clean_name,
                "label": field.label,
                "type": field.field_type,
                "required": field.required,
                "choices": dynamic.get(field.clean_name, [])
                if field.field_type in ("provider", "location")
                else [c.strip() for c in field.choices.splitlines() if c.strip()],
                "help_text": field.help_text,
            }
            for field in page.get_form_fields()
        ],
    }
