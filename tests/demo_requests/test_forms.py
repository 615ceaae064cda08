"""Validation: clear per-field messages, E.164 phones, caps, consent; accessibility."""

from __future__ import annotations

import re
import uuid

import pytest
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from wagtail.contrib.forms.models import FormSubmission

from demo_requests.models import Lead
from practices.models import PracticeSettings
from tests.demo_requests.conftest import HOST, VALID, rendered_form

pytestmark = pytest.mark.django_db
CONSENT = "i_agree_that_you_may_contact_me_about_my_request"


def post(client, data: dict, hidden: dict | None = None, path: str = "/contact/"):
    hidden = hidden if hidden is not None else rendered_form(client, path)
    return client.post(path, {**hidden, **data}, HTTP_HOST=HOST)


def test_phone_is_stored_in_e164(client, practice) -> None:
    response = post(client, {**VALID, "phone": "(512) 555-0100"})
    assert "Thank you" in response.content.decode()
    assert Lead.objects.get().submission.form_data["phone"] == "+15125550100"


def test_phone_default_region_is_the_practice_country(client, practice) -> None:
    PracticeSettings.objects.update_or_create(site=practice.site, defaults={"country": "GB"})
    post(client, {**VALID, "phone": "020 7946 0958"})
    assert Lead.objects.get().submission.form_data["phone"] == "+442079460958"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "pat@", "Enter a valid email address."),
        ("phone", "12", "Enter a valid phone number, including the area code"),
        ("phone", "call me maybe", "Enter a valid phone number"),
        ("your_name", "x" * 121, "“Your name” can be at most 120 characters long."),
        ("email", ("a" * 250) + "@example.test", "“Email” can be at most 254 characters long."),
        (
            "preferred_days_and_times",
            "x" * 256,
            "“Preferred days and times” can be at most 255 characters long.",
        ),
        ("reason_for_visit", "My rash", "Select a valid choice."),
        ("preferred_provider", "dr-nobody", "Select a valid choice."),
        ("your_name", "", "This field is required."),
    ],
)
def test_each_field_names_its_problem(client, practice, field, value, message) -> None:
    response = post(client, {**VALID, field: value})
    html = response.content.decode()
    assert response.status_code == 200
    assert message.replace("“", "&ldquo;") in html or message in html
    assert Lead.objects.count() == 0
    assert FormSubmission.objects.count() == 0


@pytest.fixture
def demo_form_practice(db):
    """The agency's own site at HOST: its form is the demo request."""
    from tests.factories import PracticeFactory

    return PracticeFactory(name="Agency", slug="agency", hostname=HOST, template="agency-library")


DEMO_VALID = {
    "your_name": "Sam Owner",
    "work_email": "sam@clinic.example.test",
    "phone": "+1 512 555 0100",
    "practice_name": "Hillside Clinic",
    CONSENT: "on",
}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("message", "x" * 5001, "“Message” can be at most 5000 characters long."),
        ("practice_name", "x" * 256, "“Practice name” can be at most 255 characters long."),
        ("number_of_providers", "-3", "“Number of providers” cannot be negative."),
        ("number_of_locations", "10000000", "“Number of locations” can be at most 100000."),
    ],
)
def test_each_demo_request_field_names_its_problem(
    client, demo_form_practice, field, value, message
) -> None:
    response = post(client, {**DEMO_VALID, field: value}, path="/get-a-demo/")
    html = response.content.decode()
    assert message.replace("“", "&ldquo;") in html or message in html
    assert Lead.objects.count() == 0


def test_consent_is_required_with_its_own_message(client, practice) -> None:
    data = {k: v for k, v in VALID.items() if k != CONSENT}
    html = post(client, data).content.decode()
    assert "Please tick the box to agree that we may contact you about your request." in html
    assert Lead.objects.count() == 0


