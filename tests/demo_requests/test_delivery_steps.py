"""Deliveries in resumable, idempotent steps (demo_requests.sending) against the CRM
peers (tests/demo_requests/crm_peers.py): a retry resumes at the first step not done,
a step that may have been done is looked up before it is made again, budgets count per
step, the retry window ends retries, and unusable answers are recorded, not crashes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from demo_requests import delivery
from demo_requests.models import Lead, LeadDelivery
from tests.demo_requests.crm_peers import HubSpotPeer, SalesforcePeer, WebhookPeer
from tests.demo_requests.test_delivery import (
    TOKEN,
    assert_exactly_once,
    hubspot_crm,
    practice_with,
    submit,
)

pytestmark = pytest.mark.django_db
Status = LeadDelivery.Status
UPSERT = r"/contacts/batch/upsert$"
NOTES = r"/objects/notes$"
HTML = (200, b"<!DOCTYPE html><html><body>Maintenance for pat@example.test</body></html>", None)
NO_ID = (200, {"status": "COMPLETE", "results": [{"properties": {}}]}, None)
CONFLICT = (409, {"status": "error", "message": "Conflict", "correlationId": "x"}, None)


@pytest.fixture
def hubspot():
    peer = HubSpotPeer(token=TOKEN).start()
    yield peer
    peer.stop()


def again(row: LeadDelivery) -> str:
    """The next attempt, now (as the dispatcher would once it is due)."""
    LeadDelivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    return delivery.deliver(row.pk)


def paths(peer) -> list[str]:
    return [
        f"{method} {path.rsplit('/', 2)[-2]}/{path.rsplit('/', 1)[-1]}"
        for method, path, _ in peer.calls
    ]


def test_a_retry_resumes_at_the_note_and_looks_for_it_first(hubspot) -> None:
    lead = submit(practice_with("resume", **hubspot_crm(hubspot)), 1)
    row = lead.deliveries.get()
    # The note is made but its answer is lost (a 502 after the work).
    hubspot.answer_next(NOTES, (502, {"message": "Bad gateway"}, None), after_work=True)
    assert delivery.deliver(row.pk) == Status.PENDING
    row.refresh_from_db()
    contact = row.steps["contact"]["id"]
    assert "sent_at" in row.steps["note"]  # in doubt
    assert row.step_attempts == {"contact": 1, "note": 1}
    (first,) = row.attempt_log.all()
    assert (first.step, first.status_code, first.succeeded) == ("note", 502, False)

    assert again(row) == Status.DELIVERED
    row.refresh_from_db()
    assert paths(hubspot) == [
        "POST batch/upsert",
        "POST objects/notes",
        "POST notes/search",  # found: not created again, the contact not upserted again
    ]
    note = row.steps["note"]["id"]
    assert row.external_id == f"{contact}/{note}"
    assert row.last_status_code == 200
    assert_exactly_once(hubspot, [lead])
    assert row.step_attempts == {"contact": 1, "note": 2}


def test_a_step_refused_before_any_work_is_not_looked_up(hubspot) -> None:
    lead = submit(practice_with("limited", **hubspot_crm(hubspot)), 2)
    row = lead.deliveries.get()
    hubspot.answer_next(NOTES, hubspot.rate_limited())
    assert delivery.deliver(row.pk) == Status.PENDING
    row.refresh_from_db()
    assert row.next_attempt_at >= timezone.now() + timedelta(seconds=0.9)  # Retry-After: 1
    assert "note" not in row.steps
    assert again(row) == Status.DELIVERED
    assert paths(hubspot) == ["POST batch/upsert", "POST objects/notes", "POST objects/notes"]
    assert_exactly_once(hubspot, [lead])


@pytest.mark.parametrize(
    ("pattern", "answer", "step", "message", "shown"),
    [
        (UPSERT, HTML, "contact", "with text/html, not a JSON object", "<!DOCTYPE html>"),
        (UPSERT, NO_ID, "contact", "answered 200 without an id", ""),
        (UPSERT, CONFLICT, "contact", "answered 409 Conflict", '{"status": "error"'),
        (NOTES, (201, {"properties": {}}, None), "note", "answered 201 without an id", ""),
    ],
)
def test_an_unusable_answer_is_a_recorded_retry(
    hubspot, pattern, answer, step, message, shown
) -> None:
    lead = submit(practice_with("garbage", **hubspot_crm(hubspot)), 3)
    row = lead.deliveries.get()
    hubspot.answer_next(pattern, answer)
    assert delivery.deliver(row.pk) == Status.PENDING  # no exception out of the worker
    (attempt,) = row.attempt_log.all()
    assert attempt.step == step
    assert message in attempt.error
    assert attempt.status_code == answer[0]
    assert attempt.finished_at is not None
    assert shown in attempt.response_excerpt
    assert "example.test" not in attempt.response_excerpt + attempt.error  # masked
    if answer is HTML:
        assert "<email>" in attempt.response_excerpt
    assert again(row) == Status.DELIVERED
    assert_exactly_once(hubspot, [lead])


def test_attempts_are_budgeted_per_step(hubspot, settings) -> None:
    settings.LEAD_DELIVERY_MAX_ATTEMPTS = 2
    lead = submit(practice_with("budget", **hubspot_crm(hubspot)), 4)
    row = lead.deliveries.get()
    bad_gateway = (502, {"message": "Bad gateway"}, None)
    hubspot.answer_next(UPSERT, bad_gateway)
    hubspot.answer_next(NOTES, bad_gateway, bad_gateway)
    assert delivery.deliver(row.pk) == Status.PENDING  # contact 1 of 2
    assert again(row) == Status.PENDING  # contact done; note 1 of 2
    assert again(row) == Status.FAILED  # note 2 of 2: three attempts in all
    row.refresh_from_db()
    assert row.attempts == 3
    assert row.step_attempts == {"contact": 2, "note": 2}
    assert "id" in row.steps["contact"]
    lead.refresh_from_db()
    assert lead.status == Lead.Status.FAILED
    # "Retry now" gives fresh budgets and resumes at the note.
    assert delivery.retry_now(lead) == 1
    calls = len(hubspot.calls)
    assert delivery.deliver(row.pk) == Status.DELIVERED
    assert paths(hubspot)[calls:] == ["POST notes/search", "POST objects/notes"]
    assert_exactly_once(hubspot, [lead])


def test_retries_stop_at_the_end_of_the_retry_window(hubspot, settings) -> None:
    settings.LEAD_DELIVERY_BACKOFF_SECONDS = 60
    lead = submit(practice_with("window", **hubspot_crm(hubspot)), 5)
    row = lead.deliveries.get()
    assert row.retry_until > timezone.now() + timedelta(hours=47)  # 48 h by default
    LeadDelivery.objects.filter(pk=row.pk).update(
        retry_until=timezone.now() + timedelta(seconds=20)
    )
    hubspot.answer_next(UPSERT, (503, {"message": "Unavailable"}, None))
    assert delivery.deliver(row.pk) == Status.FAILED  # the next try would fall after it
    row.refresh_from_db()
    assert row.attempts == 1
    assert row.last_error.endswith("(retry window over)")
    assert row.notified_at is not None


def test_salesforce_resumes_and_keeps_one_lead_through_bad_answers(tmp_path, monkeypatch) -> None:
    salesforce = SalesforcePeer(cert_dir=tmp_path, session_id="00D!session").start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(salesforce.cert_file))
    try:
        page = practice_with(
            "sfsteps",
            salesforce_enabled=True,
            salesforce_instance_url=salesforce.url,
            salesforce_session_id="00D!session",
        )
        lead = submit(page, 6)
        row = lead.deliveries.get()
        lead_path = r"/sobjects/Lead/"
        salesforce.answer_next(
            lead_path, (500, [{"errorCode": "UNKNOWN_EXCEPTION"}], None), after_work=True
        )
        salesforce.answer_next(lead_path, HTML, (200, {"success": True, "errors": []}, None))
        assert delivery.deliver(row.pk) == Status.PENDING  # done, answer lost
        assert again(row) == Status.PENDING  # an HTML page
        assert again(row) == Status.PENDING  # 200 without the id
        assert again(row) == Status.DELIVERED
        errors = [a.error for a in row.attempt_log.all()]
        assert "500" in errors[0]
        assert "UNKNOWN_EXCEPTION" in row.attempt_log.all()[0].response_excerpt
        assert "text/html" in errors[1]
        assert "without an id" in errors[2]
        (stored_id,) = salesforce.leads  # one Lead, upserted by the lead's key
        row.refresh_from_db()
        assert row.steps["lead"]["id"] == stored_id == row.external_id
        assert row.step_attempts == {"lead": 4}
    finally:
        salesforce.stop()


def test_webhook_ack_is_a_step_and_a_repeat_is_deduplicated() -> None:
    receiver = WebhookPeer(secret="whsec-steps").start()
    try:
        page = practice_with(
            "hooksteps",
            webhook_enabled=True,
            webhook_url=f"{receiver.url}/hooks/leads",
            webhook_secret="whsec-steps",
        )
        lead = submit(page, 7)
        row = lead.deliveries.get()
        receiver.answer_next(r"/hooks/leads", (503, {"error": "busy"}, None), after_work=True)
        assert delivery.deliver(row.pk) == Status.PENDING
        row.refresh_from_db()
        assert "sent_at" in row.steps["ack"]
        assert again(row) == Status.DELIVERED
        row.refresh_from_db()
        assert row.steps["ack"]["id"] == ""  # acknowledged; this receiver gives no id
        assert [status for _, _, status in receiver.calls] == [503, 200]  # 200: a duplicate
        assert list(receiver.received) == [lead.idempotency_key]  # received once
        assert row.last_status_code == 200
    finally:
        receiver.stop()
