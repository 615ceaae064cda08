"""In Chromium, through the edge: the request form embedded in a page Varnish serves
(cookies dropped, tracking parameters stripped before the lookup) is still sent, with
JavaScript and without, and the lead keeps the visitor's landing page and UTM values."""

from __future__ import annotations

import pytest

from demo_requests.models import Lead
from tests.conftest import transactional_db
from tests.edge.test_varnish import request
from tests.factories import PracticeFactory

pytestmark = [pytest.mark.browser, transactional_db]
HOST = "alpha.localhost"


@pytest.fixture(autouse=True)
def _no_minimum_fill_time(settings) -> None:
    settings.DEMO_REQUEST_MIN_FILL_SECONDS = 0  # a robot types fast (as in tests/page_cache)


def fill_in(section) -> None:
    section.locator("[name=your_name]").fill("Pat Doe")
    section.locator("[name=email]").fill("pat@example.test")
    section.locator("[name=phone]").fill("+1 512 555 0100")
    section.locator("[name=message]").fill("Please call me")
    section.locator("input[type=checkbox]").check()


def edge_cached_home(page, edge, query: str = ""):
    # Another visitor fills the edge, so that this browser's first visit is an edge hit.
    host = f"{HOST}:{edge.port}"
    assert request(edge, f"/{query}", host=host)["X-Edge-Cache"] == "MISS"
    response = page.goto(f"http://{host}/{query}")
    assert response.headers["x-edge-cache"] == "HIT"
    return page.locator("section.embedded-request")


def test_the_embedded_form_of_an_edge_cached_page_is_sent(clean_edge, browser_page) -> None:
    practice = PracticeFactory(name="Alpha Family Care", slug="alpha", hostname=HOST)
    page = browser_page
    section = edge_cached_home(page, clean_edge, "?utm_source=browser")
    fill_in(section)
    section.get_by_role("button", name="Send request").click()
    page.wait_for_url(f"http://{HOST}:{clean_edge.port}/contact/")
    assert "Thank you" in page.content()
    lead = Lead.objects.get()
    assert lead.practice == practice
    # Varnish looked the page up without utm_source; the browser still has it.
    assert lead.landing_page == "/?utm_source=browser"
    assert lead.utm == {"utm_source": "browser"}


def test_without_javascript_the_form_is_sent_at_the_second_press(clean_edge, chromium) -> None:
    PracticeFactory(name="Alpha Family Care", slug="alpha", hostname=HOST)
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        fill_in(edge_cached_home(page, clean_edge))
        page.get_by_role("button", name="Send request").click()
        page.wait_for_url(f"http://{HOST}:{clean_edge.port}/contact/")
        assert "press “Send request” again" in page.content()
        assert not Lead.objects.exists()
        page.get_by_role("button", name="Send request").click()
        page.wait_for_load_state()
        assert "Thank you" in page.content()
        assert Lead.objects.get().submission.form_data["email"] == "pat@example.test"
    finally:
        context.close()
