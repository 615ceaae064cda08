"""In Chromium: the request form embedded in a page served from the page cache is
submitted, with JavaScript (tokens fetched) and without (sent again once)."""

from __future__ import annotations

import urllib.request
from urllib.parse import urlsplit

import pytest

from demo_requests.models import Lead
from tests.conftest import transactional_db
from tests.factories import PracticeFactory

pytestmark = [pytest.mark.browser, transactional_db]


def fill_in(section) -> None:
    section.locator("[name=your_name]").fill("Pat Doe")
    section.locator("[name=email]").fill("pat@example.test")
    section.locator("[name=phone]").fill("+1 512 555 0100")
    section.locator("[name=message]").fill("Please call me")
    section.locator("input[type=checkbox]").check()


def cached_home(page, base: str, query: str = ""):
    # Another visitor fills the cache, so that this browser's first visit is a hit.
    port = urlsplit(base).port
    direct = urllib.request.Request(
        f"http://127.0.0.1:{port}/{query}", headers={"Host": f"alpha.localhost:{port}"}
    )
    with urllib.request.urlopen(direct) as first:
        assert first.headers["X-Cache"] == "MISS"
    response = page.goto(f"{base}/{query}")
    assert response.headers["x-cache"] == "HIT"
    return page.locator("section.embedded-request")


def test_the_embedded_form_of_a_cached_page_is_sent(live_server, browser_page) -> None:
    practice = PracticeFactory(name="Alpha Family Care", slug="alpha", hostname="alpha.localhost")
    base = f"http://alpha.localhost:{urlsplit(live_server.url).port}"
    page = browser_page
    section = cached_home(page, base, "?utm_source=browser")
    fill_in(section)
    section.get_by_role("button", name="Send request").click()
    page.wait_for_url(f"{base}/contact/")
    assert "Thank you" in page.content()
    lead = Lead.objects.get()
    assert lead.practice == practice
    assert lead.landing_page == "/?utm_source=browser"
    assert lead.utm == {"utm_source": "browser"}


def test_without_javascript_the_form_is_sent_at_the_second_press(live_server, chromium) -> None:
    PracticeFactory(name="Alpha Family Care", slug="alpha", hostname="alpha.localhost")
    base = f"http://alpha.localhost:{urlsplit(live_server.url).port}"
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        fill_in(cached_home(page, base))
        page.get_by_role("button", name="Send request").click()
        page.wait_for_url(f"{base}/contact/")
        assert "press “Send request” again" in page.content()
        assert page.locator("[name=your_name]").input_value() == "Pat Doe"
        assert not Lead.objects.exists()
        page.get_by_role("button", name="Send request").click()
        page.wait_for_load_state()
        assert "Thank you" in page.content()
        assert Lead.objects.get().submission.form_data["email"] == "pat@example.test"
    finally:
        context.close()
