"""PageCacheMiddleware: hits without any database query, keys, bypasses, headers."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.blog.factories import make_post
from tests.factories import editor_of
from tests.page_cache.conftest import ALPHA, BRAVO, get

# The form-token route (see urls.py here) lets pages with the embedded request form be cached.
pytestmark = [pytest.mark.django_db]


def blog_index(practice):
    from blog.models import BlogIndexPage

    return BlogIndexPage.objects.descendant_of(practice.site.root_page).get()


def test_a_second_visit_is_a_hit_without_any_query(client, alpha, django_assert_num_queries):
    make_post(blog_index(alpha), title="Flu season is here")
    first = get(client, "/blog/")
    assert first.status_code == 200
    assert first["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        second = get(client, "/blog/")
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert "Flu season is here" in second.content.decode()
    # Outer middleware still runs on a hit: security headers and the CSP.
    assert second["Content-Security-Policy"]
    assert second["X-Content-Type-Options"] == "nosniff"
    assert second["Content-Type"].startswith("text/html")


def test_hosts_paths_and_key_parameters_get_their_own_entries(client, alpha, bravo):
    alpha_home = get(client, "/")
    bravo_home = get(client, "/", host=BRAVO)
    assert "Alpha Family Care" in alpha_home.content.decode()
    assert "Bravo Dermatology" in bravo_home.content.decode()
    assert bravo_home["X-Cache"] == "MISS"  # not alpha's entry
    assert get(client, "/blog/")["X-Cache"] == "MISS"
    assert get(client, "/blog/?q=flu")["X-Cache"] == "MISS"
    assert get(client, "/blog/?q=flu")["X-Cache"] == "HIT"
    assert "flu" in get(client, "/blog/?q=flu").content.decode()
    # Tracking parameters do not fragment the cache: the same entry as /blog/.
    tracked = get(client, "/blog/?utm_source=newsletter&fbclid=abc")
    assert tracked["X-Cache"] == "HIT"
    assert tracked.content == get(client, "/blog/").content
    # Unknown parameters bypass the cache altogether (no entry, no header).
    assert "X-Cache" not in get(client, "/blog/?preview=1")
    assert "X-Cache" not in get(client, "/blog/?q=a&q=b")


def test_cache_headers_and_conditional_requests(client, alpha):
    post = make_post(blog_index(alpha), title="Sun safety")
    url = post.relative_url(alpha.site)
    response = get(client, url)
    assert response["Cache-Control"] == (
        "public, max-age=0, s-maxage=3600, stale-while-revalidate=30"
    )
    # The practice's key, and the agency's (a shared vocabulary changed: every page).
    assert response["Surrogate-Key"] == f"practice-{alpha.pk} agency"
    assert response["Cache-Tag"] == f"practice-{alpha.pk},agency"
    assert response["ETag"].startswith('"')
    post.refresh_from_db()
    from django.utils.http import http_date

    assert response["Last-Modified"] == http_date(post.last_published_at.timestamp())
    not_modified = get(client, url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == response["ETag"]
    since = get(client, url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304
    changed = get(client, url, HTTP_IF_NONE_MATCH='"something-else"')
    assert changed.status_code == 200
    assert "Sun safety" in changed.content.decode()


def test_head_requests_share_the_entry(client, alpha):
    assert get(client, "/")["X-Cache"] == "MISS"
    head = client.head("/", HTTP_HOST=ALPHA)
    assert head.status_code == 200
    assert head["X-Cache"] == "HIT"


def test_logged_in_editors_are_never_served_nor_stored(client, alpha):
    assert get(client, "/")["X-Cache"] == "MISS"
    editor_client = Client()
    editor_client.force_login(editor_of(alpha))
    response = get(editor_client, "/")
    assert response.status_code == 200
    assert "X-Cache" not in response
    assert response["Cache-Control"] == "private, no-cache"
    # The editor's render (with the Wagtail user bar) was not stored either.
    assert get(client, "/")["X-Cache"] == "HIT"
    assert "wagtail-userbar" not in get(client, "/").content.decode()
    assert "wagtail-userbar" in response.content.decode()


def test_drafts_and_previews_are_never_cached(client, alpha):
    post = make_post(blog_index(alpha), title="Published title")
    post.title = "Draft title"
    post.save_revision()
    editor_client = Client()
    editor_client.force_login(editor_of(alpha))
    draft = editor_client.get(f"/admin/pages/{post.pk}/view_draft/", HTTP_HOST=ALPHA)
    assert draft.status_code == 200
    assert "Draft title" in draft.content.decode()
    assert "X-Cache" not in draft
    public = get(client, post.relative_url(alpha.site))
    assert public["X-Cache"] == "MISS"
    assert "Draft title" not in public.content.decode()
    assert "Published title" in public.content.decode()


def test_not_found_and_unknown_hosts_are_not_cached(client, alpha):
    assert get(client, "/no-such-page/").status_code == 404
    assert "X-Cache" not in get(client, "/no-such-page/")
    assert get(client, "/", host="nobody.example.test").status_code == 404
    assert "X-Cache" not in get(client, "/", host="nobody.example.test")


def test_the_request_form_page_itself_is_never_cached(client, alpha):
    response = get(client, "/contact/")
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert "X-Cache" not in response
    assert "X-Cache" not in get(client, "/contact/")


def test_the_cache_can_be_switched_off(client, alpha, settings):
    settings.PAGE_CACHE_ENABLED = False
    assert "X-Cache" not in get(client, "/")
    assert "X-Cache" not in get(client, "/")
