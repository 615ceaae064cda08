"""Shared fixtures for the demo-request tests."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.factories import PracticeFactory

HOST = "riverside.example.test"
OTHER_HOST = "bravo.example.test"

# The appointment request every practice starts with (demo_requests.defaults).
VALID = {
    "your_name": "Pat Doe",
    "email": "pat@example.test",
    "phone": "+1 512 555 0100",
    "new_or_existing_patient": "New patient",
    "reason_for_visit": "Check-up",
    "i_agree_that_you_may_contact_me_about_my_request": "on",
}


@pytest.fixture(autouse=True)
def _instant_forms(settings) -> None:
    """Tests not about fill time may submit at once; test_spam sets its own minimum."""
    settings.DEMO_REQUEST_MIN_FILL_SECONDS = 0


@pytest.fixture
def practice(db):
    return PracticeFactory(name="Riverside", slug="riverside", hostname=HOST)


@pytest.fixture
def other_practice(db):
    return PracticeFactory(name="Bravo", slug="bravo", hostname=OTHER_HOST)


def rendered_form(client, path: str = "/contact/", host: str = HOST) -> dict:
    """The hidden inputs of the rendered form, as a browser would submit them."""
    html = client.get(path, HTTP_HOST=host).content.decode()
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)
    hidden = {name: unescape(value) for name, value in found}
    hidden.pop("csrfmiddlewaretoken", None)
    return hidden


def contact_page(practice):
    from demo_requests.models import DemoRequestPage

    return DemoRequestPage.objects.get(path__startswith=practice.site.root_page.path)


def make_lead(practice, email: str = "pat@example.test", **form_data):
    """A stored submission and its lead, as record_lead leaves them."""
    import uuid

    from wagtail.contrib.forms.models import FormSubmission

    from demo_requests.models import Lead

    page = contact_page(practice)
    data = {**VALID, "phone": "+15125550100", "email": email, **form_data}
    data["i_agree_that_you_may_contact_me_about_my_request"] = True
    submission = FormSubmission.objects.create(page=page, form_data=data)
    return Lead.objects.create(
        practice=practice,
        form_page=page,
        submission=submission,
        idempotency_key=uuid.uuid4().hex,
    )
