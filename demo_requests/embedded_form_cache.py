"""The field rows of the embedded request form, rendered once per published form.

An embedded form's rows (labels, inputs, help texts) are those of an unbound form, so
they depend only on the contact page's published form fields, the id prefix and the
member pre-fill. Building the form (a query for its fields, then the form class) and
rendering its widget templates was about a quarter of a blog post page's time; the
rest of the embedded form (action, tokens, landing page) stays per request.

Keyed by the contact page's live revision and publication time (every publish of the
form gives a new key) and by a digest of the code that shapes the rows (their template
and `demo_requests.forms`), so neither an edit nor a deploy can show old rows.
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
    from demo_requests import forms

    template_source = get_template(FIELDS_TEMPLATE).template.source
    code = template_source + inspect.getsource(forms)
    return hashlib.sha256(code.encode()).hexdigest()[:16]


def rows_key(contact, prefix: str, member_name: str) -> str:
    published = contact.last_published_at.timestamp() if contact.last_published_at else 0
    member = hashlib.sha256(member_name.encode()).hexdigest()[:16]
    return (
        f"demo_requests:form-rows:{_code_digest()}:{contact.pk}:{contact.live_revision_id}:"
        f"{published}:{prefix}:{member}"
    )


def field_rows(
    contact, prefix: str, member_name: str, build_form: Callable[[], Form]
) -> SafeString:
    """The rendered rows, from the cache or from `build_form()` (then cached)."""
    key = rows_key(contact, prefix, member_name)
    html = cache.get(key)
    if html is None:
        html = render_to_string(FIELDS_TEMPLATE, {"form": build_form()})
        cache.set(key, html, timeout=TIMEOUT)
    return mark_safe(html)  # noqa: S308 - rendered by our own autoescaping template
