"""In Chromium: a practice's moderator builds the home page from blocks in the admin
(edits the hero, adds a block from the block menu), previews it, publishes it, and
the public page shows it."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.conftest import transactional_db
from tests.factories import TEST_PASSWORD, PracticeFactory, moderator_of
from tests.practices.page_builder_fixtures import practice_details
from tests.practices.test_browser_provisioning import login

pytestmark = [pytest.mark.browser, transactional_db]


def test_build_preview_and_publish_a_home_page_from_blocks(live_server, browser_page) -> None:
    practice = PracticeFactory(
        name="Alpha Family Care", slug="alpha", hostname="alpha.localhost",
        template="family-medicine",
    )  # fmt: skip
    practice_details(practice)
    owner = moderator_of(practice, username="owner@alpha.test")
    port = urlsplit(live_server.url).port
    admin = f"http://localhost:{port}"
    page = browser_page
    login(page, admin, owner.username, TEST_PASSWORD)
    page.goto(f"{admin}/admin/pages/{practice.site.root_page_id}/edit/")

    # The hero is the first block: a new heading.
    heading = page.locator("input[name='body-0-value-heading']")
    heading.fill("Built in the browser")
    # A new block at the end, from the block menu.
    page.locator("button[title='Insert a block']").last.click()
    page.get_by_role("option", name="Locations").click()
    new_heading = page.locator("input[name$='-value-heading']").last
    new_heading.fill("Come and see us on River Road")

    # Preview: the side panel renders the unsaved content.
    page.locator("[data-side-panel-toggle='preview']").click()
    preview = page.frame_locator("#w-preview-iframe")
    assert preview.locator("h1").first.inner_text(timeout=20_000) == "Built in the browser"
    assert "1200 River Rd" in preview.locator("body").inner_text()
    assert preview.get_by_text("Come and see us on River Road").is_visible()

    # Publish, then the public page shows it.
    page.locator("footer .w-dropdown__toggle, [data-w-dropdown-target='toggle']").last.click()
    page.locator("button[name='action-publish']").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/"))
    assert "published" in page.locator(".messages").inner_text()
    page.context.clear_cookies()
    page.goto(f"http://alpha.localhost:{port}/")
    assert page.locator("h1").inner_text() == "Built in the browser"
    location = page.locator("section.pb-locations").last  # the provisioned one, then ours
    assert location.locator("h2").inner_text() == "Come and see us on River Road"
    assert location.locator("a[href='tel:+15125550142']").is_visible()
    assert page.title() == "Alpha Family Care – Built in the browser"
