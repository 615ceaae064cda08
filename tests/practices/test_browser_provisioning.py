"""In Chromium: agency staff provision a practice in the admin; its owner sets a
password from the printed link, logs in, and can reach only their own practice."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group

from practices.services.permissions import AGENCY_STAFF_GROUP
from tests.conftest import transactional_db
from tests.factories import TEST_PASSWORD, PracticeFactory, UserFactory

pytestmark = [pytest.mark.browser, transactional_db]

NEW_PASSWORD = "a-long-owner-passphrase-2026"


def login(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))


def test_provision_in_admin_then_owner_sees_only_own_practice(live_server, browser_page) -> None:
    other = PracticeFactory(name="Bravo Dermatology", slug="bravo", hostname="bravo.localhost")
    other_page_id = other.site.root_page.get_children().get(slug="privacy").pk
    staff = UserFactory(
        username="staff@agency.test", groups=[Group.objects.get(name=AGENCY_STAFF_GROUP)]
    )
    port = urlsplit(live_server.url).port
    admin = f"http://localhost:{port}"
    page = browser_page

    # Agency staff: provision from the admin form.
    login(page, admin, staff.username, TEST_PASSWORD)
    page.goto(f"{admin}/admin/practices/")
    assert page.locator("table.listing").get_by_text("Bravo Dermatology").is_visible()
    page.goto(f"{admin}/admin/practices/new/")
    page.fill("input[name=name]", "Harbor Pediatrics")
    page.fill("input[name=slug]", "harbor")
    page.fill("input[name=hostname]", "harbor.localhost")
    page.fill("input[name=owner_email]", "owner@harbor.test")
    page.select_option("select[name=template]", "pediatrics")
    page.click("#w-editor-form button[type=submit]")
    page.wait_for_url(re.compile(r"/admin/practices/$"))
    messages = page.locator(".messages").inner_text()
    assert "Practice 'Harbor Pediatrics' provisioned." in messages
    link = re.search(r"http://\S+/admin/password_reset/confirm/\S+/", messages).group(0)
    assert page.locator("table.listing").get_by_text("harbor.localhost").is_visible()
    page.context.clear_cookies()

    # The new site answers on its own hostname with its own content.
    page.goto(f"http://harbor.localhost:{port}/")
    assert page.locator("h1").inner_text() == "Helping kids grow up healthy"
    assert page.title() == "Harbor Pediatrics – Helping kids grow up healthy"  # name once

    # The owner sets a password from the link and logs in on the practice's host.
    page.goto(f"http://harbor.localhost:{port}{urlsplit(link).path}")
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    page.click("button[type=submit]")
    login(page, f"http://harbor.localhost:{port}", "owner@harbor.test", NEW_PASSWORD)

    page.goto(f"http://harbor.localhost:{port}/admin/pages/")
    explorer = page.locator("main").inner_text()
    assert "Harbor Pediatrics" in explorer
    assert "Bravo" not in explorer
    response = page.goto(f"http://harbor.localhost:{port}/admin/pages/{other_page_id}/edit/")
    assert response.status == 403
    assert "Bravo" not in page.content()
    page.goto(f"http://harbor.localhost:{port}/admin/choose-page/")
    assert "Bravo" not in page.content()
    assert "Harbor Pediatrics" in page.content()
