from __future__ import annotations

import json

import pytest
from django.test import override_settings

CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


@pytest.mark.django_db
def test_healthz_answers_without_a_known_host(client) -> None:
    response = client.get("/healthz", HTTP_HOST="10.1.2.3")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_readyz_reports_each_dependency_ok(client) -> None:
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert {name for name, check in body["checks"].items() if check["ok"]} == {
        "database",
        "cache",
        "broker",
    }


@pytest.mark.django_db
def test_readyz_reports_redis_down_as_degraded_and_stays_ready(client, monkeypatch) -> None:
    """The cache fails open and leads wait in the outbox for the broker: Redis down
    must not take the process out of the load balancer (agency_platform.core.health)."""
    from agency_platform.celery_app import app

    monkeypatch.setattr(app.conf, "broker_url", CLOSED_PORT_REDIS)
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)  # Celery prefers it to the conf
    closed_cache = {
        "default": {
            "BACKEND": "agency_platform.core.cache.RedisCache",
            "LOCATION": CLOSED_PORT_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    with override_settings(CACHES=closed_cache):
        response = client.get("/readyz")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["failing"] == []
    assert body["degraded"] == ["cache", "broker"]
    assert body["checks"]["database"]["ok"] is True
    cache_check = body["checks"]["cache"]
    assert cache_check["ok"] is False
    assert cache_check["error"] == "ConnectionError"
    assert cache_check["bypassed"] is True
    assert cache_check["since"] > 0
