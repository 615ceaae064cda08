"""Listings and feeds stay fresh with every cache layer on: a publish or unpublish in
the practice shows on the next view, and a post dated in the future appears when its
date comes, though no publish marks that moment (core.freshness.fresh_for caps the
page-cache entry and the edge's s-maxage at the time the post is due)."""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.core.cache import cache
from django.utils import timezone

from blog.models import BlogIndexPage, BlogPostPage
from tests.blog.factories import AuthorFactory, make_post
from tests.factories import ImageFactory, PracticeFactory

pytestmark = pytest.mark.django_db
HOST = "aspen.example.test"
LISTINGS = ["/blog/", "/blog/tag/flu/", "/blog/feed/rss/", "/blog/feed/atom/"]


@pytest.fixture
def aspen(settings):
    settings.PAGE_CACHE_ENABLED = True
    practice = PracticeFactory(name="Aspen Clinic", slug="aspen", hostname=HOST)
    index = BlogIndexPage.objects.child_of(practice.site.root_page).get()
    index.posts_per_page = 2
    index.save_revision().publish()
    author = AuthorFactory(name="Dr. Lena Ortiz", practice=practice)
    image = ImageFactory(collection=practice.collection, description="Waiting room")
    for number in range(3):
        make_post(
            index, title=f"Visit {number}", slug=f"visit-{number}", days_ago=number + 1,
            author=author, hero_image=image, tags=["flu"],
        )  # fmt: skip
    return practice


def get(client, path: str):
    response = client.get(path, HTTP_HOST=HOST)
    assert response.status_code == 200, path
    return response


def html(client, path: str) -> str:
    return get(client, path).content.decode()


def test_a_publish_or_unpublish_in_the_practice_shows_on_the_next_view(client, aspen) -> None:
    for path in [*LISTINGS, "/blog/?page=2"]:
        html(client, path)
        assert get(client, path)["X-Cache"] == "HIT", path
    assert "Visit 1" not in html(client, "/blog/?page=2")
    index = BlogIndexPage.objects.child_of(aspen.site.root_page).get()
    make_post(index, title="Fresh news", slug="fresh-news", days_ago=0, tags=["flu"])
    for path in ["/blog/", "/blog/tag/flu/", "/blog/feed/rss/"]:
        assert "Fresh news" in html(client, path), path
    assert "Visit 1" in html(client, "/blog/?page=2")  # every page moved down one post
    BlogPostPage.objects.get(slug="fresh-news").unpublish()
    for path in ["/blog/", "/blog/tag/flu/", "/blog/feed/rss/"]:
        assert "Fresh news" not in html(client, path), path


def test_a_future_dated_post_appears_when_its_date_comes(client, aspen) -> None:
    index = BlogIndexPage.objects.child_of(aspen.site.root_page).get()
    post = make_post(index, title="Tomorrow today", slug="tomorrow-today", tags=["flu"])
    # Live, but dated three seconds ahead: listings show it from then on, and no
    # publish (no invalidation) marks that moment.
    BlogPostPage.objects.filter(pk=post.pk).update(
        date=timezone.now() + datetime.timedelta(seconds=3)
    )
    cache.clear()  # the update above bypassed the invalidation, on purpose
    for path in LISTINGS:
        assert "Tomorrow today" not in html(client, path), path
        kept = get(client, path)
        assert kept["X-Cache"] == "HIT", path
        # The edge and browsers may keep it no longer than until the post is due.
        s_maxage = int(re.search(r"s-maxage=(\d+)", kept["Cache-Control"]).group(1))
        assert s_maxage <= 3, (path, kept["Cache-Control"])
        assert "stale-while-revalidate=0" in kept["Cache-Control"], path
    time.sleep(3.5)  # no clock-faking library is installed
    for path in LISTINGS:
        assert "Tomorrow today" in html(client, path), path


def test_a_listing_with_nothing_due_keeps_the_usual_lifetime(client, aspen, settings) -> None:
    html(client, "/blog/")
    kept = get(client, "/blog/")
    assert f"s-maxage={settings.PAGE_CACHE_CDN_MAX_AGE}" in kept["Cache-Control"]
    assert "stale-while-revalidate=0" not in kept["Cache-Control"]


def test_page_numbers_past_the_end_or_not_numbers(client, aspen) -> None:
    for path in ["/blog/?page=3", "/blog/?page=0", "/blog/?page=99999"]:
        assert client.get(path, HTTP_HOST=HOST).status_code == 404, path
    assert "Page 1 of 2" in html(client, "/blog/?page=abc")  # as Django's paginator does
    for year in range(1990, 1993):  # any year is a valid, empty archive
        assert "No posts yet." in html(client, f"/blog/{year}/")


def test_a_future_dated_post_appears_in_the_home_pages_latest_posts_when_due(client, aspen) -> None:
    """The home page's latest-posts block (kept with the routed page) follows the same
    rule: neither the page cache, the edge nor the kept route outlives the due time."""
    home = aspen.site.root_page.specific
    assert any(child.block_type == "latest_posts" for child in home.body)
    index = BlogIndexPage.objects.child_of(aspen.site.root_page).get()
    post = make_post(index, title="Tomorrow today", slug="tomorrow-today", tags=["flu"])
    BlogPostPage.objects.filter(pk=post.pk).update(
        date=timezone.now() + datetime.timedelta(seconds=3)
    )
    cache.clear()  # the update above bypassed the invalidation, on purpose
    assert "Visit 0" in html(client, "/")
    assert "Tomorrow today" not in html(client, "/")
    kept = get(client, "/")
    assert kept["X-Cache"] == "HIT"
    s_maxage = int(re.search(r"s-maxage=(\d+)", kept["Cache-Control"]).group(1))
    assert s_maxage <= 3, kept["Cache-Control"]
    time.sleep(3.5)
    assert "Tomorrow today" in html(client, "/")
