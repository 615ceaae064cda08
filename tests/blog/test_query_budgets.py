"""Blog pages render in a constant number of queries as posts and practices grow."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
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
    # Warm (page cache off, routing kept): the listing's count, a page of posts with
    # author and hero image joined, the cards' renditions, the next post due
    # (core.freshness.fresh_for); a feed: posts, their tag names, the next post due.
    "/blog/": 4,
    "/blog/?page=2": 4,
    "/blog/tag/vaccines/": 5,  # and the tag's name, for the heading
    "/blog/product/telehealth/": 5,
    "/blog/feed/rss/": 3,
    "/blog/feed/atom/": 3,
    "/blog/post-0/": 0,  # routing, surroundings and the embedded form's rows are kept
}


# Cold: every kept entry gone (Redis cleared: host map, bundle, routing, listings,
# Markdown, form rows), renditions already made. Recomputed: the first view after a
# publish in the practice (its generation moved; content-addressed entries stay, the
# embedded form's rows do not).
COLD_BUDGETS = dict.fromkeys(URLS, 25)
RECOMPUTED_BUDGETS = dict.fromkeys(URLS, 15)
# A post also rebuilds its embedded form's rows, kept under the practice's generation
# since their provider and location choices read the team and the address (the
# form's fields, the team members, its live locations, the practice's settings while
# it has none: four queries), and recomputes its call to action (the site's
# BlogSettings with its target, the site's request form: two), kept with its
# surroundings.
RECOMPUTED_BUDGETS["/blog/post-0/"] = 20


def add_posts(index, practice, start: int, count: int) -> None:
    """Posts as the importer makes them (tags, a product, an author, a hero image),
    published through a revision as editors do: the practice's generation moves."""
    author = AuthorFactory(name="Dr. Ana Ruiz", practice=practice)
    product, _ = Product.objects.get_or_create(name="Telehealth")
    image = ImageFactory(collection=practice.collection, description="Clinic")
    now = timezone.now()
    for number in range(start, start + count):
        post = BlogPostPage(
            title=f"Post {number}", slug=f"post-{number}", intro=f"Intro {number}",
            body=f"## Heading {number}\n\nBody with [a link](https://example.com/{number}).",
            date=now - datetime.timedelta(hours=number + 1), author=author, hero_image=image,
            live=False,
        )  # fmt: skip
        index.add_child(instance=post)
        BlogPostTag.objects.create(content_object=post, tag_id=_tag_id("Vaccines"))
        post.products.add(product)
        post.save_revision().publish()


def _tag_id(name: str) -> int:
    from taggit.models import Tag

    return Tag.objects.get_or_create(name=name, defaults={"slug": name.lower()})[0].pk


def _view(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_HOST=HOST)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert "Intro " in html, url  # every listing and feed has posts
    return len(queries), html


def measure(client, index) -> dict[str, tuple[int, int, int]]:
    """(recomputed, cold, warm) queries per URL; checks the listing's size too."""
    counts = {}
    for url in URLS:
        index.save_revision().publish()  # a publish in the practice: generation moves
        recomputed, _ = _view(client, url)
        cache.clear()
        cold, _ = _view(client, url)
        warm, _ = _view(client, url)
        counts[url] = (recomputed, cold, warm)
    return counts


def pages_shown(client) -> str:
    html = client.get("/blog/", HTTP_HOST=HOST).content.decode()
    return re.search(r"Page 1 of (\d+)", html).group(1)


def test_blog_query_counts_do_not_grow_with_posts_or_practices(client, riverside, settings) -> None:
    settings.PAGE_CACHE_ENABLED = False  # measure real renders, not page cache hits
    index = BlogIndexPage.objects.descendant_of(riverside.site.root_page).get()
    index.posts_per_page = 2  # so that page 2 exists with 5 posts
    index.save_revision().publish()
    PracticeFactory()
    add_posts(index, riverside, 0, 5)
    for url in URLS:
        client.get(url, HTTP_HOST=HOST)  # renditions are made on the first view
    small = measure(client, index)
    assert pages_shown(client) == "3"

    add_posts(index, riverside, 5, 195)
    for _ in range(18):
        PracticeFactory()
    large = measure(client, index)
    # The large pass reads the large blog, not listings kept by the small one.
    assert pages_shown(client) == "100"

    print(f"\nqueries (recomputed, cold, warm): small={small}\nlarge={large}")
    for counts in (small, large):
        for url, (recomputed, cold, warm) in counts.items():
            assert warm <= BUDGETS[url], f"{url}: {warm} queries warm ({counts})"
            assert cold <= COLD_BUDGETS[url], f"{url}: {cold} queries cold ({counts})"
            assert recomputed <= RECOMPUTED_BUDGETS[url], f"{url}: {recomputed} ({counts})"
    # Cold and warm: the same count at both sizes; recomputed stays within its budget.
    assert {url: counts[1:] for url, counts in small.items()} == {
        url: counts[1:] for url, counts in large.items()
    }, f"{small} != {large}"


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
