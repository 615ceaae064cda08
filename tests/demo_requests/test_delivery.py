"""Leads reach the practices' CRMs exactly once: a transactional outbox worked by real
Celery worker processes against local CRM peers (tests/demo_requests/crm_peers.py).

This module runs its own redis-server (a free port, no persistence) as the broker, so
it can be killed and restarted without touching the shared Redis; the test process
publishes to it too (the Celery app is re-pointed for the module). The test process
plays Celery beat: `beat_until` calls the dispatcher and sweeper the way the beat
schedule does (every 10 s / 60 s in production; a fraction of a second here).
"""

from __future__ import annotations

import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from html import unescape
from types import SimpleNamespace

import pytest
import redis
from django.core import mail
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import reverse

from demo_requests import delivery
from demo_requests.models import (
    CrmSettings,
    DemoRequestPage,
    Lead,
    LeadDelivery,
    LeadDeliveryAttempt,
)
from demo_requests.services import record_lead
from tests.conftest import REPO_ROOT, subprocess_env, transactional_db
from tests.demo_requests.crm_peers import HubSpotPeer, SalesforcePeer, WebhookPeer
from tests.factories import PracticeFactory
from tests.processes import RedisServer

pytestmark = transactional_db
VOLUME = int(os.environ.get("LEAD_DELIVERY_TEST_VOLUME", "300"))
TOKEN = "pat-na1-0000-secret-token"
Status = LeadDelivery.Status


# --- Processes: our own broker, our own workers ---------------------------------------


def point_celery_at(url: str) -> str:
    """Re-point this process's Celery app (publishing, control) at another broker."""
    from kombu import pools

    from agency_platform.celery_app import app

    previous = app.conf.broker_url
    # kombu keeps connection and producer pools in a process-wide registry keyed by
    # connection: closing ours without clearing it would hand later tests (in this
    # process) a closed pool. reset() closes and forgets them all.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    app.conf.broker_url = url
    return previous


@pytest.fixture(scope="module")
def broker():
    server = RedisServer().start()
    with pytest.MonkeyPatch.context() as patch:
        # Celery prefers this variable to its configuration (see Worker.start).
        patch.delenv("CELERY_BROKER_URL", raising=False)
        previous = point_celery_at(server.url)
        yield server
        point_celery_at(previous)
    server.kill()


