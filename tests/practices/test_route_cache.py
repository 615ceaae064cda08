"""What routing finds is kept per practice and path (practices.routing): a warm page is
routed with no query, and every change that could alter what a URL serves takes
effect on the next request, exactly as for the page cache (page_cache.invalidation)."""

from __future__ import annotations

import pytest
import redis
from django.conf import settings as django_settings
from wagtail.models import Page, PageViewRestriction

from blog.models import BlogIndexPage
from tests.blog.factories import AuthorFactory, make_post
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db
HOST = "linden.example.test"


@pytest.fixture
def linden(settings):
    settings.PAGE_CACHE_ENABLED = False  # every request below is a real render
    practice = PracticeFactory(name="Linden Clinic", slug="linden", hostname=HOST)
    index = BlogIndexPage.objects.child_of(practice.site.root_page).get()
    author = AuthorFactory(name="Dr. Ines Park", practice=practice)
    make_post(index, title="Flu season", slug="flu-season", author=author, tags=["flu"])
    make_post(index, title="Allergies", slug="allergies", days_ago=3, author=author)
    return practice


def get(client, path: str):
    return client.get(path, HTTP_HOST=HOST)


def warm(client, path: str, django_assert_max_num_queries) -> str:
    """The page, then proof that a second view was routed from the cache."""
    get(client, path)
    with django_assert_max_num_queries(0):
        response = get(client, path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_a_warm_page_is_routed_without_queries_and_renders_the_same(
    client, linden, django_assert_max_num_queries
) -> None:
    from django.core.cache import cache

    warm_html = warm(client, "/blog/flu-season/", django_assert_max_num_queries)
    cache.clear()
    cold_html = get(client, "/blog/flu-season/").content.decode()
    assert "<h1>Flu season</h1>" in warm_html
    assert "Dr. Ines Park" in warm_html
    # The embedded form carries per-render tokens: compare what precedes it.
    cut = warm_html.index("<form")
    assert warm_html[:cut] == cold_html[:cut]


def test_unpublishing_and_renaming_take_effect_at_once(
    client, linden, django_assert_max_num_queries
) -> None:
    warm(client, "/blog/flu-season/", django_assert_max_num_queries)
    warm(client, "/blog/allergies/", django_assert_max_num_queries)

    Page.objects.get(slug="allergies").specific.unpublish()
    assert get(client, "/blog/allergies/").status_code == 404

    post = Page.objects.get(slug="flu-season").specific
    post.slug = "flu-season-2026"
    post.save_revision().publish()
    assert get(client, "/blog/flu-season/").status_code == 404
    assert "<h1>Flu season</h1>" in get(client, "/blog/flu-season-2026/").content.decode()


def test_a_joined_author_change_is_shown_at_once(
    client, linden, django_assert_max_num_queries
) -> None:
    from blog.models import Author

    warm(client, "/blog/flu-season/", django_assert_max_num_queries)
    author = Author.objects.get(name="Dr. Ines Park")
    author.name = "Dr. Ines Park-Lee"
    author.save()
    assert "Dr. Ines Park-Lee" in get(client, "/blog/flu-season/").content.decode()


def test_a_new_view_restriction_applies_to_a_warm_page(
    client, linden, django_assert_max_num_queries
) -> None:
    warm(client, "/blog/flu-season/", django_assert_max_num_queries)
    PageViewRestriction.objects.create(
        page=Page.objects.get(slug="flu-season"),
        restriction_type=PageViewRestriction.PASSWORD,
        password="s3cret-pass",
    )
    html = get(client, "/blog/flu-season/").content.decode()
    assert "<h1>Flu season</h1>" not in html
    assert 'name="password"' in html


def test_unknown_urls_leave_nothing_in_the_cache(client, linden) -> None:
    """A 404 is not kept: made-up URLs (scanners) cannot fill Redis."""
    connection = redis.Redis.from_url(django_settings.CACHES["default"]["LOCATION"])
    assert get(client, "/blog/flu-season/").status_code == 200
    assert get(client, "/blog/nope-0/").status_code == 404
    keys_before = connection.dbsize()
    for number in range(1, 30):
        assert get(client, f"/blog/nope-{number}/").status_code == 404
        assert get(client, f"/no/such/page-{number}/").status_code == 404
    assert connection.dbsize() == keys_before


def test_an_image_hash_computed_late_reaches_the_kept_page(client, linden, monkeypatch) -> None:
    """Rendition cache keys include the image's file hash, which Wagtail computes and
    saves on first use when an upload has none: the routed page kept with the image
    must not go on asking for renditions under the old, empty hash."""
    from agency_platform.media.models import PracticeImage
    from tests.factories import ImageFactory
    from tests.media.test_rendition_lookup import CacheCalls

    image = ImageFactory(collection=linden.collection, description="Waiting room")
    PracticeImage.objects.filter(pk=image.pk).update(file_hash="")  # an older upload
    post = Page.objects.get(slug="flu-season").specific
    post.hero_image = PracticeImage.objects.get(pk=image.pk)
    post.save_revision().publish()
    get(client, "/blog/flu-season/")  # routes, then computes and saves the hash
    assert PracticeImage.objects.get(pk=image.pk).file_hash
    calls = CacheCalls(monkeypatch)
    html = get(client, "/blog/flu-season/").content.decode()
    # Routed again after the new hash: both hero renditions found in one read, none
    # made again, and kept with the page for the views after this one.
    assert calls.calls == ["get_many"]
    assert 'alt="Waiting room"' in html


def test_a_warm_member_page_reads_no_rendition(client, linden, monkeypatch) -> None:
    """The portrait's renditions (social card and <picture>) are kept with the routed
    page: TeamMemberPage.PORTRAIT_RENDITIONS must list what the template asks for."""
    from tests.media.test_rendition_lookup import CacheCalls
    from tests.practices.team_fixtures import add_member

    member = add_member(linden, "Dr. Omar Haddad")
    url = member.relative_url(linden.site)
    get(client, url)  # routes, makes the renditions, keeps them with the page
    calls = CacheCalls(monkeypatch)
    html = get(client, url).content.decode()
    assert calls.calls == []
    assert "<picture>" in html
    assert 'type="image/webp"' in html
    assert 'property="og:image"' in html
