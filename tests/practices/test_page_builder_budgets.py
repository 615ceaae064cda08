"""A home page and a standard page holding every page-builder block render in a
fixed number of queries, the same with 3 members, posts and testimonials and 2
practices as with 30 members, 40 posts, 23 testimonials and 15 practices: warm (what
the page keeps is kept: practices.blocks.rendering) and cold (every cache cleared:
routing, the site bundle, the blocks' data and renditions looked up again). Images in
blocks come with their renditions (no query per image)."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches

from blog.models import BlogIndexPage
from practices.models import StandardPage
from tests.blog.factories import make_post
from tests.factories import ImageFactory, PracticeFactory
from tests.practices.page_builder_fixtures import (
    add_people,
    every_block,
    practice_details,
    publish_body,
)

pytestmark = pytest.mark.django_db
HOST = "riverside.example.test"
# url -> (warm budget, cold budget, text the page must show at both sizes)
PAGES = {
    # Cold: 41 since the locations block reads the live location pages as well as the
    # settings (practices.blocks.places), the latest posts when the next post is due
    # (blog.blocks) and the home holds every block kind.
    "/": (0, 41, "Dr. Member 2"),
    # Cold: 35 with the latest posts' next-due read (blog.blocks).
    "/about/": (0, 35, "Post 2"),
}


@pytest.fixture
def riverside(settings):
    settings.PAGE_CACHE_ENABLED = False  # real renders, not cache hits
    practice = PracticeFactory(
        name="Riverside Family Medicine", slug="riverside", hostname=HOST,
        template="family-medicine",
    )  # fmt: skip
    practice_details(practice)
    home = practice.site.root_page.specific
    services = list(StandardPage.objects.descendant_of(home).filter(depth=home.depth + 2))
    body = every_block(practice, services=services)
    publish_body(home, body)
    about = StandardPage(title="About us", slug="about")
    home.add_child(instance=about)
    publish_body(
        about, [b for b in every_block(practice, services=services) if b["type"] != "hero"]
    )
    return practice


def add_content(practice, start: int, members: int, posts: int, testimonials: int) -> None:
    add_people(practice, members=0, testimonials=testimonials)
    from tests.practices.team_fixtures import add_member, portrait

    image = portrait(practice, f"Team portrait {start}")
    for number in range(start, start + members):
        add_member(practice, f"Dr. Member {number}", image=image)
    index = BlogIndexPage.objects.descendant_of(practice.site.root_page).get()
    hero = ImageFactory(collection=practice.collection, description="Clinic")
    for number in range(start, start + posts):
        make_post(index, title=f"Post {number}", slug=f"post-{number}", days_ago=number + 1,
                  hero_image=hero)  # fmt: skip


def clear_caches() -> None:
    for alias in django_settings.CACHES:
        caches[alias].clear()


def measure(client, django_assert_max_num_queries) -> dict[str, tuple[int, int]]:
    counts = {}
    for url, (warm_budget, cold_budget, text) in PAGES.items():
        client.get(url, HTTP_HOST=HOST)  # renditions made on the first view
        clear_caches()
        with django_assert_max_num_queries(cold_budget) as cold:
            response = client.get(url, HTTP_HOST=HOST)
        assert text in response.content.decode(), f"{url} cold: {text!r} missing"
        with django_assert_max_num_queries(warm_budget) as warm:
            response = client.get(url, HTTP_HOST=HOST)
        assert response.status_code == 200, url
        assert text in response.content.decode(), f"{url}: {text!r} missing"
        counts[url] = (len(warm), len(cold))
    return counts


def test_every_block_has_a_fixed_budget_warm_and_cold(
    client, riverside, django_assert_max_num_queries
) -> None:
    PracticeFactory()
    add_content(riverside, 0, members=3, posts=3, testimonials=3)
    small = measure(client, django_assert_max_num_queries)

    add_content(riverside, 3, members=27, posts=37, testimonials=20)
    for _ in range(13):
        PracticeFactory()
    large = measure(client, django_assert_max_num_queries)

    assert small == large
    print(f"query counts (warm, cold): {large}")
