"""Public side: each hostname serves its own practice, and only that."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from practices.models import PracticeHostname, PracticeStatus
from practices.services.lifecycle import set_status
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alpha(db):
    practice = PracticeFactory(
        name="Alpha Family Care",
        slug="alpha",
        hostname="alpha.example.test",
        template="family-medicine",
    )
    PracticeHostname.objects.create(practice=practice, hostname="www.alpha.example.test")
    return practice


@pytest.fixture
def bravo(db):
    return PracticeFactory(
        name="Bravo Dermatology",
        slug="bravo",
        hostname="bravo.example.test",
        template="dermatology",
    )


def test_each_hostname_serves_its_own_home_page(client, alpha, bravo) -> None:
    a = client.get("/", HTTP_HOST="alpha.example.test").content.decode()
    b = client.get("/", HTTP_HOST="bravo.example.test").content.decode()
    assert re.search(
        r'<h1 id="block-[0-9a-f]{8}">Your family&#x27;s doctors, close to home</h1>', a
    )
    # The practice's name once, with its promise (not "Alpha Family Care | Alpha Family Care").
    assert "<title>Alpha Family Care – Your family&#x27;s doctors, close to home</title>" in a
    assert "Bravo" not in a
    assert re.search(r'<h1 id="[^"]+">Healthy skin, expert care</h1>', b)
    assert "Alpha" not in b


def test_navigation_and_footer_come_from_the_practice(client, alpha) -> None:
    from practices.models import PracticeSettings

    details = PracticeSettings.for_site(alpha.site)
    details.phone = "+1 555 0100"
    details.locality = "Springfield"
    details.save()
    html = client.get("/", HTTP_HOST="alpha.example.test").content.decode()
    assert '<nav class="site-nav" aria-label="Main">' in html
    assert '<a href="/blog/">Blog</a>' in html
    assert '<a href="/contact/">Request an appointment</a>' in html
    assert '<a href="tel:+1 555 0100">+1 555 0100</a>' in html
    assert "Springfield" in html


def test_a_page_of_a_is_never_served_on_b_hostname(client, alpha, bravo) -> None:
    bravo.site.root_page.get_children().get(slug="privacy").specific.delete()
    assert client.get("/privacy/", HTTP_HOST="alpha.example.test").status_code == 200
    response = client.get("/privacy/", HTTP_HOST="bravo.example.test")
    assert response.status_code == 404
    assert "Alpha" not in response.content.decode()
    # A's tree path does not resolve under B's host either.
    assert client.get("/alpha/privacy/", HTTP_HOST="bravo.example.test").status_code == 404


def test_unknown_host_gets_a_404_page_not_another_practice(client, alpha, bravo) -> None:
    response = client.get("/", HTTP_HOST="nobody.example.test")
    body = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in body
    assert "Alpha" not in body
    assert "Bravo" not in body


def test_alias_redirects_permanently_to_the_canonical_host(client, alpha) -> None:
    response = client.get("/blog/?page=2", HTTP_HOST="www.alpha.example.test")
    assert response.status_code == 301
    assert response["Location"] == "http://alpha.example.test/blog/?page=2"


def test_suspended_practice_shows_maintenance_page_and_keeps_data(client, alpha) -> None:
    pages = alpha.site.root_page.get_descendants().count()
    # services (+ the template's 3), team, locations (+ its draft office), blog, privacy,
    # contact
    assert pages == 10
    set_status(alpha, PracticeStatus.SUSPENDED)
    response = client.get("/blog/", HTTP_HOST="alpha.example.test")
    assert response.status_code == 503
    assert response["Retry-After"] == "3600"
    assert "<h1>Alpha Family Care is temporarily unavailable</h1>" in response.content.decode()
    assert alpha.site.root_page.get_descendants().count() == pages

    set_status(alpha, PracticeStatus.LIVE)
    assert client.get("/blog/", HTTP_HOST="alpha.example.test").status_code == 200


def test_host_routing_change_takes_effect_without_waiting_for_the_cache(client, alpha) -> None:
    assert client.get("/", HTTP_HOST="new.example.test").status_code == 404
    PracticeHostname.objects.create(practice=alpha, hostname="new.example.test")
    assert client.get("/", HTTP_HOST="new.example.test").status_code == 301


def test_admin_login_is_reachable_on_a_practice_host(client, alpha) -> None:
    response = client.get(reverse("wagtailadmin_login"), HTTP_HOST="alpha.example.test")
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


def test_host_lookup_is_cached(client, alpha, django_assert_max_num_queries) -> None:
    from practices.selectors import host_entry

    assert host_entry("alpha.example.test").practice_id == alpha.pk
    assert host_entry("nobody.example.test") is None
    with django_assert_max_num_queries(0):
        entry = host_entry("alpha.example.test")
        missing = host_entry("nobody.example.test") or host_entry("nobody.example.test")
    assert entry.canonical_origin == "http://alpha.example.test"
    assert missing is None


def test_alias_redirect_keeps_a_non_standard_port(client, alpha) -> None:
    site = alpha.site
    site.port = 8000
    site.save()
    response = client.get("/", HTTP_HOST="www.alpha.example.test:8000")
    assert response.status_code == 301
    assert response["Location"] == "http://alpha.example.test:8000/"
