"""Services and locations pages render in a fixed number of queries: warm (what routing
keeps), cold (every kept entry gone) and recomputed (the first view after a publish in
the practice), the same with 2 offices, 3 members and 2 services as with 12 offices,
30 members, 12 services, 6 related posts and 8 testimonials
(tests/blog/test_query_budgets.py's pattern; the page cache is off: real renders)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import BlogIndexPage
from practices.models import LocationPage, ServicePage
from tests.blog.factories import make_post
from tests.factories import PracticeFactory
from tests.practices.page_builder_fixtures import add_people, every_service_block
from tests.practices.places_fixtures import add_location, add_service
from tests.practices.team_fixtures import add_member, portrait

pytestmark = pytest.mark.django_db
HOST = "riverside.example.test"
# url -> text every size shows
URLS = {
    "/services/": "Service 1",
    "/services/service-0/": "Member 0",
    "/locations/": "Office 1",
    "/locations/office-0/": "Member 0",
}
WARM = dict.fromkeys(URLS, 0)  # routing keeps the page with what it reads
# Cold and recomputed: the host map, the site bundle and routing, then the page's own
# reads (the listing; members with portraits and card renditions; related posts). The
# service page holds one block of each kind its body offers: 13 with one rich text
# block, 27 with them all (each block's load(): the link in the rich text, two images
# with their renditions, the testimonials, the band's page and the practice's phone).
COLD = {"/services/": 11, "/services/service-0/": 27, "/locations/": 11,
        "/locations/office-0/": 12}  # fmt: skip
RECOMPUTED = COLD


def grow(practice, offices: int, members: int, services: int, posts: int) -> None:
    home = practice.site.root_page
    have = LocationPage.objects.descendant_of(home).filter(slug__startswith="office-").count()
    new_offices = [add_location(practice, f"Office {n}") for n in range(have, offices)]
    first = LocationPage.objects.descendant_of(home).get(slug="office-0")
    image = portrait(practice, f"Portrait {members}")
    start = sum(1 for _ in first.team_members.all())
    people = [
        add_member(practice, f"Member {n}", image=image, locations=[first, *new_offices[:1]])
        for n in range(start, members)
    ]
    blog = BlogIndexPage.objects.descendant_of(home).get()
    made = [make_post(blog, title=f"Post {n}", slug=f"post-{n}", days_ago=n + 1)
            for n in range(blog.get_children().count(), posts)]  # fmt: skip
    add_people(practice, members=0, testimonials=posts)  # what the testimonials block shows
    have = ServicePage.objects.descendant_of(home).filter(slug__startswith="service-").count()
    for n in range(have, services):
        # The first holds one block of each kind a service body offers.
        body = every_service_block(practice) if n == 0 else None
        add_service(practice, f"Service {n}", **({"body": body} if body else {}))
    service = ServicePage.objects.descendant_of(home).get(slug="service-0")
    service.related_members.add(*people)
    service.related_posts.add(*made)
    service.save_revision().publish()


def view(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_HOST=HOST)
    assert response.status_code == 200, url
    assert URLS[url] in response.content.decode(), url
    return len(queries)


def measure(client, practice) -> dict[str, tuple[int, int, int]]:
    counts = {}
    for url in URLS:
        client.get(url, HTTP_HOST=HOST)  # renditions are made on the first view
        practice.site.root_page.save_revision().publish()  # the generation moves
        recomputed = view(client, url)
        cache.clear()
        cold = view(client, url)
        warm = view(client, url)
        counts[url] = (recomputed, cold, warm)
    return counts


def test_services_and_locations_query_counts_do_not_grow(client, settings) -> None:
    settings.PAGE_CACHE_ENABLED = False
    practice = PracticeFactory(
        name="Riverside Family Medicine", slug="riverside", hostname=HOST,
        template="family-medicine",
    )  # fmt: skip
    PracticeFactory()
    grow(practice, offices=2, members=3, services=2, posts=2)
    small = measure(client, practice)
    grow(practice, offices=12, members=30, services=12, posts=6)
    for _ in range(5):
        PracticeFactory()
    large = measure(client, practice)
    html = client.get("/locations/office-0/", HTTP_HOST=HOST).content.decode()
    assert "Member 29" in html  # the large pass shows the large data
    service = client.get("/services/service-0/", HTTP_HOST=HOST).content.decode()
    assert "Post 5" in service
    # Its blocks: rich text, captioned image, image with text, video, FAQ,
    # testimonials, call-to-action band.
    for text in ("privacy</a> page.", "Quick and gentle.", "Unhurried visits", "Clinic tour",
                 "Do you take walk-ins?", "Patients say", "Ready when you are"):  # fmt: skip
        assert text in service, text

    print(f"\nqueries (recomputed, cold, warm): small={small}\nlarge={large}")
    for counts in (small, large):
        for url, (recomputed, cold, warm) in counts.items():
            assert warm <= WARM[url], f"{url}: {warm} warm ({counts})"
            assert cold <= COLD[url], f"{url}: {cold} cold ({counts})"
            assert recomputed <= RECOMPUTED[url], f"{url}: {recomputed} recomputed ({counts})"
    assert small == large
