"""Helpers for the real processes tests start (Celery workers, varnishd, gunicorn)."""

from __future__ import annotations

import subprocess


def stop_process(process: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM (a graceful stop: workers finish their task), SIGKILL after `timeout`."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
