"""Browser flows of the request form embedded in a shared (cached) page, run by the
page cache's and the edge's browser tests: only how the cached page is opened
differs (`open_home(page, query)` returns the embedded form's section)."""

from __future__ import annotations

from collections.abc import Callable

from demo_requests.models import Lead


def fill_in(section) -> None:
    section.locator("[name=your_name]").fill("Pat Doe")
    section.locator("[name=email]").fill("pat@example.test")
    section.locator("[name=phone]").fill("+1 512 555 0100")
    section.locator("[name=new_or_existing_patient]").select_option("New patient")
    section.locator("[name=reason_for_visit]").select_option("Check-up")
    section.locator("input[type=checkbox]").check()


def send_with_javascript(page, open_home: Callable, base: str, practice) -> None:
    """Tokens are fetched by form_tokens.js; the lead keeps the landing page and UTM
    values the visitor's URL carried."""
    section = open_home(page, "?utm_source=browser")
    fill_in(section)
    section.get_by_role("button", name="Send request").click()
    page.wait_for_url(f"{base}/contact/")
    assert "Thank you" in page.content()
    lead = Lead.objects.get()
    assert lead.practice == practice
    assert lead.landing_page == "/?utm_source=browser"
    assert lead.utm == {"utm_source": "browser"}


def send_without_javascript(chromium, open_home: Callable, base: str) -> None:
    """The first press meets the CSRF failure view, which shows the filled form again
    with fresh tokens; the second press records one lead."""
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(20_000)
        fill_in(open_home(page, ""))
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
