"""Every public page type renders in a small, fixed number of queries: the same count
with 3 posts, 3 team members and 2 practices as with 40 posts, 30 members, 12 tags
and 15 practices.

Budgets are for a real render (the full-page cache is off), by an anonymous visitor,
once renditions exist (the first view generates them). They include host routing,
the site bundle (site, settings, navigation, the contact page: one cache read),
routing and the page's own content. What a page keeps between views is warm here,
as it is for every view but the first after a change: what routing found (per
practice content generation, practices.routing), the embedded form's rows (per
published form and practice generation), rendered Markdown (per body), a post's
surroundings (per practice content generation, with its route); listings compute
their page of posts on every render. The first view after a publish is measured
separately below. A page with no query left renders entirely
from what it keeps."""

from __future__ import annotations

import pytest
from wagtail.models import Page

from blog.models import BlogIndexPage
from tests.blog.factories import AuthorFactory, make_post
from tests.factories import ImageFactory, PracticeFactory
from tests.practices.team_fixtures import add_member, portrait

pytestmark = pytest.mark.django_db
HOST = "riverside.example.test"
TAGS = [f"Topic {number}" for number in range(12)]

# url -> (budget, text the page must show at both sizes)
PAGES = {
    "/": (0, "Riverside Family Medicine"),
    # A page of a listing is computed on every render (tests/blog/test_query_budgets.py
    # says which four queries); the page cache keeps the whole page.
    "/blog/": (4, "Post 0"),
    "/blog/?page=2": (4, "Page 2 of"),
    "/blog/tag/topic-0/": (5, "Posts tagged “Topic 0”"),  # and the tag's name
    "/blog/product/telehealth/": (5, "Posts about Telehealth"),  # and the product's name
    "/blog/feed/rss/": (3, "<title>Post 0</title>"),
    "/blog/feed/atom/": (3, "<title>Post 0</title>"),
    "/blog/post-1/": (0, "Related posts"),
    "/team/": (0, "Dr. Member 0"),
    "/team/dr-member-0/": (0, "Dr. Member 0"),
    # The form's fields, its provider choices (the team) and location choices (its live
    # location pages; the settings address while it has none, as a new practice).
    "/contact/": (4, 'name="submission_key"'),
    "/privacy/": (0, "Privacy policy"),
    "/sitemap.xml": (3, "/blog/post-0/"),
}


@pytest.fixture
def riverside(settings):
    settings.PAGE_CACHE_ENABLED = False  # measure real renders, not cache hits
    return PracticeFactory(
        name="Riverside Family Medicine", slug="riverside", hostname=HOST,
        template="family-medicine",
    )  # fmt: skip


def add_posts(practice, start: int, count: int) -> None:
    index = BlogIndexPage.objects.descendant_of(practice.site.root_page).get()
    author = AuthorFactory(name="Dr. Ana Ruiz", practice=practice)
    image = ImageFactory(collection=practice.collection, description="Clinic")
    for number in range(start, start + count):
        make_post(
            index, title=f"Post {number}", slug=f"post-{number}", days_ago=number + 1,
            tags=[TAGS[number % len(TAGS)], TAGS[(number + 1) % len(TAGS)]],
            products=["Telehealth"], post_types=["News"], author=author, hero_image=image,
        )  # fmt: skip


def add_members(practice, start: int, count: int) -> None:
    image = portrait(practice, f"Team portrait {start}")  # shared: renditions made once
    for number in range(start, start + count):
        add_member(
            practice, f"Dr. Member {number}", image=image,
            role_group="physicians" if number % 3 else "nurses",
            languages=("en", "es") if number % 2 else ("en",),
        )  # fmt: skip


def measure(client, django_assert_max_num_queries) -> dict[str, int]:
    counts = {}
    for url, (budget, text) in PAGES.items():
        client.get(url, HTTP_HOST=HOST)  # renditions and caches on first view
        with django_assert_max_num_queries(budget) as captured:
            response = client.get(url, HTTP_HOST=HOST)
        assert response.status_code == 200, url
        assert text in response.content.decode(), f"{url}: {text!r} missing"
        counts[url] = len(captured)
    return counts


def test_every_public_page_has_a_constant_small_query_budget(
    client, riverside, django_assert_max_num_queries
) -> None:
    blog = BlogIndexPage.objects.descendant_of(riverside.site.root_page).get()
    blog.posts_per_page = 2  # so that page 2 exists at both sizes
    blog.save_revision().publish()
    PracticeFactory()
    add_posts(riverside, 0, 3)
    add_members(riverside, 0, 3)
    small = measure(client, django_assert_max_num_queries)

    add_posts(riverside, 3, 37)
    add_members(riverside, 3, 27)
    for _ in range(13):
        PracticeFactory()
    large = measure(client, django_assert_max_num_queries)

    assert small == large
    # The content did grow: the large team page lists every member.
    team = client.get("/team/", HTTP_HOST=HOST).content.decode()
    assert "Dr. Member 29" in team
    print(f"query counts: {large}")


def test_blog_post_page_needs_at_most_ten_queries(
    client, riverside, django_assert_max_num_queries
) -> None:
    add_posts(riverside, 0, 5)
    client.get("/blog/post-2/", HTTP_HOST=HOST)
    with django_assert_max_num_queries(10):
        response = client.get("/blog/post-2/", HTTP_HOST=HOST)
    html = response.content.decode()
    # Header, topics, neighbours, related posts and the embedded form are all there.
    assert "Dr. Ana Ruiz" in html
    assert '/blog/tag/topic-2/">Topic 2</a>' in html
    assert '/blog/tag/topic-3/">Topic 3' in html
    assert '/blog/product/telehealth/">Telehealth</a>' in html
    assert 'rel="prev" href="/blog/post-3/"' in html
    assert 'rel="next" href="/blog/post-1/"' in html
    assert 'id="related-heading"' in html
    assert "Post 1" in html
    assert 'name="submission_key"' in html
    assert Page.objects.filter(slug="post-2").get().live


def test_the_first_post_view_after_a_publish_recomputes_in_nineteen_queries(
    client, riverside, django_assert_max_num_queries
) -> None:
    """A publish anywhere in the practice bumps its one generation (core.freshness):
    the next view of a post looks its host up again (one query), reloads the site
    bundle (six), routes again (two), recomputes its topics, neighbours and related
    posts (four) and call to action (two: the site's BlogSettings, its request form),
    and rebuilds the embedded form's rows (four: the form's fields, the team for the
    provider choices, the live locations and, while there are none, the address for
    the location choices), whatever the number of posts."""
    add_posts(riverside, 0, 5)
    client.get("/blog/post-2/", HTTP_HOST=HOST)
    add_posts(riverside, 5, 30)  # newer posts: post-2's neighbours are unchanged
    with django_assert_max_num_queries(19) as captured:
        response = client.get("/blog/post-2/", HTTP_HOST=HOST)
    assert len(captured) == 19  # everything was recomputed, not served stale
    html = response.content.decode()
    assert 'rel="next" href="/blog/post-1/"' in html
    assert 'rel="prev" href="/blog/post-3/"' in html
    assert "demo-request-1-" in html
