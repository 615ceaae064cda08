"""What search engines and link previews read in a page's head.

Every public page needs a meta description (Lighthouse and search engines penalise a
missing one), so one is derived when the editor leaves "search description" empty:
the page's own summary when its type defines one, else its introduction, else the
start of its body as plain text, else its title with the practice's name.
"""

from __future__ import annotations

import html
import json
import re

from django.utils.html import format_html
from django.utils.safestring import SafeString

DESCRIPTION_LENGTH = 160

_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_HEADINGS = re.compile(r"(^|\s)(#{1,6}|>)\s")
_MARKDOWN_EMPHASIS = re.compile(r"[*_`]+")
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def plain_text(value: object) -> str:
    """Text of rich text, HTML or Markdown, on one line."""
    text = _TAGS.sub(" ", str(value or ""))
    text = _MARKDOWN_LINK.sub(r"\1", html.unescape(text))
    text = _MARKDOWN_EMPHASIS.sub("", _MARKDOWN_HEADINGS.sub(" ", text))
    return _SPACE.sub(" ", text).strip()


def summarise(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return f"{cut}…"


def meta_description(page: object, site_name: str = "") -> str:
    """The description a page's head carries; never empty for a titled page."""
    own = getattr(page, "get_meta_description", None)
    candidates = [
        getattr(page, "search_description", ""),
        own() if callable(own) else "",
        getattr(page, "intro", ""),
        getattr(page, "body", ""),
    ]
    for candidate in candidates:
        text = plain_text(candidate)
        if text:
            return summarise(text)
    title = getattr(page, "title", "")
    return f"{title} – {site_name}" if site_name and site_name != title else title


# "</script>" (or "<!--") inside a string must not end the data block early.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    """A schema.org data block. A data block is not executed, so the public CSP (no
    inline script) does not apply to it."""
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(payload))


def postal_address(street: str, locality: str, region: str, postal_code: str, country: str) -> dict:
    """schema.org PostalAddress."""
    return {
        "@type": "PostalAddress",
        "streetAddress": street,
        "addressLocality": locality,
        "addressRegion": region,
        "postalCode": postal_code,
        "addressCountry": country,
    }


def opening_hours_specification(hours: list) -> list[dict]:
    """schema.org OpeningHoursSpecification from (days, opens, closes) triples (the
    shape of the OpeningHoursBlock lists practices use)."""
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": list(days),
            "opens": opens.strftime("%H:%M"),
            "closes": closes.strftime("%H:%M"),
        }
        for days, opens, closes in hours
    ]
