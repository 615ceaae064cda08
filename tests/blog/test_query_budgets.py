"""Blog pages render in a constant number of queries as posts and practices grow."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.models import BlogIndexPage, BlogPostPage, BlogPostTag, Product
from tests.blog.factories import AuthorFactory
from tests.factories import ImageFactory, PracticeFactory

pytestmark = pytest.mark.django_db
HOST = "riverside.example.test"
URLS = ["/blog/", "/blog/?page=2", "/blog/tag/vaccines/", "/blog/product/telehealth/",
        "/blog/feed/rss/", "/blog/feed/atom/", "/blog/post-0/"]  # fmt: skip
# Budgets include host routing, the cached site bundle, routing (warm: no query), the
# page itself and its listing: a regression shows up as a higher count, growth as a
# difference. tests/core/test_query_budgets.py covers every other public page type.
BUDGETS = {
    "/blog/": 0,  # listings and feeds are kept per practice content generation
    "/blog/?page=2": 0,
    "/blog/tag/vaccines/": 1,  # the tag's name, for the heading
    "/blog/product/telehealth/": 1,
    "/blog/feed/rss/": 0,
    "/blog/feed/atom/": 0,
    "/blog/post-0/": 0,  # routing, surroundings and the embedded form's rows are kept
}


def add_posts(index, practice, start: int, count: int) -> None:
    """Posts as the importer makes them (tags, a product, an author, a hero image)."""
    author = AuthorFactory(name="Dr. Ana Ruiz", practice=practice)
    product, _ = Product.objects.get_or_create(name="Telehealth")
    image = ImageFactory(collection=practice.collection, description="Clinic")
    now = timezone.now()
    for number in range(start, start + count):
        post = BlogPostPage(
            title=f"Post {number}", slug=f"post-{number}", intro=f"Intro {number}",
            body=f"## Heading {number}\n\nBody with [a link](https://example.com/{number}).",
            date=now - datetime.timedelta(hours=number + 1), author=author, hero_image=image,
            first_published_at=now, last_published_at=now,
        )  # fmt: skip
        index.add_child(instance=post)
        BlogPostTag.objects.create(content_object=post, tag_id=_tag_id("Vaccines"))
        post.products.add(product)
        post.save()  # a ParentalManyToManyField is written on save


def _tag_id(name: str) -> int:
    from taggit.models import Tag

    return Tag.objects.get_or_create(name=name, defaults={"slug": name.lower()})[0].pk


def count_queries(client, url: str) -> int:
    client.get(url, HTTP_HOST=HOST)  # renditions are created on first view; measure the next
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_HOST=HOST)
    assert response.status_code == 200, url
    assert "Intro " in response.content.decode(), url  # every listing and feed has posts
    return len(queries)


def test_blog_query_counts_do_not_grow_with_posts_or_practices(client, riverside, settings) -> None:
    settings.PAGE_CACHE_ENABLED = False  # measure real renders, not page cache hits
    index = BlogIndexPage.objects.descendant_of(riverside.site.root_page).get()
    index.posts_per_page = 2  # so that page 2 exists with 5 posts
    index.save()
    PracticeFactory()
    add_posts(index, riverside, 0, 5)
    small = {url: count_queries(client, url) for url in URLS}

    add_posts(index, riverside, 5, 195)
    for _ in range(18):
        PracticeFactory()
    large = {url: count_queries(client, url) for url in URLS}

    assert small == large
    for url, budget in BUDGETS.items():
        assert large[url] <= budget, f"{url}: {large[url]} queries"


def test_search_results_carry_what_a_card_needs(riverside, django_assert_max_num_queries) -> None:
    """selectors.search: two queries for a page of results, whatever its length (the
    route in blog/routes.py is to call it instead of published_posts().search())."""
    from blog import selectors

    index = BlogIndexPage.objects.descendant_of(riverside.site.root_page).get()
    for start, count in ((0, 3), (3, 27)):
        add_posts(index, riverside, start, count)
        for post in selectors.search(index, "intro")[:30]:
            post.hero_image.get_rendition("fill-640x360")  # renditions exist, as in a view
        with django_assert_max_num_queries(2):
            results = list(selectors.search(index, "intro")[:30])
            cards = [
                (post.title, post.author.name, post.hero_image.get_rendition("fill-640x360").url)
                for post in results
            ]
        assert len(cards) == start + count
        assert cards[0][1] == "Dr. Ana Ruiz"
