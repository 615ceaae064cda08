"""The field rows of the embedded request form, rendered once per published form.

An embedded form's rows (labels, inputs, help texts) are those of an unbound form, so
they depend only on the contact page's published form fields, the id prefix, the
member pre-fill and the choices read at render (the practice's team members and
locations, demo_requests.form_builder). Building the form (queries for its fields and
choices, then the form class) and rendering its widget templates was about a quarter
of a blog post page's time; the rest of the embedded form (action, tokens, landing
page) stays per request.

Keyed by the contact page's live revision and publication time (every publish of the
form gives a new key), by the practice's freshness generation (a member published or
unpublished, or the practice's address changed, bumps it: the provider and location
choices are never stale) and by a digest of the code that shapes the rows (their
template, `demo_requests.forms` and `demo_requests.form_builder`), so neither an edit
nor a deploy can show old rows.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable
from functools import cache as memoize

from django.core.cache import cache
from django.forms import Form
from django.template.loader import get_template, render_to_string
from django.utils.safestring import SafeString, mark_safe

FIELDS_TEMPLATE = "demo_requests/includes/form_fields.html"
TIMEOUT = 60 * 60 * 24


@memoize
def _code_digest() -> str:
    from demo_requests import form_builder, forms

    template_source = get_template(FIELDS_TEMPLATE).template.source
    code = template_source + inspect.getsource(forms) + inspect.getsource(form_builder)
    return hashlib.sha256(code.encode()).hexdigest()[:16]


def rows_key(contact, prefix: str, member: str, generation: object = None) -> str:
    published = contact.last_published_at.timestamp() if contact.last_published_at else 0
    member_digest = hashlib.sha256(member.encode()).hexdigest()[:16]
    fresh = hashlib.sha256(repr(generation).encode()).hexdigest()[:16]
    return (
        f"demo_requests:form-rows:{_code_digest()}:{contact.pk}:{contact.live_revision_id}:"
        f"{published}:{fresh}:{prefix}:{member_digest}"
    )


def field_rows(
    contact,
    prefix: str,
    member: str,
    build_form: Callable[[], Form],
    generation: object = None,
) -> SafeString:
    """The rendered rows, from the cache or from `build_form()` (then cached).
    `member`: what the member pre-fill depends on; `generation`: the practice's."""
    key = rows_key(contact, prefix, member, generation)
    html = cache.get(key)
    if html is None:
        html = render_to_string(FIELDS_TEMPLATE, {"form": build_form()})
        cache.set(key, html, timeout=TIMEOUT)
    return mark_safe(html)  # noqa: S308 - rendered by our own autoescaping template
