"""Nothing in a post's body or front matter becomes executable markup."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blog.markdown import render_markdown
from tests.blog.factories import AuthorFactory, make_post

pytestmark = pytest.mark.django_db

XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="behavior:url(x.htc)">x</p>',
    "<object data=x.swf></object><embed src=x.swf>",
    "<form action=https://evil.test><input name=q></form>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<details open ontoggle=alert(1)>",
    '"><script>alert(1)</script>',
    "</script><script>alert(1)</script>",
    "<style>body{display:none}</style>",
    '<base href="https://evil.test/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.test">',
    "<!--<script>alert(1)</script>-->",
    "```\n<script>alert(1)</script>\n```",
    '<h2 id="main" onclick="alert(1)">Main</h2>',
]
EXECUTABLE_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "form",
    "style",
    "base",
    "meta",
    "svg",
    "math",
}


class Audit(HTMLParser):
    """Collects every executable construct an HTML document contains."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.json_ld_blocks = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and attributes.get("type") == "application/ld+json":
            self.json_ld_blocks += 1
        elif tag == "form" and (attributes.get("action") or "").startswith("/"):
            pass  # the page's own search form, posting to this site
        elif tag in EXECUTABLE_TAGS and tag not in ("meta", "style"):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            dangerous_scheme = ("javascript:", "data:", "vbscript:")
            if name in ("href", "src", "action", "xlink:href", "data") and (
                (value or "").strip().lower().startswith(dangerous_scheme)
            ):
                self.problems.append(f"{tag}[{name}={value}]")
            if name == "style":
                self.problems.append(f"{tag}[style]")
        if tag == "meta" and attributes.get("http-equiv"):
            self.problems.append("<meta http-equiv>")
        if tag == "base":
            self.problems.append("<base>")


def audit(html: str) -> Audit:
    parser = Audit()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_markdown_renderer_neutralises_the_corpus(payload: str) -> None:
    html = str(render_markdown(f"Intro\n\n{payload}\n\nOutro"))
    assert audit(html).problems == []
    assert "<style" not in html.lower()
    assert 'id="main"' not in html


def test_post_page_with_hostile_body_and_front_matter(client, riverside, riverside_blog) -> None:
    hostile = "</script><script>alert(1)</script><img src=x onerror=alert(1)>"
    author = AuthorFactory(name=f"Dr. {hostile}", practice=riverside)
    make_post(
        riverside_blog,
        title=f"Title {hostile}",
        slug="hostile",
        intro=f"Intro {hostile}",
        highlight=f"Highlight {hostile}",
        body="\n\n".join(XSS_CORPUS),
        author=author,
        tags=[f"tag {hostile}"[:90]],
    )
    for path in ("/blog/hostile/", "/blog/", "/blog/feed/rss/", "/blog/feed/atom/"):
        html = client.get(path, HTTP_HOST="riverside.example.test").content.decode()
        report = audit(html)
        assert report.problems == [], path
    page = client.get("/blog/hostile/", HTTP_HOST="riverside.example.test").content.decode()
    assert audit(page).json_ld_blocks == 1
    # The JSON-LD block cannot be closed early by data inside it.
    json_ld = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in json_ld


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([*XSS_CORPUS, "## Heading", "text", "[a](https://ok.test)"]),
                min_size=1, max_size=6), st.text(max_size=40))  # fmt: skip
def test_any_mix_of_markdown_and_hostile_html_is_inert(parts: list[str], noise: str) -> None:
    html = str(render_markdown("\n\n".join([*parts, noise])))
    assert audit(html).problems == []
