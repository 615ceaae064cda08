"""Markdown to safe HTML for posts.

The body is stored as written (exports must reproduce it) and rendered here: Python-
Markdown, then nh3 with a tight allow-list. Compared with wagtail-markdown's default
sanitiser (which allows `style`, `class` and `id` everywhere, and `style` with
`url(...)` is a known CSS-injection route) we allow no style or event attribute at
all, only http(s)/mailto/tel and relative URLs, ids only on headings and prefixed so
that a post cannot clobber the page's own ids.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass, field
from importlib.metadata import version

import markdown
import nh3
from django.core.cache import cache
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


# Rendered bodies are cached under a hash of the text and of everything that shapes
# the output (the allow-lists, the prefix, both libraries' versions and this module's
# own code version below): a body is rendered once, whichever page or practice shows
# it (syndicated copies share it), and no change can ever be served stale HTML.
RENDERER_REVISION = 1
RENDER_CACHE_TIMEOUT = 60 * 60 * 24 * 30
_RENDERER_KEY = hashlib.sha256(
    repr(
        (
            RENDERER_REVISION,
            sorted(ALLOWED_TAGS),
            sorted((tag, sorted(names)) for tag, names in ALLOWED_ATTRIBUTES.items()),
            sorted(URL_SCHEMES),
            HEADING_ID_PREFIX,
            version("markdown"),
            version("nh3"),
        )
    ).encode()
).hexdigest()[:16]


def render_markdown(text: str) -> RenderedMarkdown:
    """Sanitised HTML and the table of contents (h2/h3) of a Markdown body, from the
    cache when this exact body was rendered before."""
    digest = hashlib.sha256((text or "").encode()).hexdigest()
    key = f"blog:markdown:{_RENDERER_KEY}:{digest}"
    cached = cache.get(key)
    if cached is not None:
        html, toc = cached
        return RenderedMarkdown(mark_safe(html), toc)  # noqa: S308 - stored after nh3
    rendered = _render(text)
    cache.set(key, (str(rendered.html), rendered.toc), timeout=RENDER_CACHE_TIMEOUT)
    return rendered


def _render(text: str) -> RenderedMarkdown:
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
