"""Listings and feeds are kept per practice content generation (blog/routes.py): a warm
listing runs no query for its posts, every change in the practice shows on the next
view, and a post dated in the future appears when its date comes, with no publish."""

from __future__ import annotations

import datetime
import time

import pytest
import redis
from django.conf import settings as django_settings
from django.utils import timezone
from taggit.models import Tag

from blog.models import BlogIndexPage, BlogPostPage
from tests.blog.factories import AuthorFactory, make_post
from tests.factories import ImageFactory, PracticeFactory

pytestmark = pytest.mark.django_db
HOST = "aspen.example.test"
LISTINGS = ["/blog/", "/blog/?page=2", "/blog/tag/flu/", "/blog/feed/rss/", "/blog/feed/atom/"]


@pytest.fixture
def aspen(settings):
    settings.PAGE_CACHE_ENABLED = False  # every request below is a real render
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


def html(client, path: str) -> str:
    response = client.get(path, HTTP_HOST=HOST)
    assert response.status_code == 200, path
    return response.content.decode()


def test_a_warm_listing_or_feed_runs_no_query_and_renders_the_same(
    client, aspen, django_assert_num_queries
) -> None:
    for path in LISTINGS:
        cold = html(client, path)
        query = 1 if "/tag/" in path else 0  # the tag's name, for the heading
        with django_assert_num_queries(query):
            warm = html(client, path)
        cut = warm.index("<form") if "<form" in warm else len(warm)  # per-render tokens
        assert warm[:cut] == cold[:cut], path
    first = html(client, "/blog/")
    assert "Visit 0" in first
    assert "Visit 1" in first
    assert "Visit 2" not in first
    assert "Page 1 of 2" in first
    assert 'src="/media/' in first  # the card's rendition URL, from the kept image
    assert "Visit 2" in html(client, "/blog/?page=2")
    assert "Dr. Lena Ortiz" in html(client, "/blog/feed/atom/")


def test_a_publish_or_unpublish_in_the_practice_shows_on_the_next_view(client, aspen) -> None:
    for path in LISTINGS:
        html(client, path)
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
    # Live, but dated two seconds ahead: listings show it from then on, and no publish
    # (no invalidation) marks that moment.
    BlogPostPage.objects.filter(pk=post.pk).update(
        date=timezone.now() + datetime.timedelta(seconds=2)
    )
    from django.core.cache import cache

    cache.clear()  # the update above bypassed the invalidation, on purpose
    assert "Tomorrow today" not in html(client, "/blog/")
    assert "Tomorrow today" not in html(client, "/blog/feed/rss/")
    time.sleep(2.5)  # no clock-faking library is installed
    assert "Tomorrow today" in html(client, "/blog/")
    assert "Tomorrow today" in html(client, "/blog/feed/rss/")


def test_pages_past_the_end_and_empty_listings_are_not_kept(client, aspen) -> None:
    server = redis.Redis.from_url(django_settings.REDIS_URL)

    def kept_listings() -> int:
        return len(server.keys("*blog-listing:*"))

    html(client, "/blog/")
    before = kept_listings()
    assert before == 1
    for path in ["/blog/?page=3", "/blog/?page=0", "/blog/?page=99999"]:
        assert client.get(path, HTTP_HOST=HOST).status_code == 404, path
    for year in range(1990, 2000):  # any year is a valid, empty archive
        assert "No posts yet." in html(client, f"/blog/{year}/")
    assert kept_listings() == before
    Tag.objects.create(name="Unused topic", slug="unused-topic")  # another practice's
    feeds = len(server.keys("*blog-feed:*"))
    assert "<item>" not in html(client, "/blog/tag/unused-topic/feed/rss/")
    assert len(server.keys("*blog-feed:*")) == feeds
    # Not a number: the first page, as Django's paginator gives it.
    assert "Page 1 of 2" in html(client, "/blog/?page=abc")
