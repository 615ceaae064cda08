"""In Chromium: a practice moderator reorders team members in Wagtail's explorer (its
keyboard-accessible ordering mode) and the public team page follows the new order."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.conftest import transactional_db
from tests.factories import TEST_PASSWORD, PracticeFactory, moderator_of
from tests.practices.team_fixtures import add_member, team_index

pytestmark = [pytest.mark.browser, transactional_db]


def public_order(page, url: str) -> list[str]:
    page.goto(url)
    return page.locator(".team-card__name a").all_inner_texts()


def test_moderator_reorders_members_in_admin_and_public_page_follows(
    live_server, browser_page
) -> None:
    practice = PracticeFactory(name="Alpha Family Care", slug="alpha", hostname="alpha.localhost")
    for name in ("Ana Ruiz", "Ben Cho", "Cara Diaz"):
        add_member(practice, name)
    index = team_index(practice)
    moderator = moderator_of(practice, username="moderator@alpha.test")
    port = urlsplit(live_server.url).port
    base = f"http://alpha.localhost:{port}"
    page = browser_page

    assert public_order(page, f"{base}/team/") == ["Ana Ruiz, MD", "Ben Cho, MD", "Cara Diaz, MD"]

    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", moderator.username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))

    # The explorer's "Sort menu order" mode: rows get drag handles that also work with
    # the keyboard (arrow keys move the row, Enter saves the new position).
    page.goto(f"{base}/admin/pages/{index.pk}/?ordering=ord")
    rows = page.locator("[data-w-orderable-target='item']")
    assert rows.count() == 3
    handle = page.locator(
        "[data-w-orderable-target='item'][data-w-orderable-item-label='Cara Diaz'] "
        "[data-w-orderable-target='handle']"
    )
    handle.focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    with page.expect_response(lambda r: "set_position" in r.url) as saved:
        page.keyboard.press("Enter")
    assert saved.value.ok
    labels = [rows.nth(i).get_attribute("data-w-orderable-item-label") for i in range(rows.count())]
    assert labels == ["Cara Diaz", "Ana Ruiz", "Ben Cho"]

    # The order is stored in the tree: a fresh admin listing and the public page agree.
    page.goto(f"{base}/admin/pages/{index.pk}/?ordering=ord")
    reloaded = page.locator("[data-w-orderable-target='item']")
    assert [reloaded.nth(i).get_attribute("data-w-orderable-item-label") for i in range(3)] == [
        "Cara Diaz",
        "Ana Ruiz",
        "Ben Cho",
    ]
    assert public_order(page, f"{base}/team/") == ["Cara Diaz, MD", "Ana Ruiz, MD", "Ben Cho, MD"]
    # Keyboard users can reach the first card's link, and it leads to the profile.
    page.locator(".team-card__name a").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/team/cara-diaz/$"))
    assert page.locator("h1").inner_text() == "Cara Diaz, MD"
