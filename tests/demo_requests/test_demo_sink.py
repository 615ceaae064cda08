"""The demo's local CRM sink: a real form submission, delivered in-process, arrives
signed at the sink; a wrong secret is refused there and recorded as a failed attempt."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import time
import urllib.request

import pytest
from django.core.management import call_command

from demo_requests import delivery
from demo_requests.demo_sink import CrmSink
from demo_requests.models import CrmSettings, Lead, LeadDelivery, LeadDeliveryAttempt
from tests.demo_requests.conftest import HOST, VALID, rendered_form
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db
SECRET = "sink-test-secret-0123456789"


@pytest.fixture
def sink():
    out = io.StringIO()
    server = CrmSink(SECRET, port=0, out=out).start()
    server.out = out
    yield server
    server.stop()


def sink_summary(sink) -> dict:
    with urllib.request.urlopen(sink.url, timeout=5) as response:
        return json.loads(response.read())


def point_practice_at(practice, url: str, secret: str) -> None:
    crm = CrmSettings.for_site(practice.site)
    crm.webhook_enabled = True
    crm.webhook_url = url
    crm.webhook_secret = secret
    crm.save()


def submit_form(client) -> Lead:
    hidden = rendered_form(client)
    response = client.post("/contact/", {**hidden, **VALID}, HTTP_HOST=HOST)
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    return Lead.objects.get()


def post_raw(sink, body: bytes, secret: str, key: str = "k" * 32) -> int:
    timestamp = str(int(time.time()))
    signature = (
        "sha256="
        + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    )
    request = urllib.request.Request(
        sink.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Timestamp": timestamp,
            "X-Signature": signature,
            "Idempotency-Key": key,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_submitted_lead_reaches_the_sink_signed_and_is_delivered(client, practice, sink):
    point_practice_at(practice, sink.url, SECRET)
    lead = submit_form(client)
    row = LeadDelivery.objects.get(lead=lead)
    assert row.destination == "webhook"
    assert row.status == LeadDelivery.Status.PENDING

    assert delivery.deliver(row.pk) == LeadDelivery.Status.DELIVERED

    summary = sink_summary(sink)
    assert summary == {"count": 1, "keys": [lead.idempotency_key], "accepted": 1, "rejected": 0}
    lead.refresh_from_db()
    row.refresh_from_db()
    assert lead.status == Lead.Status.DELIVERED
    assert row.status == LeadDelivery.Status.DELIVERED
    assert row.last_status_code == 200
    attempt = LeadDeliveryAttempt.objects.get(delivery=row)
    assert attempt.succeeded
    assert attempt.status_code == 200
    # The sink logs the key and field names, never the visitor's data.
    output = sink.out.getvalue()
    assert f"crm-sink: lead {lead.idempotency_key} received (fields: " in output
    assert "your_name" in output
    assert "email" in output
    for secret_or_personal in ("Pat Doe", "pat@example.test", "+15125550100", SECRET):
        assert secret_or_personal not in output
    # A second run has nothing due: delivered exactly once.
    assert delivery.deliver(row.pk) == "skipped"
    assert sink_summary(sink)["accepted"] == 1


def test_a_wrong_secret_is_refused_by_the_sink_and_recorded_as_failed(client, practice, sink):
    point_practice_at(practice, sink.url, "not-the-sink-secret")
    lead = submit_form(client)
    row = LeadDelivery.objects.get(lead=lead)

    assert delivery.deliver(row.pk) == LeadDelivery.Status.FAILED

    assert sink_summary(sink) == {"count": 0, "keys": [], "accepted": 0, "rejected": 1}
    row.refresh_from_db()
    lead.refresh_from_db()
    assert row.last_status_code == 401
    assert lead.status == Lead.Status.FAILED
    attempt = LeadDeliveryAttempt.objects.get(delivery=row)
    assert attempt.status_code == 401
    assert not attempt.succeeded
    assert "401" in attempt.error
    assert "rejected" in sink.out.getvalue()


def test_the_sink_checks_signatures_and_the_timestamp(sink):
    body = json.dumps({"fields": {"email": "x@example.test"}}).encode()
    assert post_raw(sink, body, SECRET) == 200
    assert post_raw(sink, body, "wrong") == 401
    stale = urllib.request.Request(
        sink.url,
        data=body,
        method="POST",
        headers={"X-Timestamp": "1000", "X-Signature": "sha256=00", "Idempotency-Key": "a" * 32},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(stale, timeout=5)
    assert refused.value.code == 401
    assert sink_summary(sink)["keys"] == ["k" * 32]
    assert "x@example.test" not in sink.out.getvalue()


def test_demo_loader_points_practices_and_the_agency_at_the_sink(settings, tmp_path):
    from demo_requests import demo

    settings.BASE_DIR = tmp_path
    riverside = PracticeFactory(name="Riverside", slug="riverside", hostname=HOST)
    agency = PracticeFactory(
        name="Agency", slug="agency", hostname="agency.example.test", specialty="agency"
    )
    lines: list[str] = []
    demo.load(lines.append)
    demo.load(lines.append)  # idempotent

    secret = demo.sink_secret_file().read_text().strip()
    assert len(secret) >= 32
    assert demo.sink_secret_file().stat().st_mode & 0o777 == 0o600
    # The agency's own "Get a demo" leads (its prospects) go there too.
    for practice in (riverside, agency):
        crm = CrmSettings.for_site(practice.site)
        assert (crm.webhook_enabled, crm.webhook_url, crm.webhook_secret) == (
            True,
            "http://127.0.0.1:8025/leads",
            secret,
        )
    assert "(0 updated)" in lines[-1]
    assert all(secret not in line for line in lines)


def test_run_crm_sink_command_serves_until_interrupted(monkeypatch):
    served: dict = {}

    def fake_serve(self):
        served["url"] = self.url
        raise KeyboardInterrupt

    monkeypatch.setattr(CrmSink, "serve_forever", fake_serve)
    out = io.StringIO()
    call_command("run_crm_sink", "--port", "0", "--secret", SECRET, stdout=out)
    assert served["url"].startswith("http://127.0.0.1:")
    assert "crm-sink: listening on http://127.0.0.1:" in out.getvalue()
    assert SECRET not in out.getvalue()
