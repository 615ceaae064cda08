"""The cached site bundle (settings, brand, navigation, view restrictions, contact page)
and the two-query routing: every change is visible on the next request."""

from __future__ import annotations

import pytest
from wagtail.models import Page, PageViewRestriction

from blog.models import BlogIndexPage
from demo_requests.models import DemoRequestPage
from practices.models import BrandSettings, PracticeSettings, StandardPage
from tests.blog.factories import make_post
from tests.factories import ImageFactory, PracticeFactory
from tests.practices.team_fixtures import add_member

pytestmark = pytest.mark.django_db
HOST = "harbour.example.test"


@pytest.fixture
def harbour(settings):
    settings.PAGE_CACHE_ENABLED = False  # every request below is a real render
    return PracticeFactory(name="Harbour Clinic", slug="harbour", hostname=HOST)


def get(client, path: str, status: int = 200) -> str:
    response = client.get(path, HTTP_HOST=HOST)
    assert response.status_code == status, (path, response.status_code)
    return response.content.decode()


def home(practice) -> Page:
    return practice.site.root_page


def test_a_new_phone_number_shows_on_the_next_request(client, harbour) -> None:
    details = PracticeSettings.objects.get(site=harbour.site)
    details.phone = "555-0100"
    details.save()
    assert "555-0100" in get(client, "/privacy/")
    details.phone = "555-0199"
    details.save()
    html = get(client, "/privacy/")
    assert 'href="tel:555-0199"' in html
    assert "555-0100" not in html


def test_a_new_brand_colour_changes_the_theme_on_the_next_request(client, harbour) -> None:
    before = get(client, "/")
    brand = BrandSettings.objects.get(site=harbour.site)
    brand.primary_colour = "#14532d"
    brand.save()
    after = get(client, "/")
    version = BrandSettings.objects.get(site=harbour.site).version
    assert f"/theme.css?v={version}" in after
    assert f"/theme.css?v={version}" not in before
    assert "--brand-primary:#14532d;" in get(client, f"/theme.css?v={version}")


def test_a_logo_appears_and_goes_with_its_image(client, harbour) -> None:
    logo = ImageFactory(collection=harbour.collection, title="Harbour logo")
    brand = BrandSettings.objects.get(site=harbour.site)
    brand.logo = logo
    brand.save()
    assert 'alt="Harbour logo"' in get(client, "/")
    logo.title = "Harbour Clinic logo"
    logo.save()
    assert 'alt="Harbour Clinic logo"' in get(client, "/")
    logo.delete()
    assert "logo" not in get(client, "/").split("</header>")[0]


def test_navigation_follows_publishing(client, harbour) -> None:
    page = StandardPage(title="About us", slug="about", show_in_menus=True, live=False)
    home(harbour).add_child(instance=page)
    assert "About us" not in get(client, "/")
    page.save_revision().publish()
    assert '<a href="/about/">About us</a>' in get(client, "/")
    page.refresh_from_db()
    page.unpublish()
    assert "About us" not in get(client, "/")
    get(client, "/about/", status=404)


def test_routing_serves_nested_pages_archives_and_404s(client, harbour) -> None:
    about = StandardPage(title="About us", slug="about")
    home(harbour).add_child(instance=about)
    about.add_child(instance=StandardPage(title="Our story", slug="story"))
    assert "Our story" in get(client, "/about/story/")
    get(client, "/about/nothing-here/", status=404)
    get(client, "/no-such-page/", status=404)

    blog = BlogIndexPage.objects.descendant_of(home(harbour)).get()
    post = make_post(blog, title="Winter hours", slug="winter-hours")
    assert "Winter hours" in get(client, "/blog/winter-hours/")
    assert "Winter hours" in get(client, f"/blog/{post.date.year}/")  # a route of the index
    draft = make_post(blog, title="Not yet", slug="not-yet", publish=False)
    get(client, f"/blog/{draft.slug}/", status=404)


def test_view_restrictions_apply_to_routed_pages(client, harbour) -> None:
    blog = BlogIndexPage.objects.descendant_of(home(harbour)).get()
    make_post(blog, title="Members only", slug="members-only")
    assert "Members only" in get(client, "/blog/members-only/")
    restriction = PageViewRestriction.objects.create(
        page=blog, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    html = get(client, "/blog/members-only/")
    assert "Members only" not in html
    assert 'name="password"' in html
    restriction.delete()
    assert "Members only" in get(client, "/blog/members-only/")


def test_team_call_to_action_follows_the_contact_page(client, harbour) -> None:
    add_member(harbour, "Dr. Lee")
    assert 'href="/contact/?provider=dr-lee"' in get(client, "/team/dr-lee/")
    DemoRequestPage.objects.descendant_of(home(harbour)).get().unpublish()
    html = get(client, "/team/dr-lee/")
    assert "?provider=dr-lee" not in html
    assert "Dr. Lee" in html


def test_each_host_gets_its_own_bundle(client, harbour) -> None:
    other = PracticeFactory(name="Other Clinic", slug="other", hostname="other.example.test")
    PracticeSettings.objects.filter(site=other.site).update(phone="555-0777")
    assert "555-0777" not in get(client, "/")
    response = client.get("/", HTTP_HOST="other.example.test")
    assert "Other Clinic" in response.content.decode()
