"""Template context every public page of a practice needs."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def practice(request: HttpRequest) -> dict[str, str]:
    """The practice's name and time zone, from the (cached) host routing entry: no query."""
    entry = getattr(request, "host_entry", None)
    return {
        "practice_name": entry.practice_name if entry else "",
        "practice_timezone": entry.timezone if entry else settings.TIME_ZONE,
    }
