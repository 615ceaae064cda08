"""Fixtures shared by every app's tests: real services, real processes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings

from tests.processes import stop_process

REPO_ROOT = Path(__file__).resolve().parent.parent

# For tests whose data other processes (a live server, a Celery worker) must see:
# committed transactions, and the rows migrations created (Wagtail's root page and
# collection, the agency staff group) restored after the flush that ends each test.
transactional_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Each test starts with an empty cache (Redis database reserved for tests)."""
    from django.core.cache import cache

    cache.clear()


def subprocess_env(**overrides: str) -> dict[str, str]:
    """Environment for a child process that must see the same test database."""
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "agency_platform.settings.test",
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "PYTHONUNBUFFERED": "1",
        # This test process's Redis databases and media folder, already chosen for its
        # xdist worker (settings/test.py): the child takes them as they are, and an
        # override (a test's private broker) is not shifted again.
        "TEST_REDIS_URL": settings.REDIS_URL,
        "TEST_CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "TEST_CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    # Set for Playwright's event loop in this process only; a child process is a
    # real deployment-like process and must keep Django's async safety checks.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(overrides)
    return env


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker) -> Iterator[subprocess.Popen]:
    """A real Celery worker process on the real Redis broker, against the test database."""
    from agency_platform.celery_app import app

    for url in (settings.CELERY_BROKER_URL, settings.CELERY_RESULT_BACKEND):
        redis.Redis.from_url(url).flushdb()
    log_path = REPO_ROOT / "var" / f"test-celery-worker-{os.getpid()}.log"
    log_path.parent.mkdir(exist_ok=True)
    log = log_path.open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "agency_platform.celery_app",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "-n",
            f"test-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=REPO_ROOT,
        env=subprocess_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"Celery worker exited early; see {log_path}")
        if app.control.ping(timeout=0.5):
            break
    else:
        process.kill()
        pytest.fail(f"Celery worker did not become ready; see {log_path}")
    yield process
    stop_process(process)
    log.close()


pytest_plugins = ["tests.browser", "tests.demo_site"]
