"""Rendered Markdown is kept under a hash of the body and of the renderer: a body is
rendered once whichever post shows it, and an edit is never answered with old HTML."""

from __future__ import annotations

import hashlib

import pytest
from django.core.cache import cache

from blog import markdown
from blog.models import BlogIndexPage, BlogPostPage
from tests.blog.factories import make_post
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db
HOST = "willow.example.test"


def key_of(text: str) -> str:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return f"blog:markdown:{markdown._RENDERER_KEY}:{digest}"


def test_a_body_is_rendered_once_and_served_from_the_cache() -> None:
    text = "## Flu shots\n\nWalk-in **Tuesdays**."
    first = markdown.render_markdown(text)
    assert cache.get(key_of(text)) == (str(first.html), first.toc)
    # What is kept is what is served: a marked entry comes back as is.
    cache.set(key_of(text), ("<p>kept</p>", []))
    assert str(markdown.render_markdown(text).html) == "<p>kept</p>"
    assert "Walk-in <strong>Tuesdays</strong>" in str(markdown.render_markdown(text + " ").html)


def test_an_edited_body_shows_on_the_next_view(client, settings) -> None:
    settings.PAGE_CACHE_ENABLED = False
    practice = PracticeFactory(name="Willow", slug="willow", hostname=HOST)
    index = BlogIndexPage.objects.descendant_of(practice.site.root_page).get()
    post = make_post(index, title="Hours", body="## Hours\n\nOpen *Mondays*.")
    url = post.relative_url(practice.site)
    assert "Open <em>Mondays</em>" in client.get(url, HTTP_HOST=HOST).content.decode()
    post = BlogPostPage.objects.get(pk=post.pk)
    post.body = "## Hours\n\nOpen *Saturdays*."
    post.save_revision().publish()
    html = client.get(url, HTTP_HOST=HOST).content.decode()
    assert "Open <em>Saturdays</em>" in html
    assert "Mondays" not in html
    assert 'id="section-hours"' in html
