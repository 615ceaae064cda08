"""The folder `platform/` must never shadow Python's standard-library `platform` module."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import REPO_ROOT, subprocess_env

PROBE = (
    "import platform, uuid, boto3, redis; "
    "assert callable(platform.system), platform; "
    "print('system=' + platform.system()); "
    "print('uuid=' + str(uuid.uuid4().version))"
)


def test_stdlib_platform_under_pytest() -> None:
    import platform

    import boto3
    import redis

    assert platform.system() == "Linux"
    assert platform.__file__.endswith("platform.py")
    assert boto3.client("s3", region_name="us-east-1").meta.region_name == "us-east-1"
    assert redis.Redis  # imports cleanly


def test_stdlib_platform_under_manage_py() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=REPO_ROOT,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "system=Linux" in result.stdout
    assert "uuid=4" in result.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_stdlib_platform_under_wsgi_app_served_by_gunicorn() -> None:
    """The production WSGI app, served by gunicorn from another directory, imports boto3."""
    port = _free_port()
    env = subprocess_env(
        DJANGO_SETTINGS_MODULE="agency_platform.settings.production",
        SECRET_KEY="wsgi-test-" + "k" * 50 + "Zq9!",
        ALLOWED_HOSTS="localhost",
        SECURE_SSL_REDIRECT="False",
        LOG_FORMAT="text",
    )
    env.pop("PYTHONPATH", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "agency_platform.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--chdir",
            "/tmp",
            "--preload",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd="/tmp",
    )
    try:
        body = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body = r.read().decode()
                    break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(server.stdout.read().decode())
                time.sleep(0.2)
        assert body == '{"status": "ok"}'
        # The app module itself: stdlib platform and boto3 inside a process that
        # loaded agency_platform.wsgi from outside the repository.
        check = subprocess.run(
            [sys.executable, "-c", "import agency_platform.wsgi; " + PROBE],
            env=env,
            cwd="/tmp",
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert check.returncode == 0, check.stderr
        assert "system=Linux" in check.stdout
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.mark.worker
def test_stdlib_platform_under_celery_worker(celery_worker_process) -> None:
    from agency_platform.core.tasks import ping

    result = ping.delay("hello").get(timeout=30)
    assert result == {"echo": "hello", "system": "Linux"}
