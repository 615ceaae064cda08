"""Leads are taken while the Redis behind the cache, the rate limits and the broker is
down (agency_platform.core.cache fails open; demo_requests.spam counts in the process;
demo_requests.delivery keeps the outbox), and delivered once it is back.

Real processes only: a redis-server of this module's own on a free port (stopped
mid-test), gunicorn as deployed (infra/gunicorn.conf.py) with the page cache on, a
Celery worker, and the signed-webhook peer. The test process plays beat.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
import requests

from demo_requests.models import CrmSettings, DemoRequestPage, Lead, LeadDelivery
from tests.conftest import REPO_ROOT, subprocess_env, transactional_db
from tests.demo_requests.conftest import VALID
from tests.demo_requests.crm_peers import WebhookPeer
from tests.demo_requests.test_delivery import Worker, all_deliveries, beat_until, point_celery_at
from tests.factories import PracticeFactory
from tests.processes import RedisServer, free_port, stop_process

pytestmark = transactional_db

HOST = "outage.example.test"
DURING = 10  # sends while Redis is down
# Per hour. Redis counted the 2 sends before the outage and is gone with them; the
# process counts the 10 during it and refuses the 11th.
PER_IP_LIMIT = DURING


@dataclass
class Gunicorn:
    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer().start()
    with pytest.MonkeyPatch.context() as patch:
        # Celery prefers this variable to its configuration: the test process must
        # publish to the module's own server.
        patch.delenv("CELERY_BROKER_URL", raising=False)
        previous = point_celery_at(server.url)
        yield server
        point_celery_at(previous)
    server.kill()


def redis_env(server: RedisServer) -> dict[str, str]:
    """The broker on db 0 and the cache on db 1 of the same server: both go down."""
    return {
        "TEST_REDIS_URL": f"redis://127.0.0.1:{server.port}/1",
        "TEST_CELERY_BROKER_URL": server.url,
        "CELERY_BROKER_URL": server.url,
    }


@pytest.fixture(scope="module")
def gunicorn(django_db_setup, redis_server) -> Iterator[Gunicorn]:
    port = free_port()
    log_path = REPO_ROOT / "var" / f"test-gunicorn-redis-outage-{os.getpid()}.log"
    log_path.parent.mkdir(exist_ok=True)
    command = [
        sys.executable, "-m", "gunicorn", "--config", "infra/gunicorn.conf.py",
        "--bind", f"127.0.0.1:{port}", "agency_platform.wsgi:application",
    ]  # fmt: skip
    env = subprocess_env(
        **redis_env(redis_server),
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="2",
        DEMO_REQUEST_RATE_LIMIT_PER_IP=f"{PER_IP_LIMIT}/1h",
        DEMO_REQUEST_MIN_FILL_SECONDS="0",
        PAGE_CACHE_ENABLED="true",
        LOG_LEVEL="WARNING",
    )
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    server = Gunicorn(f"http://127.0.0.1:{port}", process, log_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"gunicorn exited with {process.returncode}:\n{server.log()}")
            try:
                if requests.get(f"{server.url}/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not answer /healthz in 60 s:\n{server.log()}")
            time.sleep(0.2)
        yield server
    finally:
        stop_process(process)


class Visitor:
    """A browser: its own cookies, the practice's Host header."""

    def __init__(self, server: Gunicorn, page: DemoRequestPage) -> None:
        self.server = server
        self.page = page
        self.session = requests.Session()
        self.session.headers["Host"] = HOST

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.server.url + path, timeout=10)

    def send_the_form(self, n: int) -> requests.Response:
        page = self.get("/contact/")
        assert page.status_code == 200, page.text[:2000]
        found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text)
        hidden = {name: unescape(value) for name, value in found}
        assert hidden.get("csrfmiddlewaretoken"), page.text[:2000]
        return self.session.post(
            f"{self.server.url}/contact/",
            data={**hidden, **VALID, "email": f"form{n}@example.test"},
            headers={"Referer": f"http://{HOST}/contact/"},
            timeout=10,
        )

    def tokens(self) -> dict:
        response = self.get(f"/api/demo-requests/{self.page.pk}/tokens/")
        assert response.status_code == 200, response.text[:2000]
        return response.json()

    def send_json(self, n: int) -> requests.Response:
        described = self.get(f"/api/demo-requests/{self.page.pk}/")
        assert described.status_code == 200, described.text[:2000]
        body = {
            **VALID,
            "email": f"json{n}@example.test",
            "i_agree_that_you_may_contact_me_about_my_request": True,
            "form_token": described.json()["form_token"],
        }
        return self.session.post(
            f"{self.server.url}/api/demo-requests/{self.page.pk}/", json=body, timeout=10
        )


