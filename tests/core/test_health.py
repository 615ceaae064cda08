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
def test_readyz_is_503_naming_redis_dependencies_when_redis_is_unreachable(
    client, monkeypatch
) -> None:
    from agency_platform.celery_app import app

    monkeypatch.setattr(app.conf, "broker_url", CLOSED_PORT_REDIS)
    closed_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED_PORT_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    with override_settings(CACHES=closed_cache):
        response = client.get("/readyz")
    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["failing"] == ["cache", "broker"]
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["error"] == "ConnectionError"
