"""A real Celery worker on the "media" queue, pointed at the test's bucket (mirrors
tests/conftest.py's `celery_worker_process`, which consumes only the default queue)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from django.conf import settings

from tests.conftest import REPO_ROOT, subprocess_env
from tests.processes import stop_process


@dataclass
class MediaWorker:
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextmanager
def media_worker(env: dict[str, str], name: str = "media") -> Iterator[MediaWorker]:
    """Start a worker with `env` (e.g. `s3_media.env`, or a fault proxy's endpoint);
    its log (this worker's only) is `worker.log_path`."""
    from agency_platform.celery_app import app

    for url in (settings.CELERY_BROKER_URL, settings.CELERY_RESULT_BACKEND):
        redis.Redis.from_url(url).flushdb()
    hostname = f"{name}-{os.getpid()}-{time.monotonic_ns()}@test"
    log_path = REPO_ROOT / "var" / f"test-media-worker-{os.getpid()}.log"
    log_path.parent.mkdir(exist_ok=True)
    log = log_path.open("wb")
    command = [
        sys.executable, "-m", "celery", "-A", "agency_platform.celery_app", "worker",
        "--pool", "solo", "--loglevel", "INFO", "-Q", "media", "-n", hostname,
        "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env=subprocess_env(DJANGO_SETTINGS_MODULE=os.environ["DJANGO_SETTINGS_MODULE"], **env),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"media worker exited early; see {log_path}")
            if app.control.ping(destination=[hostname], timeout=0.5):
                break
        else:
            pytest.fail(f"media worker did not become ready; see {log_path}")
        yield MediaWorker(process, log_path)
    finally:
        stop_process(process)
        log.close()


def wait_for(condition: Callable[[], object], timeout: float = 60, what: str = "") -> object:
    """Poll until `condition()` is truthy (background work has no completion callback)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout}s waiting for {what or condition}")
