"""Changes that make cached pages stale invalidate exactly the practices they affect."""

from __future__ import annotations

import pytest

from blog.models import BlogPostPage
from blog.services import syndication, syndication_jobs
from practices.models import BrandSettings, PracticeSettings, PracticeStatus
from practices.services.lifecycle import set_status
from tests.blog.factories import make_post
from tests.factories import PracticeFactory
from tests.page_cache.conftest import ALPHA, BRAVO, get
from tests.page_cache.test_middleware import blog_index
from tests.practices.team_fixtures import add_member

pytestmark = [pytest.mark.django_db]


def warm(client, *pairs: tuple[str, str]) -> None:
    """Cache these (host, path) pages and check they are hits now."""
    for host, path in pairs:
        get(client, path, host=host)
        assert get(client, path, host=host)["X-Cache"] == "HIT", (host, path)


def state(client, host: str, path: str) -> tuple[str, str]:
    response = get(client, path, host=host)
    return response.get("X-Cache", "-"), response.content.decode()


def test_publishing_a_post_invalidates_its_practice_only(client, alpha, bravo):
    make_post(blog_index(alpha), title="Older news")
    warm(client, (ALPHA, "/"), (ALPHA, "/blog/"), (BRAVO, "/blog/"))
    post = make_post(blog_index(alpha), title="Flu shots are in")
    assert state(client, ALPHA, "/")[0] == "MISS"  # the whole practice, home included
    for path in ("/blog/", "/blog/feed/rss/", "/sitemap.xml"):
        cached, html = state(client, ALPHA, path)
        assert cached == "MISS", path
        assert "Flu shots are in" in html or post.slug in html, path
    assert state(client, BRAVO, "/blog/")[0] == "HIT"


def test_unpublish_move_and_delete_invalidate(client, alpha, bravo):
    index = blog_index(alpha)
    post = make_post(index, title="Going away soon")
    url = post.relative_url(alpha.site)
    warm(client, (ALPHA, "/blog/"), (ALPHA, url), (BRAVO, "/blog/"))

    post.unpublish()
    assert state(client, ALPHA, url)[1].count("Going away soon") == 0
    cached, html = state(client, ALPHA, "/blog/")
    assert (cached, "Going away soon" in html) == ("MISS", False)

    post.save_revision().publish()
    warm(client, (ALPHA, "/blog/"), (ALPHA, url))
    other = make_post(index, title="A sibling post")
    warm(client, (ALPHA, "/blog/"))
    post.refresh_from_db()
    post.move(other, pos="left")  # a reorder: still under the blog index
    assert state(client, ALPHA, "/blog/")[0] == "MISS"

    warm(client, (ALPHA, "/blog/"), (ALPHA, url))
    BlogPostPage.objects.get(pk=post.pk).delete()
    assert get(client, url, host=ALPHA).status_code == 404
    cached, html = state(client, ALPHA, "/blog/")
    assert (cached, "Going away soon" in html) == ("MISS", False)
    assert state(client, BRAVO, "/blog/")[0] == "HIT"


def test_settings_and_brand_changes_invalidate_that_practice(client, alpha, bravo):
    warm(client, (ALPHA, "/"), (BRAVO, "/"))
    settings_row = PracticeSettings.for_site(alpha.site)
    settings_row.phone = "+1 512 555 0199"
    settings_row.save()
    cached, html = state(client, ALPHA, "/")
    assert cached == "MISS"
    assert "555" in html
    assert "0199" in html
    assert state(client, BRAVO, "/")[0] == "HIT"

    warm(client, (ALPHA, "/"))
    brand = BrandSettings.for_site(alpha.site)
    before = brand.version
    brand.primary_colour = "#123456"
    brand.save()
    cached, html = state(client, ALPHA, "/")
    assert cached == "MISS"
    assert BrandSettings.for_site(alpha.site).version != before
    assert BrandSettings.for_site(alpha.site).version in html
    assert state(client, BRAVO, "/")[0] == "HIT"