class Worker:
    """A real `celery worker` process on our broker and the test database."""

    def __init__(self, broker: RedisServer, **env: str) -> None:
        self.broker = broker
        self.env = env
        self.hostname = f"leads-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
        self.log_path = REPO_ROOT / "var" / f"test-lead-delivery-worker-{os.getpid()}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        from agency_platform.celery_app import app

        self.log_path.parent.mkdir(exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "agency_platform.celery_app",
                "worker",
                "--pool",
                "threads",
                "--concurrency",
                "8",
                "--loglevel",
                "WARNING",
                "-n",
                self.hostname,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=REPO_ROOT,
            # CELERY_BROKER_URL too: Celery prefers that variable to its configuration.
            env=subprocess_env(
                TEST_CELERY_BROKER_URL=self.broker.url,
                CELERY_BROKER_URL=self.broker.url,
                **self.env,
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"worker exited early; see {self.log_path}")
            try:
                if app.control.ping(destination=[self.hostname], timeout=0.5):
                    return self
            except redis.ConnectionError:  # our publisher reconnecting after a restart
                time.sleep(0.2)
        self.kill()
        pytest.fail(f"worker not ready; see {self.log_path}")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def workers(broker):
    started: list[Worker] = []

    def start(**env: str) -> Worker:
        worker = Worker(broker, **env).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def beat_settings(settings):
    settings.LEAD_DELIVERY_STUCK_SECONDS = 2
    return settings


def beat_until(predicate, timeout: float, interval: float = 0.3) -> float:
    """Run the dispatcher and sweeper (as beat would) until `predicate()` holds."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        delivery.dispatch_due()
        delivery.sweep_stuck()
        if predicate():
            return time.monotonic() - started
        time.sleep(interval)
    counts = Counter(LeadDelivery.objects.values_list("status", flat=True))
    errors = Counter(
        LeadDelivery.objects.filter(status__in=(Status.FAILED, Status.DEAD)).values_list(
            "last_error", flat=True
        )
    )
    pytest.fail(f"not done after {timeout} s: deliveries {dict(counts)}, errors {dict(errors)}")


def all_deliveries(status: str):
    return lambda: not LeadDelivery.objects.exclude(status=status).exists()


# --- Practices and leads ------------------------------------------------------------


@pytest.fixture
def peers(tmp_path):
    started = []

    def start(peer):
        started.append(peer.start())
        return peer

    yield start
    for peer in started:
        peer.stop()


def practice_with(slug: str, **crm) -> DemoRequestPage:
    practice = PracticeFactory(name=slug.title(), slug=slug, hostname=f"{slug}.example.test")
    CrmSettings.objects.create(site=practice.site, **crm)
    return DemoRequestPage.objects.descendant_of(practice.site.root_page).get()


def hubspot_crm(peer: HubSpotPeer, **extra) -> dict:
    return {
        "hubspot_enabled": True,
        "hubspot_access_token": TOKEN,
        "hubspot_base_url": peer.url,
        **extra,
    }


def fields_for(n: int) -> dict:
    return {
        "your_name": f"Patient Number{n}",
        "email": f"patient{n}@example.test",
        "phone": f"+1 512 555 {n:04d}",
        "new_or_existing_patient": "New patient",  # required on an appointment request
        "reason_for_visit": "Check-up",
        "message": "Please call me",
        "i_agree_that_you_may_contact_me_about_my_request": True,
    }


def submit(page: DemoRequestPage, n: int) -> Lead:
    """record_lead as the form page calls it (a real request, the cleaned fields)."""
    request = RequestFactory().post("/contact/", {"submission_key": uuid.uuid4().hex})
    return record_lead(page, SimpleNamespace(cleaned_data=fields_for(n)), request).lead


def assert_exactly_once(hubspot: HubSpotPeer, leads: list[Lead]) -> None:
    emails = {lead.submission.form_data["email"] for lead in leads}
    assert set(hubspot.contact_creations) == emails
    assert set(hubspot.contact_creations.values()) == {1}  # one contact per e-mail
    notes = Counter(
        token
        for note in hubspot.notes.values()
        for token in note["body"].split()
        if token.startswith("lead-ref-")
    )
    assert notes == Counter({f"lead-ref-{lead.idempotency_key}": 1 for lead in leads})


# --- Tests --------------------------------------------------------------------------


CHAOS_RETRIES = {
    # Sped up: 48 h of retries in CHAOS_WINDOW s; the per-step budget is the default.
    "LEAD_DELIVERY_BACKOFF_SECONDS": "0.2",
    "LEAD_DELIVERY_BACKOFF_MAX_SECONDS": "2",
    "LEAD_DELIVERY_STUCK_SECONDS": "2",
    # Long enough for a loaded 2-core machine (the run itself takes 2-4 minutes).
    "LEAD_DELIVERY_RETRY_WINDOW_SECONDS": "900",
}


def test_chaos_every_lead_delivered_once_through_faults_kills_and_a_broker_restart(
    broker, peers, workers, beat_settings
) -> None:
    """30% 5xx (half of them after the work was done) and 10% 429 + Retry-After on every
    HubSpot call, three worker SIGKILLs mid-delivery and one broker restart."""
    beat_settings.LEAD_DELIVERY_RETRY_WINDOW_SECONDS = 900
    hubspot = peers(HubSpotPeer(token=TOKEN, fail_rate=0.4, rate_limit_share=0.25, seed=7))
    page = practice_with("riverside", **hubspot_crm(hubspot))
    worker = workers(**CHAOS_RETRIES)
    started = time.monotonic()
    leads = [submit(page, n) for n in range(VOLUME)]
    for kill in range(3):  # SIGKILL while deliveries are in flight, then a new worker
        target = VOLUME * (kill + 1) // 5
        beat_until(lambda t=target: _delivered() >= t, timeout=240)
        worker.kill()
        if kill == 1:
            broker.kill()  # every queued message is gone
            broker.start()
        worker = workers(**CHAOS_RETRIES)
    beat_until(all_deliveries(Status.DELIVERED), timeout=600)
    took = time.monotonic() - started

    assert_exactly_once(hubspot, leads)
    assert set(Lead.objects.values_list("status", flat=True)) == {Lead.Status.DELIVERED}
    late = LeadDelivery.objects.filter(delivered_at__gt=F("retry_until"))
    assert not late.exists()  # within the retry window
    codes = Counter(status for _, _, status in hubspot.calls)
    assert codes[429] > 0
    assert codes[502] > 0
    # Resumed, not restarted: a contact is upserted again only while its step is not
    # recorded done, so there are far fewer upserts than attempts.
    paths = Counter(path for _, path, _ in hubspot.calls)
    attempts = LeadDeliveryAttempt.objects
    assert attempts.count() == sum(LeadDelivery.objects.values_list("attempts", flat=True))
    assert attempts.filter(succeeded=True).count() == VOLUME
    assert attempts.filter(status_code=429, succeeded=False, step="contact").exists()
    assert attempts.filter(step="note", succeeded=False).exists()
    lost = attempts.filter(finished_at__isnull=True).count()
    assert lost <= 3 * 8  # only what the kills interrupted (8 threads per worker)
    for row in LeadDelivery.objects.all():
        contact, note = row.steps["contact"]["id"], row.steps["note"]["id"]
        assert row.external_id == f"{contact}/{note}"
        assert hubspot.notes[note]["contacts"] == [contact]
    calls = len(hubspot.calls) / VOLUME
    print(
        f"\n{VOLUME} leads, 3 worker SIGKILLs, 1 broker restart: all delivered once in "
        f"{took:.1f} s; {attempts.count()} attempts ({lost} cut by a kill); HubSpot calls "
        f"per lead {calls:.2f} (answers {dict(codes)}; {dict(paths)})"
    )
    assert calls < 4.5


def _delivered() -> int:
    return LeadDelivery.objects.filter(status=Status.DELIVERED).count()


def test_crm_down_for_the_whole_retry_window_fails_notifies_and_retry_now_delivers(
    client, peers, workers, beat_settings
) -> None:
    from wagtail.models import Page  # noqa: F401 - app registry ready

    from tests.factories import UserFactory

    staff = UserFactory(email="ops@agency.example.test", is_superuser=True)
    hubspot = peers(HubSpotPeer(token=TOKEN))
    hubspot.stop()  # down: nothing listens on its port
    page = practice_with("hillside", **hubspot_crm(hubspot))
    workers(
        LEAD_DELIVERY_MAX_ATTEMPTS="3",
        LEAD_DELIVERY_BACKOFF_SECONDS="0.1",
        LEAD_DELIVERY_BACKOFF_MAX_SECONDS="0.2",
        LEAD_DELIVERY_STUCK_SECONDS="2",
    )
    beat_settings.DEMO_REQUEST_MIN_FILL_SECONDS = 0
    # One lead through the real form page (the response does not wait for the CRM)...
    html = client.get("/contact/", HTTP_HOST="hillside.example.test").content.decode()
    hidden = {
        name: unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)
    }
    started = time.monotonic()
    response = client.post(
        "/contact/",
        {**hidden, **fields_for(0), "i_agree_that_you_may_contact_me_about_my_request": "on"},
        HTTP_HOST="hillside.example.test",
    )
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert time.monotonic() - started < 2
    # ...and two more directly.
    leads = [Lead.objects.get(), submit(page, 1), submit(page, 2)]
    beat_until(all_deliveries(Status.FAILED), timeout=60)

    for lead in leads:
        lead.refresh_from_db()
        assert lead.status == Lead.Status.FAILED
        (failed,) = lead.deliveries.all()
        assert failed.attempts == 3
        assert failed.notified_at is not None
        assert [a.number for a in failed.attempt_log.all()] == [1, 2, 3]
        errors = [a.error for a in failed.attempt_log.all()]
        assert all("unreachable" in error for error in errors), errors
    # The staff e-mail (the worker's own mail outbox is in its process: send it here).
    failed = leads[0].deliveries.get()
    LeadDelivery.objects.filter(pk=failed.pk).update(notified_at=None)
    mail.outbox.clear()
    assert delivery.notify_staff(LeadDelivery.objects.get(pk=failed.pk))
    (message,) = mail.outbox
    assert staff.email in message.to
    assert f"Lead {leads[0].pk}" in message.subject
    assert "patient0@example.test" not in message.body + message.subject

    hubspot.start()  # back, on the same port
    for lead in leads:
        assert delivery.retry_now(lead) == 1
    beat_until(all_deliveries(Status.DELIVERED), timeout=60)
    assert_exactly_once(hubspot, leads)
    assert set(Lead.objects.values_list("status", flat=True)) == {Lead.Status.DELIVERED}


def test_webhook_is_signed_and_a_wrong_secret_is_rejected_and_recorded(peers) -> None:
    receiver = peers(WebhookPeer(secret="whsec-right"))
    good = practice_with(
        "northside",
        webhook_enabled=True,
        webhook_url=f"{receiver.url}/hooks/leads",
        webhook_secret="whsec-right",
    )
    bad = practice_with(
        "southside",
        webhook_enabled=True,
        webhook_url=f"{receiver.url}/hooks/leads",
        webhook_secret="whsec-wrong",
    )
    good_lead, bad_lead = submit(good, 1), submit(bad, 2)

    good_delivery = good_lead.deliveries.get()
    assert delivery.deliver(good_delivery.pk) == Status.DELIVERED
    assert (
        receiver.received[good_lead.idempotency_key]["fields"]["email"] == "patient1@example.test"
    )
    assert delivery.deliver(good_delivery.pk) == "skipped"  # delivered rows are never resent

    bad_delivery = bad_lead.deliveries.get()
    assert delivery.deliver(bad_delivery.pk) == Status.FAILED
    assert receiver.rejected == 1
    (attempt,) = LeadDeliveryAttempt.objects.filter(delivery=bad_delivery)
    assert attempt.status_code == 401
    assert not attempt.succeeded
    assert "401" in attempt.error
    bad_lead.refresh_from_db()
    assert bad_lead.status == Lead.Status.FAILED
    assert list(receiver.received) == [good_lead.idempotency_key]


def test_salesforce_lead_is_upserted_by_the_lead_key(peers, tmp_path, monkeypatch) -> None:
    salesforce = peers(SalesforcePeer(cert_dir=tmp_path, session_id="00D!session"))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(salesforce.cert_file))  # trust the peer's cert
    page = practice_with(
        "eastside",
        salesforce_enabled=True,
        salesforce_instance_url=salesforce.url,
        salesforce_session_id="00D!session",
    )
    lead = submit(page, 3)
    sent = lead.deliveries.get()
    assert delivery.deliver(sent.pk) == Status.DELIVERED
    # A second delivery of the same lead (e.g. staff "Retry now") updates the same Lead.
    LeadDelivery.objects.filter(pk=sent.pk).update(status=Status.PENDING)
    assert delivery.deliver(sent.pk) == Status.DELIVERED
    (stored,) = salesforce.leads.values()
    assert stored["Email"] == "patient3@example.test"
    assert stored["LastName"]
    assert stored["Website_Lead_Key__c"] == lead.idempotency_key
    sent.refresh_from_db()
    assert sent.external_id.startswith("00Q")


def test_secrets_are_never_shown_and_logs_hold_no_personal_data(client, peers, caplog) -> None:
    from tests.factories import UserFactory

    hubspot = peers(HubSpotPeer(token=TOKEN, fail_rate=0.5, seed=3))
    receiver = peers(WebhookPeer(secret="whsec-very-secret"))
    page = practice_with(
        "westside",
        **hubspot_crm(hubspot),
        webhook_enabled=True,
        webhook_url=f"{receiver.url}/hooks/leads",
        webhook_secret="whsec-very-secret",
    )
    admin = UserFactory(is_superuser=True)
    client.force_login(admin)
    crm = CrmSettings.objects.get()
    url = reverse("wagtailsettings:edit", args=["demo_requests", "crmsettings", crm.site_id])
    html = client.get(url).content.decode()
    assert 'name="hubspot_access_token"' in html
    assert 'name="webhook_secret"' in html
    assert TOKEN not in html
    assert "whsec-very-secret" not in html
    # Saving other changes with the secret boxes left blank keeps the secrets.
    crm.hubspot_access_token = ""
    crm.webhook_secret = ""
    crm.save()
    crm.refresh_from_db()
    assert crm.hubspot_access_token == TOKEN
    assert crm.webhook_secret == "whsec-very-secret"

    caplog.set_level(logging.DEBUG)
    lead = submit(page, 42)
    for sent in lead.deliveries.all():
        for _ in range(10):
            if delivery.deliver(sent.pk) == Status.DELIVERED:
                break
            LeadDelivery.objects.filter(pk=sent.pk).update(next_attempt_at=lead.created_at)
    lead.refresh_from_db()
    assert lead.status == Lead.Status.DELIVERED
    assert caplog.records, "the service path logs"
    text = caplog.text
    for private in ("patient42@example.test", "Number42", "555 0042", TOKEN, "whsec-very-secret"):
        assert private not in text
    assert f"lead={lead.pk}" in text


def test_staff_see_attempts_and_retry_now_from_the_admin(client, peers) -> None:
    from practices.models import Practice
    from tests.factories import UserFactory, editor_of

    receiver = peers(WebhookPeer(secret="right"))
    page = practice_with(
        "midtown",
        webhook_enabled=True,
        webhook_url=f"{receiver.url}/hooks/leads",
        webhook_secret="wrong",
    )
    lead = submit(page, 5)
    assert delivery.deliver(lead.deliveries.get().pk) == Status.FAILED
    client.force_login(UserFactory(is_superuser=True))
    html = client.get(reverse("demo_requests_lead_deliveries", args=[lead.pk])).content.decode()
    assert "401" in html
    assert "Retry now" in html
    assert "Steps: ack" in " ".join(html.split())
    assert "sent, no answer recorded" in html
    assert "patient5@example.test" not in html
    CrmSettings.objects.update(webhook_secret="right")
    retry_url = reverse("demo_requests_retry_delivery", args=[lead.pk])
    # The practice's own editor reaches the admin, not the retry: Wagtail answers a
    # refusal with a redirect to the dashboard, the success answer is a redirect to the
    # lead's deliveries, so the target tells them apart; nothing is restarted.
    staff_client = client
    client = Client()
    client.force_login(editor_of(Practice.objects.get(slug="midtown")))
    refused = client.post(retry_url)
    assert (refused.status_code, refused["Location"]) == (302, reverse("wagtailadmin_home"))
    assert lead.deliveries.get().status == Status.FAILED
    response = staff_client.post(retry_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("demo_requests_lead_deliveries", args=[lead.pk])
    assert lead.deliveries.get().status != Status.FAILED  # restarted
    assert delivery.deliver(lead.deliveries.get().pk) == Status.DELIVERED
    lead.refresh_from_db()
    assert lead.status == Lead.Status.DELIVERED


def test_a_delivery_that_keeps_killing_workers_is_dead_lettered(broker, peers, settings) -> None:
    settings.LEAD_DELIVERY_MAX_ATTEMPTS = 3
    settings.LEAD_DELIVERY_STUCK_SECONDS = 0
    hubspot = peers(HubSpotPeer(token=TOKEN))
    lead = submit(practice_with("oldtown", **hubspot_crm(hubspot)), 9)
    row = lead.deliveries.get()
    # Three counted attempts that never recorded an outcome (their workers died).
    for number in (1, 2, 3):
        LeadDeliveryAttempt.objects.create(delivery=row, number=number, destination="hubspot")
    LeadDelivery.objects.filter(pk=row.pk).update(
        status=Status.SENDING, attempts=3, step_attempts={"contact": 3}
    )
    assert delivery.sweep_stuck() == 1  # the sweeper finds it...
    assert delivery.deliver(row.pk) == "skipped"  # ...and the next run stops it
    row.refresh_from_db()
    lead.refresh_from_db()
    assert row.status == Status.DEAD
    assert row.notified_at is not None
    assert lead.status == Lead.Status.FAILED
    assert hubspot.calls == []  # the CRM was not called a fourth time
