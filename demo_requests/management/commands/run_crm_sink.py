"""Run the demo's local CRM sink (demo_requests.demo_sink) in the foreground."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo_requests.demo_sink import DEFAULT_HOST, DEFAULT_PORT, CrmSink


class Command(BaseCommand):
    help = (
        "Run a local CRM that accepts the practices' signed lead webhooks on "
        "POST /leads (GET /leads: what it received). Prints one line per lead, without "
        "personal data. The secret comes from --secret, else $CRM_SINK_SECRET, else the "
        "demo's secret file in var/ (made by the demo loader)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=DEFAULT_HOST, help="Address to listen on.")
        parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="Port to listen on.")
        parser.add_argument(
            "--secret",
            default="",
            help="Signing secret (prefer $CRM_SINK_SECRET or the demo's file: argv is visible).",
        )

    def handle(self, *args: object, **options: object) -> None:
        secret = options["secret"] or os.environ.get("CRM_SINK_SECRET", "")
        if not secret:
            from demo_requests.demo import ensure_sink_secret

            secret = ensure_sink_secret()
        try:
            sink = CrmSink(secret, host=options["host"], port=options["port"], out=self.stdout)
        except OSError as exc:
            where = f"{options['host']}:{options['port']}"
            raise CommandError(f"cannot listen on {where}: {exc}") from None
        self.stdout.write(f"crm-sink: listening on {sink.url}")
        try:
            sink.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            sink.server.server_close()
