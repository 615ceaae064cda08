"""The practice hears about each lead, and gets a daily digest, without the
visitor's free text in any e-mail."""

from __future__ import annotations

import pytest
from django.core import mail

from demo_requests.models import DemoRequestPage
from demo_requests.notifications import notify_practice_of_lead, send_daily_digests
from tests.demo_requests.conftest import VALID, rendered_form

pytestmark = pytest.mark.django_db
HOST = "riverside.example.test"


@pytest.fixture
def form_page(practice):
    page = DemoRequestPage.objects.descendant_of(practice.site.root_page).get()
    page.to_address = "front-desk@riverside.example.test, owner@riverside.example.test"
    page.save()
    return page


def submit(client) -> None:
    message = {**VALID, "message": "My knee hurts since my surgery"}
    client.post("/contact/", {**rendered_form(client), **message}, HTTP_HOST=HOST)


def test_each_lead_e_mails_the_practice_without_free_text(
    client, form_page, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        submit(client)
    lead = form_page.leads.get()

    assert notify_practice_of_lead(lead.pk) is True

    (email,) = mail.outbox
    assert email.to == ["front-desk@riverside.example.test", "owner@riverside.example.test"]
    assert email.subject == "New request from the Riverside website"
    assert "Pat Doe" in email.body
    assert "pat@example.test" in email.body
    assert f"/admin/leads/inspect/{lead.pk}/" in email.body
    assert "knee" not in email.body
    assert "knee" not in email.subject


def test_no_recipients_means_no_e_mail(client, practice) -> None:
    submit(client)
    lead = practice.leads.get()
    assert notify_practice_of_lead(lead.pk) is False
    assert mail.outbox == []


def test_daily_digest_counts_the_last_day(client, form_page) -> None:
    submit(client)
    submit(client)
    assert send_daily_digests() == 1
    (email,) = mail.outbox
    assert email.subject == "Riverside: 2 new request(s) in the last 24 hours"
    assert "2 new request(s), 0 not delivered to your CRM." in email.body
    assert "knee" not in email.body
