"""Markdown to safe HTML for posts.

The body is stored as written (exports must reproduce it) and rendered here: Python-
Markdown, then nh3 with a tight allow-list. Compared with wagtail-markdown's default
sanitiser (which allows `style`, `class` and `id` everywhere, and `style` with
`url(...)` is a known CSS-injection route) we allow no style or event attribute at
all, only http(s)/mailto/tel and relative URLs, ids only on headings and prefixed so
that a post cannot clobber the page's own ids.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions.toc import TocExtension

HEADING_ID_PREFIX = "section-"
ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "del",
    "blockquote", "ul", "ol", "li", "a", "code", "pre", "img", "sup", "sub",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align"},
    "td": {"align"},
    **{f"h{level}": {"id"} for level in range(2, 7)},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


@dataclass
class RenderedMarkdown:
    html: SafeString
    toc: list[dict] = field(default_factory=list)

    def __str__(self) -> str:
        return self.html

    def __html__(self) -> str:
        return self.html


def _flatten_toc(tokens: list[dict]) -> list[dict]:
    items = []
    for token in tokens:
        items.append({"level": token["level"], "id": HEADING_ID_PREFIX + token["id"],
                      "name": token["name"]})  # fmt: skip
        items.extend(_flatten_toc(token.get("children", [])))
    return items


def render_markdown(text: str) -> RenderedMarkdown:
    """Sanitised HTML and the table of contents (h2/h3) of a Markdown body."""
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists", TocExtension(toc_depth="2-3")],
        output_format="html",
    )
    # CommonMark lets any ASCII punctuation be backslash-escaped (the agency's files
    # write `Q\&A`); Python-Markdown escapes only a fixed subset by default.
    md.ESCAPED_CHARS = sorted(set(md.ESCAPED_CHARS) | set(string.punctuation))
    raw_html = md.convert(text or "")
    clean = nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        id_prefix=HEADING_ID_PREFIX,
        strip_comments=True,
    )
    return RenderedMarkdown(mark_safe(clean), _flatten_toc(md.toc_tokens))  # noqa: S308 - nh3-cleaned
