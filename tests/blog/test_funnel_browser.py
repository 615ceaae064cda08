"""The agency's demo funnel in Chromium: a practice owner reads the seed marketing
post on the agency's site, presses the call to action at its end (one click), sends
the "Get a demo" form, and a real Celery worker delivers the lead to the agency's
CRM (a local webhook peer that follows the contract, tests/demo_requests/crm_peers.py)."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from blog.models import BlogIndexPage, BlogPostPage
from blog.services.importing import import_posts
from demo_requests.models import CrmSettings, Lead
from demo_requests.spam import HONEYPOT_FIELD
from tests.conftest import REPO_ROOT, transactional_db
from tests.demo_requests.crm_peers import WebhookPeer
from tests.factories import PracticeFactory

pytestmark = [pytest.mark.browser, pytest.mark.worker, transactional_db]
SEED_POST = Path(REPO_ROOT, "blog", "demo_content", "library_posts", "humanizing-your-practice.md")
SECRET = "whsec-agency-funnel"


@pytest.fixture
def crm():
    peer = WebhookPeer(secret=SECRET).start()
    yield peer
    peer.stop()


def fill_every_field(form) -> None:
    """Whatever fields the demo-request page has (as a person sees them: not the
    honeypot), each one gets a plausible value, by the field's name or type."""
    by_name = {"your_name": "Dana Owner", "phone": "+1 312 555 0142"}
    by_type = {"email": "owner@lakeside-dental.test", "tel": "+1 312 555 0142", "number": "4"}
    for field in form.locator("input, textarea, select").all():
        name = field.get_attribute("name") or ""
        kind = (field.get_attribute("type") or field.evaluate("e => e.tagName")).lower()
        if name == HONEYPOT_FIELD or kind in ("hidden", "submit", "radio"):
            continue
        if kind == "select":
            options = field.locator("option").all()
            field.select_option(index=1 if len(options) > 1 else 0)
        elif kind == "checkbox":
            field.check()
        else:
            fallback = by_type.get(kind, "Lakeside Dental, three chairs, one location")
            field.fill(by_name.get(name, fallback))


def test_a_prospect_goes_from_the_seed_post_to_the_agencys_crm(
    live_server, browser_page, celery_worker_process, crm, settings
) -> None:
    settings.DEMO_REQUEST_MIN_FILL_SECONDS = 0
    agency = PracticeFactory(
        name="Brightline", slug="agency", hostname="agency.localhost", template="agency-marketing"
    )
    CrmSettings.objects.create(
        site=agency.site, webhook_enabled=True, webhook_url=f"{crm.url}/hooks/leads",
        webhook_secret=SECRET,
    )  # fmt: skip
    report = import_posts(agency, [SEED_POST], uploads_root=None)
    assert report.summary().startswith("1 created"), report.summary()
    blog = BlogIndexPage.objects.descendant_of(agency.site.root_page).get()
    post = BlogPostPage.objects.child_of(blog).get()
    assert post.audience == "practice-owners"

    base = f"http://agency.localhost:{urlsplit(live_server.url).port}"
    page = browser_page
    page.goto(f"{base}/blog/{post.slug}/")
    assert page.locator("h1").inner_text() == "Five Ways to Humanize Your Practice Online"
    cta = page.locator("aside.post-cta")
    cta.get_by_role("link", name="Get a demo").click()  # the one click
    page.wait_for_url(f"{base}/get-a-demo/")
    assert page.locator("h1").inner_text() == "Get a demo"

    form = page.locator("main form").first
    fill_every_field(form)
    form.get_by_role("button", name="Send request").click()
    page.wait_for_load_state()
    assert "Thank you" in page.content()

    lead = Lead.objects.get()
    assert lead.practice == agency
    deadline = time.monotonic() + 60
    while not crm.received and time.monotonic() < deadline:
        time.sleep(0.2)
    [(key, document)] = crm.received.items()
    assert key == lead.idempotency_key
    assert document["fields"]["work_email"] == "owner@lakeside-dental.test"  # demo kind
    assert document["fields"]["your_name"] == "Dana Owner"
    deadline = time.monotonic() + 30
    while lead.status != Lead.Status.DELIVERED and time.monotonic() < deadline:
        time.sleep(0.2)
        lead.refresh_from_db()
    assert lead.status == Lead.Status.DELIVERED
