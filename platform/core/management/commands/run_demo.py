"""Set up and run the demo: migrate, load content, start Celery and the web server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
from botocore.exceptions import ConnectionClosedError, EndpointConnectionError
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from agency_platform.core import demo
from agency_platform.media.storage import BUCKET_CORS, public_read_policy


class Command(BaseCommand):
    help = (
        "Prepare the demo (migrate, load demo content, ensure the admin user) and run it: "
        "a Celery worker, Celery beat and the development web server. Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1", help="Address to serve on.")
        parser.add_argument("--port", default="8000", help="Port to serve on.")
        parser.add_argument(
            "--prepare-only",
            action="store_true",
            help="Migrate and load content, then exit without starting any process.",
        )

    def handle(self, *args: object, **options: object) -> None:
        s3 = self._start_local_s3() if getattr(settings, "DEMO_MEDIA", "local") == "s3" else None
        try:
            self._run(s3, **options)
        finally:
            if s3 is not None:
                s3.terminate()

    def _run(self, s3: subprocess.Popen | None, **options: object) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        demo.load_all(self.stdout.write)
        username, password = demo.ensure_demo_admin()
        if options["prepare_only"]:
            self._print_access(options, username, password)
            return
        workers = self._start_celery()
        try:
            self._print_access(options, username, password)
            call_command("runserver", f"{options['addr']}:{options['port']}", use_reloader=False)
        finally:
            for process in workers:
                process.send_signal(signal.SIGTERM)
            for process in workers:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()

    def _start_local_s3(self) -> subprocess.Popen:
        """moto's S3 server on 127.0.0.1, a bucket with the public-images policy, and a
        fresh database to match it (moto keeps objects in memory only)."""
        database = Path(settings.DATABASES["default"]["NAME"])
        if database.name == "demo-s3.sqlite3":
            database.unlink(missing_ok=True)
        port = str(settings.DEMO_S3_PORT)
        server = subprocess.Popen(  # noqa: S603 - fixed argv, our own interpreter
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", port],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        endpoint = f"http://127.0.0.1:{port}"
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        bucket = settings.AWS_STORAGE_BUCKET_NAME
        for _ in range(100):
            try:
                client.create_bucket(Bucket=bucket)
                break
            except (EndpointConnectionError, ConnectionClosedError):
                time.sleep(0.1)
        client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read_policy(bucket)))
        client.put_bucket_cors(Bucket=bucket, CORSConfiguration=BUCKET_CORS)
        self.stdout.write(f"Local S3 (moto, pid {server.pid}) on {endpoint}, bucket {bucket}.")
        return server

    def _start_celery(self) -> list[subprocess.Popen]:
        var_dir = settings.BASE_DIR / "var"
        celery = [sys.executable, "-m", "celery", "-A", "agency_platform.celery_app"]
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
        worker = subprocess.Popen(  # noqa: S603 - fixed argv, our own interpreter
            [
                *celery,
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
                "-n",
                "demo@%h",
                "-Q",
                "celery,media",
            ],
            env=env,
        )
        beat = subprocess.Popen(  # noqa: S603
            [*celery, "beat", "--loglevel", "INFO", "-s", str(var_dir / "celerybeat-schedule")],
            env=env,
        )
        # The demo practices deliver their leads by signed webhook to this local sink.
        sink = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                str(settings.BASE_DIR / "manage.py"),
                "run_crm_sink",
                "--port",
                "8025",
            ],
            env=env,
        )
        self.stdout.write(f"Celery worker (pid {worker.pid}) and beat (pid {beat.pid}) started.")
        self.stdout.write(f"Local CRM sink (pid {sink.pid}) on http://127.0.0.1:8025/leads.")
        return [worker, beat, sink]

    def _print_access(self, options: dict, username: str, password: str) -> None:
        base = f"http://localhost:{options['port']}"
        self.stdout.write(
            self.style.SUCCESS(f"\nAdmin: {base}/admin/  login: {username} / {password}")
        )
        self.stdout.write(
            "Practice editors, same password: editor@<slug>.localhost, e.g. "
            f"http://riverside.localhost:{options['port']}/admin/ as editor@riverside.localhost"
        )
        self.stdout.write("Sites:")
        for line in demo.site_urls(options["port"]):
            self.stdout.write(line)
