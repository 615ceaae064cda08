"""Each practice's /sitemap.xml lists its own pages and posts only."""

from __future__ import annotations

import pytest

from blog.models import BlogIndexPage
from tests.blog.factories import make_post
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


def test_sitemap_is_per_site(client, riverside, riverside_blog) -> None:
    make_post(riverside_blog, title="Flu shots")
    bravo = PracticeFactory(name="Bravo", slug="bravo", hostname="bravo.example.test")
    make_post(BlogIndexPage.objects.descendant_of(bravo.site.root_page).get(), title="Bravo tips")

    xml = client.get("/sitemap.xml", HTTP_HOST="riverside.example.test").content.decode()

    assert "<loc>http://riverside.example.test/blog/flu-shots/</loc>" in xml
    assert "<loc>http://riverside.example.test/contact/</loc>" in xml
    assert "bravo" not in xml
