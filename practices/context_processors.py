"""Template context every public page of a practice needs."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from practices.models import PATIENTS


def practice(request: HttpRequest) -> dict[str, object]:
    """The practice's name, time zone and audience (whether the site speaks to
    patients or, on the agency's marketing site, to practice owners), from the
    (cached) host routing entry: no query."""
    entry = getattr(request, "host_entry", None)
    return {
        "practice_name": entry.practice_name if entry else "",
        "practice_timezone": entry.timezone if entry else settings.TIME_ZONE,
        "for_patients": entry.audience == PATIENTS if entry else True,
    }
