"""Where background media work stands, per image: "pending", "ready" or "failed".

Kept in the shared cache (Redis in every deployment), not in a column: it is
transient, written by the worker and read by the admin, and a lost entry only means
the admin shows no badge. The admin shows a pending/failed badge on the image's edit
page (wagtail_hooks) instead of a broken picture.
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

PENDING, READY, FAILED = "pending", "ready", "failed"
TIMEOUT = 7 * 24 * 60 * 60


def _key(image_id: int) -> str:
    return f"media:renditions:{image_id}"


def set_state(image_id: int, state: str, detail: str = "") -> None:
    cache.set(
        _key(image_id),
        {"state": state, "detail": detail, "at": timezone.now().isoformat()},
        TIMEOUT,
    )


def get_state(image_id: int) -> dict | None:
    return cache.get(_key(image_id))
