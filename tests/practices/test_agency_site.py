"""The agency's site is provisioned as its marketing site (`--template
agency-marketing`): product pages, blog, privacy and "Get a demo"; no team, no
opening hours, no appointment request. Practices keep their patient pages."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from practices.models import PracticeSettings
from practices.starter_pages import StarterPage, starter_pages
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


def children(practice) -> list[tuple[str, str, str]]:
    return [
        (page.slug, page.title, type(page.specific).__name__)
        for page in practice.site.root_page.get_children().live()
    ]


def with_hours(practice) -> None:
    details = PracticeSettings.for_site(practice.site)
    details.phone = "+1 512 555 0100"
    details.opening_hours = [
        ("hours", {"days": ["Monday"], "opens": datetime.time(8), "closes": datetime.time(17)})
    ]
    details.save()


def test_the_agency_marketing_template_provisions_product_pages_and_get_a_demo() -> None:
    call_command(
        "create_practice",
        *("--name", "Brightline", "--slug", "agency", "--hostname", "agency.test"),
        *("--template", "agency-marketing"),
        stdout=StringIO(),
    )  # fmt: skip
    from practices.models import Practice

    agency = Practice.objects.get(slug="agency")
    assert agency.audience == "practice-owners"
    assert children(agency) == [
        ("practice-websites", "Practice websites", "StandardPage"),
        ("patient-acquisition", "Patient acquisition", "StandardPage"),
        ("how-it-works", "How it works and pricing", "StandardPage"),
        ("blog", "Blog", "BlogIndexPage"),
        ("privacy", "Privacy policy", "StandardPage"),
        ("get-a-demo", "Get a demo", "DemoRequestPage"),
    ]
    home = agency.site.root_page.specific
    assert hero_action(home) == ("get-a-demo", "Get a demo")


def hero_action(home) -> tuple[str, str]:
    """(slug of the page, label) of the home page's hero's first call to action."""
    hero = home.body[0]
    assert hero.block_type == "hero"
    action = hero.value["actions"][0]
    return action["page"].slug, action["label"]


def test_the_old_template_name_still_provisions_the_marketing_site() -> None:
    agency = PracticeFactory(slug="library", hostname="library.test", template="agency-library")
    assert [slug for slug, _, _ in children(agency)][-1] == "get-a-demo"


def test_a_practice_keeps_its_team_and_appointment_request() -> None:
    clinic = PracticeFactory(slug="clinic", hostname="clinic.test", template="family-medicine")
    assert clinic.audience == "patients"
    assert [slug for slug, _, _ in children(clinic)] == [
        "services", "team", "locations", "blog", "privacy", "contact",
    ]  # fmt: skip
    assert hero_action(clinic.site.root_page.specific) == ("contact", "Request an appointment")


def test_each_starter_page_says_which_audience_gets_it() -> None:
    by_key: dict[str, StarterPage] = {page.key: page for page in starter_pages()}
    assert by_key["team"].audiences == {"patients"}
    assert by_key["blog"].audiences == {"patients", "practice-owners"}
    assert by_key["contact"].audiences == {"patients", "practice-owners"}
    assert by_key["practice-websites"].audiences == {"practice-owners"}
    assert [page.key for page in starter_pages("patients")] == [
        "services", "team", "locations", "blog", "privacy", "contact",
    ]  # fmt: skip


def test_the_agency_home_shows_no_patient_things(client) -> None:
    agency = PracticeFactory(slug="agency", hostname="agency.test", template="agency-marketing")
    with_hours(agency)
    html = client.get("/", HTTP_HOST="agency.test").content.decode()
    assert '<a class="button" href="/get-a-demo/">Get a demo</a>' in html
    assert 'href="/practice-websites/"' in html
    for patient_thing in ("Opening hours", "Request an appointment", "Our team", "/team/"):
        assert patient_thing not in html, patient_thing
    assert "555 0100" in html  # the agency's own phone is still in the footer


def test_a_practice_home_still_shows_hours_team_and_appointment(client) -> None:
    clinic = PracticeFactory(slug="clinic", hostname="clinic.test", template="family-medicine")
    with_hours(clinic)
    html = client.get("/", HTTP_HOST="clinic.test").content.decode()
    for patient_thing in ("Opening hours", "Request an appointment", "Our team"):
        assert patient_thing in html, patient_thing
    assert "Get a demo" not in html
