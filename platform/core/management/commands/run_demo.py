"""Set up and run the demo: migrate, load content, start Celery and the web server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from agency_platform.core import demo


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

    def _start_celery(self) -> list[subprocess.Popen]:
        var_dir = settings.BASE_DIR / "var"
        celery = [sys.executable, "-m", "celery", "-A", "agency_platform.celery_app"]
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
        worker = subprocess.Popen(  # noqa: S603 - fixed argv, our own interpreter
            [*celery, "worker", "--pool", "solo", "--loglevel", "INFO", "-n", "demo@%h"],
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
