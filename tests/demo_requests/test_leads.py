"""Every accepted submission is stored as a lead, once, before anything else."""

from __future__ import annotations

import re
from html import unescape

import pytest
from wagtail.contrib.forms.models import FormSubmission

from demo_requests.models import Lead
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db
HOST = "riverside.example.test"


@pytest.fixture
def practice(db):
    return PracticeFactory(name="Riverside", slug="riverside", hostname=HOST)


def rendered_form(
    client, path: str = "/contact/?utm_source=google&utm_campaign=flu", host: str = HOST
) -> dict:
    html = client.get(path, HTTP_HOST=host).content.decode()
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)
    hidden = {name: unescape(value) for name, value in found}  # as a browser submits them
    hidden.pop("csrfmiddlewaretoken", None)
    return hidden


VALID = {
    "your_name": "Pat Doe",
    "email": "pat@example.test",
    "phone": "+1 512 555 0100",
    "new_or_existing_patient": "Existing patient",
    "reason_for_visit": "Follow-up",
    "i_agree_that_you_may_contact_me_about_my_request": "on",
}


def test_a_submission_becomes_a_lead_with_its_origin_and_consent(client, practice) -> None:
    hidden = rendered_form(client)
    response = client.post(
        "/contact/", {**hidden, **VALID}, HTTP_HOST=HOST, HTTP_REFERER="https://www.google.com/"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Thank you. We have your request" in html
    lead = Lead.objects.get()
    assert lead.practice == practice
    assert lead.status == Lead.Status.PENDING
    assert lead.utm == {"utm_source": "google", "utm_campaign": "flu"}
    assert lead.referrer == "https://www.google.com/"
    assert lead.landing_page == "/contact/?utm_source=google&utm_campaign=flu"
    assert lead.consented_at is not None
    assert lead.consent_text.startswith("I agree that you may contact me about my request.")
    assert lead.submission.form_data["email"] == "pat@example.test"
    assert lead.submission.form_data["reason_for_visit"] == "Follow-up"
    assert lead.form_kind == "appointment"


def test_a_double_click_creates_one_lead(client, practice) -> None:
    hidden = rendered_form(client)
    first = client.post("/contact/", {**hidden, **VALID}, HTTP_HOST=HOST)
    second = client.post("/contact/", {**hidden, **VALID}, HTTP_HOST=HOST)
    assert first.status_code == second.status_code == 200
    assert "Thank you" in second.content.decode()
    assert Lead.objects.count() == 1
    assert FormSubmission.objects.count() == 1
    # A fresh render is a new request: a second lead.
    client.post("/contact/", {**rendered_form(client), **VALID}, HTTP_HOST=HOST)
    assert Lead.objects.count() == 2


def test_invalid_input_stores_nothing_and_names_the_fields(client, practice) -> None:
    hidden = rendered_form(client)
    response = client.post(
        "/contact/", {**hidden, **VALID, "email": "not-an-email", "your_name": ""}, HTTP_HOST=HOST
    )
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert "This field is required." in html
    assert Lead.objects.count() == 0
    assert FormSubmission.objects.count() == 0


def test_a_forged_key_still_records_the_lead(client, practice) -> None:
    forged = {**rendered_form(client), "submission_key": "<script>"}
    client.post("/contact/", {**forged, **VALID}, HTTP_HOST=HOST)
    lead = Lead.objects.get()
    assert re.fullmatch(r"[0-9a-f]{32}", lead.idempotency_key)


def test_leads_belong_to_the_practice_whose_form_was_used(client, practice) -> None:
    other = PracticeFactory(name="Other", slug="other", hostname="other.example.test")
    client.post("/contact/", {**rendered_form(client), **VALID}, HTTP_HOST=HOST)
    other_form = rendered_form(client, "/contact/", host="other.example.test")
    client.post("/contact/", {**other_form, **VALID}, HTTP_HOST="other.example.test")
    assert sorted(Lead.objects.values_list("practice__slug", flat=True)) == ["other", "riverside"]
    assert other.leads.count() == 1
