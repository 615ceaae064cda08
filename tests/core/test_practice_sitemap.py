"""PracticeSitemap: the same sitemap as Wagtail's, in three queries at any size."""

from __future__ import annotations

import pytest
from wagtail.models import PageViewRestriction

from blog.models import BlogIndexPage
from tests.blog.factories import make_post
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db
HOST = "riverside.example.test"
PRACTICE_SITEMAP_URLS = "tests.core.practice_sitemap_urls"


@pytest.fixture
def blog(settings) -> BlogIndexPage:
    settings.PAGE_CACHE_ENABLED = False  # real renders
    practice = PracticeFactory(name="Riverside", slug="riverside", hostname=HOST)
    PracticeFactory(name="Bravo", slug="bravo", hostname="bravo.example.test")
    return BlogIndexPage.objects.descendant_of(practice.site.root_page).get()


def sitemap_xml(client) -> str:
    response = client.get("/sitemap.xml", HTTP_HOST=HOST)
    assert response.status_code == 200
    return response.content.decode()


def test_same_entries_as_wagtails_sitemap(client, settings, blog) -> None:
    for number in range(3):
        make_post(blog, title=f"Post {number}", slug=f"post-{number}")
    make_post(blog, title="Draft", slug="draft", publish=False)
    private = make_post(blog, title="Private", slug="private")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    wagtails = sitemap_xml(client)
    settings.ROOT_URLCONF = PRACTICE_SITEMAP_URLS
    ours = sitemap_xml(client)

    assert ours == wagtails
    assert f"<loc>http://{HOST}/blog/post-2/</loc>" in ours
    assert f"<loc>http://{HOST}/privacy/</loc>" in ours
    assert "/draft/" not in ours
    assert "/private/" not in ours
    assert "bravo" not in ours


def test_three_queries_with_3_or_60_posts(
    client, settings, blog, django_assert_max_num_queries
) -> None:
    settings.ROOT_URLCONF = PRACTICE_SITEMAP_URLS
    counts = []
    for start, count in ((0, 3), (3, 57)):
        for number in range(start, start + count):
            make_post(blog, title=f"Post {number}", slug=f"post-{number}")
        sitemap_xml(client)
        with django_assert_max_num_queries(3) as captured:
            xml = sitemap_xml(client)
        assert xml.count("/blog/post-") == start + count
        counts.append(len(captured))
    assert counts[0] == counts[1]
