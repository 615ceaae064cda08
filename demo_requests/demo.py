"""Demo: every demo site (the agency's included) sends its leads to the local CRM sink
(run_crm_sink).

The signing secret is made once and kept in var/ (like the demo admin's password);
it is never printed. Idempotent: settings already pointing at the sink are left alone.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction

from demo_requests.demo_sink import DEFAULT_HOST, DEFAULT_PORT, PATH

SINK_URL = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}{PATH}"


def sink_secret_file() -> Path:
    return Path(settings.BASE_DIR) / "var" / "demo-crm-sink-secret.txt"


def ensure_sink_secret() -> str:
    """The demo sink's signing secret, made once (mode 0600) and reused.

    The demo's web and worker processes may both get here first: the secret is written
    to a file of its own, then linked into place, which fails if another process won,
    so every process reads one complete secret."""
    path = sink_secret_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and not path.read_text().strip():
        path.unlink(missing_ok=True)  # empty: left by an interrupted older version
    if not path.exists():
        handle, draft = tempfile.mkstemp(dir=path.parent, prefix=".sink-secret-")
        try:
            with os.fdopen(handle, "w") as out:  # mkstemp creates it with mode 0600
                out.write(secrets.token_urlsafe(32))
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    return path.read_text().strip()


@transaction.atomic
def load(write: Callable[[str], None]) -> None:
    from demo_requests.models import CrmSettings
    from practices.models import Practice

    secret = ensure_sink_secret()
    # The agency's own site too: its "Get a demo" leads are the agency's prospects.
    practices = Practice.objects.select_related("site")
    changed = 0
    for practice in practices:
        crm = CrmSettings.for_site(practice.site)
        wanted = {"webhook_enabled": True, "webhook_url": SINK_URL, "webhook_secret": secret}
        if all(getattr(crm, name) == value for name, value in wanted.items()):
            continue
        for name, value in wanted.items():
            setattr(crm, name, value)
        crm.save()
        changed += 1
    write(
        f"Demo CRM sink: {practices.count()} practice(s) deliver leads to {SINK_URL} "
        f"({changed} updated)."
    )