def test_a_syndicated_original_changing_invalidates_every_practice_with_a_copy(
    client, alpha, bravo
):
    library = PracticeFactory(
        name="Agency library", slug="library", hostname="library.example.test",
        template="agency-marketing",
    )  # fmt: skip
    PracticeFactory(name="Charlie Clinic", slug="charlie", hostname="charlie.test")
    original = make_post(blog_index(library), title="Sun safety", audience="patients")
    copies = {
        host: syndication.syndicate_to_practice(original, practice)
        for host, practice in ((ALPHA, alpha), (BRAVO, bravo))
    }
    urls = {host: copy.relative_url(copy.get_site()) for host, copy in copies.items()}
    warm(client, *((host, url) for host, url in urls.items()), ("charlie.test", "/blog/"))

    draft = original.get_latest_revision_as_object()
    draft.title = "Sun safety for children"
    draft.save_revision().publish()
    # At once, before the worker syncs the copies: every copy's practice is stale...
    for host, url in urls.items():
        assert state(client, host, url)[0] == "MISS", host
    assert state(client, "charlie.test", "/blog/")[0] == "HIT"
    # ...and when the copies are synced (a worker's job), the new title is served.
    warm(client, *urls.items())
    syndication_jobs.sync_copies(original.pk)
    for host, url in urls.items():
        cached, html = state(client, host, url)
        assert (cached, "Sun safety for children" in html) == ("MISS", True), host


def test_team_changes_invalidate_the_team_pages(client, alpha, bravo):
    first = add_member(alpha, "Ana Ruiz")
    member_url = first.relative_url(alpha.site)
    warm(client, (ALPHA, "/team/"), (ALPHA, member_url), (BRAVO, "/team/"))
    add_member(alpha, "Ben Cho")
    cached, html = state(client, ALPHA, "/team/")
    assert (cached, "Ben Cho" in html) == ("MISS", True)

    warm(client, (ALPHA, "/team/"), (ALPHA, member_url))
    draft = first.get_latest_revision_as_object()
    draft.role_title = "Chief of paediatrics"
    draft.save_revision().publish()
    for path in ("/team/", member_url):
        cached, html = state(client, ALPHA, path)
        assert (cached, "Chief of paediatrics" in html) == ("MISS", True), path
    assert state(client, BRAVO, "/team/")[0] == "HIT"


def test_a_suspended_practice_is_not_served_from_the_cache(client, alpha, bravo):
    warm(client, (ALPHA, "/"), (BRAVO, "/"))
    set_status(alpha, PracticeStatus.SUSPENDED)
    response = get(client, "/", host=ALPHA)
    assert response.status_code == 503
    assert "X-Cache" not in response
    assert state(client, BRAVO, "/")[0] == "HIT"
    set_status(alpha, PracticeStatus.LIVE)
    assert get(client, "/", host=ALPHA)["X-Cache"] == "MISS"


def test_a_hostname_change_stops_serving_the_old_hostname(client, alpha):
    warm(client, (ALPHA, "/"))
    site = alpha.site
    site.hostname = "alpha-new.example.test"
    site.save()
    assert get(client, "/", host=ALPHA).status_code == 404
    cached, html = state(client, "alpha-new.example.test", "/")
    assert (cached, "Alpha Family Care" in html) == ("MISS", True)


def test_an_evicted_generation_never_revives_old_entries(client, alpha):
    from django.core.cache import cache

    from agency_platform.core import freshness

    for key in (freshness.practice_key(ALPHA), freshness.AGENCY_KEY):
        warm(client, (ALPHA, "/"))
        cache.delete(key)  # as if Redis evicted it
        assert get(client, "/", host=ALPHA)["X-Cache"] == "MISS", key
        assert get(client, "/", host=ALPHA)["X-Cache"] == "HIT", key


def test_changed_image_invalidates_its_practice_and_a_new_upload_does_not(client, alpha, bravo):
    from tests.factories import ImageFactory

    post = make_post(blog_index(alpha), title="With a picture")
    image = ImageFactory(collection=alpha.collection, description="Old alt text")
    post.hero_image = image
    post.save_revision().publish()
    url = post.relative_url(alpha.site)
    warm(client, (ALPHA, url), (BRAVO, "/blog/"))
    ImageFactory(collection=alpha.collection)  # uploaded, not shown anywhere yet
    assert state(client, ALPHA, url)[0] == "HIT"
    image.description = "The front desk at opening time"
    image.save()
    cached, html = state(client, ALPHA, url)
    assert cached == "MISS"
    assert "The front desk at opening time" in html
    assert state(client, BRAVO, "/blog/")[0] == "HIT"
