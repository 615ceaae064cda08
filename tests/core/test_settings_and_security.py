from __future__ import annotations

import json
import logging
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT, subprocess_env

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "agency_platform.settings.production",
    "SECRET_KEY": "prod-like-" + "s" * 50 + "Qx7%",
    "ALLOWED_HOSTS": "riverside.example.com,.practices.example.com",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/agency_platform",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_settings_refuse_to_start_without_secrets(missing: str) -> None:
    env = subprocess_env(**PRODUCTION_ENV)
    env.pop(missing)
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_settings_reject_a_short_secret_key() -> None:
    env = subprocess_env(**{**PRODUCTION_ENV, "SECRET_KEY": "too-short"})
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters" in result.stderr


def test_check_deploy_is_clean_with_production_settings() -> None:
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=subprocess_env(**PRODUCTION_ENV)
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_public_responses_carry_security_headers_and_strict_csp(client) -> None:
    response = client.get("/", HTTP_HOST="localhost")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_admin_csp_allows_wagtail_inline_code_but_only_same_origin(client) -> None:
    response = client.get("/admin/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in csp
    assert "frame-ancestors 'self'" in csp
    assert "object-src 'none'" in csp


@pytest.mark.django_db
def test_request_id_is_kept_from_upstream_or_generated(client) -> None:
    upstream = client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234abcd")
    assert upstream["X-Request-ID"] == "lb-1234abcd"
    generated = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert len(generated["X-Request-ID"]) == 32
    assert generated["X-Request-ID"] != "<script>"


def test_json_log_lines_carry_the_request_id() -> None:
    from pythonjsonlogger.json import JsonFormatter

    from agency_platform.core.logging import RequestIdFilter, request_id_var

    record = logging.LogRecord("leads", logging.INFO, __file__, 1, "lead %s stored", (42,), None)
    token = request_id_var.set("req-abcdef12")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    formatter = JsonFormatter("%(levelname)s %(name)s %(request_id)s %(message)s")
    line = json.loads(formatter.format(record))
    assert line == {
        "levelname": "INFO",
        "name": "leads",
        "request_id": "req-abcdef12",
        "message": "lead 42 stored",
    }


PRINT_CACHES = (
    "from django.conf import settings; "
    "print(sorted({c['BACKEND'] for c in settings.CACHES.values()}), settings.PAGE_CACHE_ENABLED)"
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "['agency_platform.core.cache.RedisCache'] True"),
        ("false", "['agency_platform.core.cache.RedisCache'] True"),
        ("true", "['django.core.cache.backends.dummy.DummyCache'] False"),
    ],
)
def test_cache_disabled_switch_is_off_by_default_and_disables_every_cache(
    value: str | None, expected: str
) -> None:
    # The benchmark's `cold` mode (infra/bench/modes.py): every alias a dummy cache,
    # the page cache (which lives in the default cache) off with them.
    env = subprocess_env(**PRODUCTION_ENV, PAGE_CACHE_ENABLED="true")
    env.pop("CACHE_DISABLED", None)
    if value is not None:
        env["CACHE_DISABLED"] = value
    result = run_manage("shell", "-c", PRINT_CACHES, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected
