"""Two kinds of request form: practice sites ask patients for an appointment, the
agency's site asks practice owners for a demo. Provider and location choices are read
when the form is rendered; a member page's link pre-selects that provider."""

from __future__ import annotations

import re

import pytest

from demo_requests.models import DemoRequestPage, FormKind, Lead
from practices.models import PracticeSettings
from tests.demo_requests.conftest import HOST, VALID, contact_page, rendered_form
from tests.factories import PracticeFactory
from tests.practices.team_fixtures import add_member

pytestmark = pytest.mark.django_db
AGENCY_HOST = "agency.example.test"
APPOINTMENT_LABELS = [
    "Your name",
    "Phone",
    "Email",
    "New or existing patient",
    "Preferred provider",
    "Preferred location",
    "Preferred days and times",
    "Reason for visit",
    "Insurance",
    "Contact preference",
    "I agree that you may contact me about my request",
]
DEMO_LABELS = [
    "Your name",
    "Work email",
    "Phone",
    "Practice name",
    "Specialty",
    "Number of providers",
    "Number of locations",
    "Your role",
    "Message",
    "I agree that you may contact me about my request",
]


def select(html: str, name: str) -> str:
    return re.search(rf'<select name="{name}".*?</select>', html, re.S)[0]


def test_a_practice_site_starts_with_an_appointment_request(client, practice) -> None:
    page = contact_page(practice)
    assert page.form_kind == FormKind.APPOINTMENT
    assert page.title == "Request an appointment"
    assert [field.label for field in page.form_fields.all()] == APPOINTMENT_LABELS
    html = client.get("/contact/", HTTP_HOST=HOST).content.decode()
    assert "Practice or organisation" not in html
    assert "Number of providers" not in html
    reason = select(html, "reason_for_visit")
    options = re.findall(r'<option value="([^"]*)"', reason)
    assert options == ["Check-up", "New concern", "Follow-up", "Vaccination", "Other"]
    assert "don&#x27;t include medical details" in html or "don't include medical details" in html
    assert "See our privacy policy: /privacy/" in html
    assert "<textarea" not in html  # no free text: nothing invites medical details


def test_the_agency_site_starts_with_a_demo_request(client) -> None:
    agency = PracticeFactory(
        name="Agency", slug="agency", hostname=AGENCY_HOST, template="agency-library"
    )
    page = contact_page(agency)
    assert page.form_kind == FormKind.DEMO
    assert page.title == "Get a demo"
    assert [field.label for field in page.form_fields.all()] == DEMO_LABELS
    html = client.get("/get-a-demo/", HTTP_HOST=AGENCY_HOST).content.decode()
    assert "<h1>Get a demo</h1>" in html
    assert 'name="work_email"' in html
    assert re.search(r'<input[^>]*name="practice_name"[^>]*autocomplete="organization"', html)
    assert "Preferred provider" not in html


def test_provider_choices_are_the_practices_live_members(client, practice, other_practice):
    add_member(practice, "Ana Ruiz")
    add_member(practice, "Ben Okafor", credentials=("NP",))
    add_member(practice, "Cleo Draft", publish=False)
    add_member(other_practice, "Dana Elsewhere")
    provider = select(
        client.get("/contact/", HTTP_HOST=HOST).content.decode(), "preferred_provider"
    )
    assert re.findall(r"<option[^>]*>([^<]*)</option>", provider) == [
        "No preference",
        "Ana Ruiz, MD",
        "Ben Okafor, NP",
    ]


def test_location_choices_come_from_the_practice_address(client, practice) -> None:
    location = select(
        client.get("/contact/", HTTP_HOST=HOST).content.decode(), "preferred_location"
    )
    assert ">Riverside</option>" in location  # no city yet: the practice's name
    settings = PracticeSettings.for_site(practice.site)
    settings.locality = "Austin"
    settings.save()
    location = select(
        client.get("/contact/", HTTP_HOST=HOST).content.decode(), "preferred_location"
    )
    assert '<option value="austin">Austin</option>' in location
    assert "Riverside" not in location


def test_provider_query_parameter_preselects_without_javascript(client, practice) -> None:
    add_member(practice, "Ana Ruiz")
    add_member(practice, "Ben Okafor")
    html = client.get("/contact/?provider=ben-okafor", HTTP_HOST=HOST).content.decode()
    provider = select(html, "preferred_provider")
    assert '<option value="ben-okafor" selected>Ben Okafor, MD</option>' in provider
    assert '<option value="ana-ruiz">' in provider
    for unknown in ("/contact/?provider=nobody", "/contact/"):
        provider = select(
            client.get(unknown, HTTP_HOST=HOST).content.decode(), "preferred_provider"
        )
        assert '<option value="" selected>No preference</option>' in provider


def test_the_member_page_link_leads_to_the_preselected_form(client, practice) -> None:
    member = add_member(practice, "Ana Ruiz")
    html = client.get(member.relative_url(practice.site), HTTP_HOST=HOST).content.decode()
    link = re.search(r'<a class="button team-member__cta" href="([^"]+)">([^<]+)</a>', html)
    assert link.group(2) == "Request an appointment with Ana Ruiz"
    form = client.get(link.group(1), HTTP_HOST=HOST).content.decode()
    assert '<option value="ana-ruiz" selected>' in select(form, "preferred_provider")


def test_the_chosen_provider_and_location_are_stored_by_name(client, practice) -> None:
    add_member(practice, "Ana Ruiz")
    hidden = rendered_form(client, "/contact/?provider=ana-ruiz")
    data = {**VALID, "preferred_provider": "ana-ruiz", "preferred_location": "riverside"}
    response = client.post("/contact/", {**hidden, **data}, HTTP_HOST=HOST)
    assert "Thank you" in response.content.decode()
    lead = Lead.objects.get()
    assert lead.form_kind == FormKind.APPOINTMENT
    assert lead.submission.form_data["preferred_provider"] == "Ana Ruiz, MD"
    assert lead.submission.form_data["preferred_location"] == "Riverside"
    assert lead.submission.form_data["reason_for_visit"] == "Check-up"


def test_an_unknown_provider_is_refused_with_a_field_named_error(client, practice) -> None:
    hidden = rendered_form(client)
    data = {**VALID, "preferred_provider": "dr-gone"}
    html = client.post("/contact/", {**hidden, **data}, HTTP_HOST=HOST).content.decode()
    assert 'href="#id_preferred_provider"' in html  # the error summary links the field
    assert "Select a valid choice." in html
    assert not Lead.objects.exists()


def test_an_editor_can_switch_a_form_to_the_other_kind(client, practice) -> None:
    page = DemoRequestPage.objects.get(pk=contact_page(practice).pk)
    page.form_kind = FormKind.DEMO
    page.save_revision().publish()
    hidden = rendered_form(client)
    client.post("/contact/", {**hidden, **VALID}, HTTP_HOST=HOST)
    assert Lead.objects.get().form_kind == FormKind.DEMO
