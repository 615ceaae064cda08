"""In Chromium, with JavaScript on and off: a patient opens a location page, follows
its "Request an appointment at ..." link (the office comes pre-selected), fills the
appointment request and sends it; the lead is stored with that office and the
thank-you page shows."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from demo_requests.models import Lead
from tests.conftest import transactional_db
from tests.factories import PracticeFactory
from tests.practices.places_fixtures import add_location

pytestmark = [pytest.mark.browser, transactional_db]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_patient_requests_an_appointment_from_a_location_page(
    live_server,
    chromium,
    settings,
    javascript: bool,
) -> None:
    settings.DEMO_REQUEST_MIN_FILL_SECONDS = 0  # the spam check's fill time: not this test
    practice = PracticeFactory(name="Alpha Family Care", slug="alpha", hostname="alpha.localhost")
    add_location(practice, "North Clinic")
    add_location(practice, "South Clinic")
    port = urlsplit(live_server.url).port
    context = chromium.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(f"http://alpha.localhost:{port}/locations/south-clinic/")
        page.get_by_role("link", name="Request an appointment at South Clinic").click()
        page.wait_for_url("**/contact/?location=south-clinic")
        location = page.get_by_label("Preferred location")
        assert location.input_value() == "south-clinic"
        page.get_by_label("Your name").fill("Pat Doe")
        page.get_by_label("Phone").fill("+1 512 555 0100")
        page.get_by_label("Email").fill("pat@example.test")
        page.get_by_label("New or existing patient").select_option("New patient")
        page.get_by_label("Reason for visit").select_option("Check-up")
        page.get_by_label("I agree that you may contact me").check()
        page.get_by_role("button", name="Send").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Request an appointment"
        assert "We have your request and will be in touch shortly" in page.inner_text("main")
    finally:
        context.close()
    lead = Lead.objects.select_related("submission").get(practice=practice)
    data = lead.submission.form_data
    assert data["preferred_location"] == "South Clinic"  # stored as the patient read it
    assert data["your_name"] == "Pat Doe"
    assert data["email"] == "pat@example.test"
    assert lead.landing_page == "/contact/?location=south-clinic"