def send(visitor: Visitor, n: int) -> None:
    """One lead, through the HTML form or the JSON endpoint in turn; both accepted."""
    if n % 2:
        response = visitor.send_json(n)
        assert response.status_code == 201, response.text[:2000]
        assert response.json()["status"] == "received"
    else:
        response = visitor.send_the_form(n)
        assert response.status_code == 200, response.text[:2000]
        assert "Thank you" in response.text, response.text[:2000]


def test_leads_are_stored_while_redis_is_down_and_delivered_once_it_is_back(
    gunicorn, redis_server, settings
) -> None:
    receiver = WebhookPeer(secret="whsec-outage").start()
    practice = PracticeFactory(name="Outage Clinic", slug="outage", hostname=HOST)
    CrmSettings.objects.create(
        site=practice.site,
        webhook_enabled=True,
        webhook_url=f"{receiver.url}/hooks/leads",
        webhook_secret="whsec-outage",
    )
    page = DemoRequestPage.objects.descendant_of(practice.site.root_page).get()
    visitor = Visitor(gunicorn, page)
    try:
        for n in range(2):  # Redis up
            send(visitor, n)
        assert visitor.get("/").headers.get("X-Cache") in ("MISS", "HIT")
        assert requests.get(f"{gunicorn.url}/readyz", timeout=10).json()["status"] == "ok"

        redis_server.kill()  # the cache, the rate-limit counters and the broker: gone
        for n in range(2, 2 + DURING):
            send(visitor, n)
            tokens = visitor.tokens()  # the embedded form's token endpoint
            assert re.fullmatch(r"[0-9a-f]{32}", tokens["submission_key"])
            assert tokens["csrf_token"]
            assert tokens["form_token"]
        home = visitor.get("/")
        assert home.status_code == 200
        assert home.headers.get("X-Cache") != "HIT"  # not served from the dead cache
        # The per-IP limit, counted in the process while Redis is away, still holds.
        refused = visitor.send_json(99)
        assert refused.status_code == 429, refused.text[:2000]
        assert 0 < int(refused.headers["Retry-After"]) <= 3600
        ready = requests.get(f"{gunicorn.url}/readyz", timeout=10)
        assert ready.status_code == 200
        assert ready.json()["status"] == "degraded"
        assert ready.json()["degraded"] == ["cache", "broker"]
        assert ready.json()["checks"]["cache"]["bypassed"] is True

        leads = list(Lead.objects.order_by("pk"))
        assert len(leads) == 2 + DURING
        emails = sorted(lead.submission.form_data["email"] for lead in leads)
        expected = [f"{'json' if n % 2 else 'form'}{n}@example.test" for n in range(2 + DURING)]
        assert emails == sorted(expected)
        assert LeadDelivery.objects.filter(status=LeadDelivery.Status.PENDING).count() == len(leads)

        redis_server.start()  # back on the same port, empty
        worker = Worker(
            redis_server,
            TEST_REDIS_URL=redis_env(redis_server)["TEST_REDIS_URL"],
            **_fast_retries(),
        ).start()
        try:
            settings.LEAD_DELIVERY_STUCK_SECONDS = 2
            beat_until(all_deliveries(LeadDelivery.Status.DELIVERED), timeout=90)
        finally:
            worker.stop()
    finally:
        receiver.stop()
    assert sorted(doc["fields"]["email"] for doc in receiver.received.values()) == sorted(expected)
    assert len(receiver.received) == len(leads)  # each once
    assert set(Lead.objects.values_list("status", flat=True)) == {Lead.Status.DELIVERED}
    log = gunicorn.log()
    assert "cache unavailable, bypassed" in log
    assert "rate limit counted in process" in log
    assert "Traceback" not in log, log[-5000:]
    assert "patient" not in log
    assert "example.test" not in log.replace(HOST, "")


def _fast_retries() -> dict[str, str]:
    return {
        "LEAD_DELIVERY_BACKOFF_SECONDS": "0.05",
        "LEAD_DELIVERY_BACKOFF_MAX_SECONDS": "0.5",
        "LEAD_DELIVERY_STUCK_SECONDS": "2",
    }
