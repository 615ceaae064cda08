"""URLs of a practice's pages are built from its bundle's root paths, not by scanning
every site's: the same URLs as Wagtail's, at a cost that does not grow with the
number of practices (issue 9's flat cost)."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from wagtail.models import Page, Site

from blog.models import BlogIndexPage
from practices.settings_cache import site_bundle
from tests.blog.factories import make_post
from tests.factories import PracticeFactory
from tests.practices.team_fixtures import add_member

pytestmark = pytest.mark.django_db
HOST = "cedar.example.test"
OTHER_PRACTICES = 6


@pytest.fixture
def cedar(settings):
    settings.PAGE_CACHE_ENABLED = False  # every request below is a real render
    practice = PracticeFactory(name="Cedar Clinic", slug="cedar", hostname=HOST)
    for number in range(OTHER_PRACTICES):
        PracticeFactory(
            name=f"Other {number}", slug=f"other-{number}", hostname=f"o{number}.example.test"
        )
    index = BlogIndexPage.objects.child_of(practice.site.root_page).get()
    for number in range(4):
        make_post(index, title=f"Post {number}", days_ago=number + 1, tags=["flu"])
    add_member(practice, "Dr Ada Cole")
    return practice


def get(client, path: str) -> str:
    response = client.get(path, HTTP_HOST=HOST)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def links(html: str) -> set[str]:
    return set(re.findall(r'(?:href|<loc>)="?([^"<]+)', html))


def wagtail_url(page: Page, rf, site: Site) -> str:
    """The URL Wagtail's own code gives, scanning every site's root path: a request
    without a bundle (as in the admin or a task)."""
    request = rf.get("/", HTTP_HOST=HOST)
    request._wagtail_site = site
    return page.get_url(request)


PATHS = ("/", "/blog/", "/blog/post-0/", "/blog/tag/flu/", "/blog/feed/rss/", "/team/",
         "/team/dr-ada-cole/", "/sitemap.xml")  # fmt: skip


def test_warm_pages_never_scan_every_site(client, cedar) -> None:
    for path in PATHS:
        get(client, path)  # warms the bundle, renditions and Wagtail's caches
    with mock.patch.object(Site, "get_site_root_paths", wraps=Site.get_site_root_paths) as scan:
        pages = {path: get(client, path) for path in PATHS}
    assert scan.call_count == 0
    # The links are still there, pointing at this practice.
    assert 'href="/blog/post-1/"' in pages["/blog/"]
    assert f"<loc>http://{HOST}/team/dr-ada-cole/</loc>" in pages["/sitemap.xml"]
    assert f"http://{HOST}/blog/post-0/" in pages["/blog/feed/rss/"]
    every_link = {link for html in pages.values() for link in links(html)}
    assert not any("other-" in link or "o0.example" in link for link in every_link)


def test_urls_are_the_ones_wagtail_builds(client, cedar, rf) -> None:
    get(client, "/")
    request = rf.get("/", HTTP_HOST=HOST)
    request.site_bundle = site_bundle(cedar.site.pk)
    request._wagtail_site = cedar.site
    home = cedar.site.root_page
    pages = list(home.get_descendants(inclusive=True).specific())
    assert len(pages) > 8
    for page in pages:
        expected = wagtail_url(page.__class__.objects.get(pk=page.pk), rf, cedar.site)
        with mock.patch.object(Site, "get_site_root_paths") as scan:
            assert page.get_url(request) == expected, page.url_path
        assert scan.call_count == 0
        assert page.get_full_url(request) == f"http://{HOST}{expected}"


def test_another_practices_page_gets_wagtails_url(client, cedar, rf) -> None:
    other = Site.objects.get(hostname="o0.example.test")
    request = rf.get("/", HTTP_HOST=HOST)
    request.site_bundle = site_bundle(cedar.site.pk)
    request._wagtail_site = cedar.site
    page = BlogIndexPage.objects.child_of(other.root_page).get()
    assert page.get_url(request) == "http://o0.example.test/blog/"


def test_a_second_site_for_the_practice_joins_the_bundle(client, cedar) -> None:
    assert [root.site_id for root in site_bundle(cedar.site.pk).root_paths] == [cedar.site.pk]
    second = Site.objects.create(
        hostname="cedar-clinic.example.test", port=80, root_page=cedar.site.root_page
    )
    roots = {root.site_id for root in site_bundle(cedar.site.pk).root_paths}
    assert roots == {cedar.site.pk, second.pk}
    second.delete()
    assert [root.site_id for root in site_bundle(cedar.site.pk).root_paths] == [cedar.site.pk]


def test_the_admin_explorer_reads_the_site_root_paths_a_fixed_number_of_times(
    client, cedar, admin_user
) -> None:
    """Wagtail's explorer builds each row's URL without the request, so each row read
    (and unpickled) every site's root path: a cost per row that grew with the number
    of practices (10 reads for the 7 homes here). The request scope
    (core.middleware.RequestScopeMiddleware) keeps the list once per request; what is
    left does not depend on the rows."""
    from django.urls import reverse

    client.force_login(admin_user)
    blog = BlogIndexPage.objects.child_of(cedar.site.root_page).get()
    urls = [reverse("wagtailadmin_explore_root"), reverse("wagtailadmin_explore", args=[blog.pk])]

    def reads() -> list[int]:
        counts = []
        for url in urls:
            client.get(url)
            with mock.patch.object(
                Site, "get_site_root_paths", wraps=Site.get_site_root_paths
            ) as scan:
                response = client.get(url)
            assert response.status_code == 200
            counts.append(scan.call_count)
        return counts

    small = reads()
    for number in range(OTHER_PRACTICES, OTHER_PRACTICES + 4):
        PracticeFactory(name=f"Other {number}", slug=f"other-{number}",
                        hostname=f"o{number}.example.test")  # fmt: skip
    for number in range(4, 10):
        make_post(blog, title=f"Post {number}", days_ago=number + 1)
    assert reads() == small
    assert small[0] <= 4, small  # 10 before the scope
