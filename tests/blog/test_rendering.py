"""Public blog pages: listing, filters, post page, SEO, feeds, isolation."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from blog.models import BlogIndexPage
from tests.blog.factories import AuthorFactory, make_post
from tests.factories import ImageFactory, PracticeFactory

pytestmark = pytest.mark.django_db
HOST = "riverside.example.test"


def get(client, path: str, host: str = HOST):
    response = client.get(path, HTTP_HOST=host)
    return response, response.content.decode()


@pytest.fixture
def posts(riverside, riverside_blog):
    author = AuthorFactory(name="Dr. Ana Ruiz", practice=riverside)
    image = ImageFactory(collection=riverside.collection, description="Two nurses smiling")
    first = make_post(
        riverside_blog,
        title="Flu season tips",
        days_ago=40,
        tags=["Vaccines"],
        products=["Social Reputation"],
        post_types=["blog"],
        author=author,
        hero_image=image,
        body="## Get vaccinated\n\nSee [CDC](https://www.cdc.gov/).\n\n## Stay home\n",
    )
    second = make_post(
        riverside_blog,
        title="Healthy summer",
        days_ago=5,
        tags=["Vaccines", "Summer"],
        post_types=["news"],
        author=author,
    )
    make_post(riverside_blog, title="Draft idea", days_ago=1, publish=False)
    return first, second  # fmt: skip


def test_index_lists_live_posts_newest_first(client, posts) -> None:
    response, html = get(client, "/blog/")
    titles = re.findall(r'class="post-card__title"><a href="[^"]+">([^<]+)</a>', html)
    assert response.status_code == 200
    assert titles == ["Healthy summer", "Flu season tips"]
    assert "Draft idea" not in html
    assert '<link rel="alternate" type="application/rss+xml"' in html


@pytest.mark.parametrize(
    ("path", "expected", "heading"),
    [
        ("/blog/tag/summer/", ["Healthy summer"], "Posts tagged “Summer”"),
        ("/blog/product/social-reputation/", ["Flu season tips"], "Posts about Social Reputation"),
        ("/blog/type/news/", ["Healthy summer"], "news posts"),
        (
            "/blog/author/dr-ana-ruiz/",
            ["Healthy summer", "Flu season tips"],
            "Posts by Dr. Ana Ruiz",
        ),
        ("/blog/?q=flu", ["Flu season tips"], "Search results for “flu”"),
    ],
)
def test_filters_have_clean_urls(client, posts, path, expected, heading) -> None:
    _, html = get(client, path)
    titles = re.findall(r'class="post-card__title"><a href="[^"]+">([^<]+)</a>', html)
    assert titles == expected
    assert f"<h1>{heading}</h1>" in html


def test_archives_by_year_and_month(client, posts) -> None:
    first, _ = posts
    _, html = get(client, f"/blog/{first.date.year}/{first.date.month}/")
    assert "Flu season tips" in html
    assert get(client, "/blog/2001/13/")[0].status_code == 404


def test_post_page_renders_body_seo_and_structured_data(client, posts) -> None:
    response, html = get(client, "/blog/flu-season-tips/")
    assert response.status_code == 200
    assert '<h2 id="section-get-vaccinated">Get vaccinated</h2>' in html
    assert '<a href="https://www.cdc.gov/" rel="noopener">CDC</a>' in html
    assert (
        '<link rel="canonical" href="http://riverside.example.test/blog/flu-season-tips/">' in html
    )
    assert '<meta name="description" content="Intro of Flu season tips.">' in html
    assert '<meta property="og:image:alt" content="Two nurses smiling">' in html
    assert "1 min read" in html
    assert "<title>Flu season tips | Riverside Family Medicine</title>" in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "Flu season tips"
    assert data["author"] == {"@type": "Person", "name": "Dr. Ana Ruiz"}
    assert data["publisher"]["name"] == "Riverside Family Medicine"
    assert data["image"].startswith("http://riverside.example.test/")
    # Related (shares the Vaccines tag) and next (newer) post.
    assert 'id="related-heading"' in html
    assert re.search(r'rel="next" href="/blog/healthy-summer/">Healthy summer', html)


def test_table_of_contents_when_enabled(client, riverside_blog) -> None:
    make_post(riverside_blog, title="With toc", body="## One\n\ntext\n\n### Sub\n\n## Two\n",
              show_table_of_contents=True)  # fmt: skip
    _, html = get(client, "/blog/with-toc/")
    assert '<a href="#section-one">One</a>' in html
    assert '<li class="toc__level-3"><a href="#section-sub">Sub</a></li>' in html


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_per_blog_and_per_tag(client, posts, kind) -> None:
    response, body = get(client, f"/blog/feed/{kind}/")
    assert response.status_code == 200
    root = ET.fromstring(body)
    text = ET.tostring(root, encoding="unicode")
    assert "Healthy summer" in text
    assert "Flu season tips" in text
    assert "Draft idea" not in text
    _, tag_body = get(client, f"/blog/tag/summer/feed/{kind}/")
    assert "Healthy summer" in tag_body
    assert "Flu season tips" not in tag_body


def test_scheduled_post_is_hidden_until_its_date(client, riverside_blog) -> None:
    make_post(riverside_blog, title="Tomorrow", days_ago=-1)
    _, html = get(client, "/blog/")
    assert "Tomorrow" not in html


def test_a_post_of_a_is_never_listed_or_served_on_b(client, posts) -> None:
    bravo = PracticeFactory(name="Bravo Skin", slug="bravo", hostname="bravo.example.test")
    bravo_blog = BlogIndexPage.objects.descendant_of(bravo.site.root_page).get()
    make_post(bravo_blog, title="Bravo news")
    _, listing = get(client, "/blog/", host="bravo.example.test")
    assert "Bravo news" in listing
    assert "Flu season tips" not in listing
    assert get(client, "/blog/flu-season-tips/", host="bravo.example.test")[0].status_code == 404
    _, feed = get(client, "/blog/feed/rss/", host="bravo.example.test")
    assert "Flu season tips" not in feed
    _, search = get(client, "/blog/?q=flu", host="bravo.example.test")
    assert "Flu season tips" not in search