def test_error_summary_and_aria_attributes(client, practice) -> None:
    html = post(client, {**VALID, "email": "nope", "phone": "1"}).content.decode()
    summary = re.search(r'<div class="notice error-summary"[^>]*>.*?</div>', html, re.S)[0]
    assert 'role="alert"' in summary
    assert "data-error-summary" in summary
    assert 'href="#id_email"' in summary
    assert 'href="#id_phone"' in summary
    email = re.search(r"<input[^>]*id=\"id_email\"[^>]*>", html)[0]
    assert 'aria-invalid="true"' in email
    assert 'aria-describedby="id_email_error"' in email
    assert 'id="id_email_error"' in html
    phone = re.search(r"<input[^>]*id=\"id_phone\"[^>]*>", html)[0]
    # Help text first, then the error.
    assert 'aria-describedby="id_phone_helptext id_phone_error"' in phone
    assert 'id="id_phone_helptext"' in html
    name = re.search(r"<input[^>]*id=\"id_your_name\"[^>]*>", html)[0]
    assert "aria-invalid" not in name


def test_unbound_form_is_accessible_and_loads_the_script_externally(client, practice) -> None:
    response = client.get("/contact/", HTTP_HOST=HOST)
    html = response.content.decode()
    assert '<label for="id_email">' in html
    phone = re.search(r"<input[^>]*id=\"id_phone\"[^>]*>", html)[0]
    assert 'aria-describedby="id_phone_helptext"' in phone
    assert "aria-invalid" not in html
    assert re.search(r'<script src="[^"]*demo_requests/form\.js" defer></script>', html)
    assert "<script>" not in html
    assert "style=" not in html
    assert "error-summary" not in html
    # Per-visitor tokens: never cached by a shared cache.
    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_form_js_is_served(client) -> None:
    from django.contrib.staticfiles import finders

    assert finders.find("demo_requests/form.js")


def _text(max_size: int):
    return st.one_of(
        st.text(max_size=max_size),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=max_size, max_size=max_size + 10),
        st.sampled_from(["", " ", "\x00", "<script>alert(1)</script>", "💥" * 50]),
    )


@hsettings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.one_of(st.just("Pat Doe"), _text(130)),
    email=st.one_of(st.just("pat@example.test"), st.emails(), _text(60)),
    phone=st.one_of(st.sampled_from(["+1 512 555 0100", "(512) 555-0100"]), _text(45)),
    message=st.one_of(st.text(max_size=50), st.just("m" * 6000)),
    consent=st.sampled_from(["on", "on", "", "false"]),
    providers=st.one_of(st.just(""), st.integers(-(10**12), 10**12).map(str), _text(10)),
)
def test_fuzzed_form_never_errors_and_stores_only_accepted(
    client, demo_form_practice, settings, name, email, phone, message, consent, providers
) -> None:
    practice = demo_form_practice
    settings.DEMO_REQUEST_RATE_LIMIT_PER_IP = "100000/1m"
    settings.DEMO_REQUEST_RATE_LIMIT_PER_FORM = "100000/1m"
    if not hasattr(practice, "_hidden"):
        practice._hidden = rendered_form(client, "/get-a-demo/")
    hidden = {**practice._hidden, "submission_key": uuid.uuid4().hex}
    before = Lead.objects.count(), FormSubmission.objects.count()
    response = post(
        client,
        {
            "your_name": name,
            "work_email": email,
            "phone": phone,
            "practice_name": "Hillside Clinic",
            "message": message,
            CONSENT: consent,
            "number_of_providers": providers,
        },
        hidden,
        path="/get-a-demo/",
    )
    assert response.status_code == 200
    accepted = "Thank you" in response.content.decode()
    event("accepted" if accepted else "rejected")
    after = Lead.objects.count(), FormSubmission.objects.count()
    expected = 1 if accepted else 0
    assert after == (before[0] + expected, before[1] + expected)
    if accepted:
        data = Lead.objects.latest("pk").submission.form_data
        assert len(data["your_name"]) <= 120
        assert len(data["message"]) <= 5000
        assert re.fullmatch(r"\+[1-9]\d{6,14}", data["phone"])
