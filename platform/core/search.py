"""The search backend: Wagtail's database backend, with a title-norm refresh whose
cost does not grow with the install.

Wagtail's PostgreSQL backend (the `modelsearch` package) weights title matches by
``title_norm = average title length / this title's length``. After every indexed save
it recomputes the average over the whole index table and then rewrites every row
still at the default norm: two sequential scans of a table holding every page of
every practice, per save (17 saves to provision a practice, three per syndicated
copy). Here the average is computed at most once per ``AVERAGE_TTL_SECONDS`` per
process (it is a ranking weight that moves by a hair per page) and only the rows just
written are updated, through the table's unique (content type, object id) index.
`manage.py update_index` still refreshes the whole table exactly (``full=True``).

Relies on two undocumented parts of `modelsearch` (checked by
tests/core/test_private_api_contracts.py): ``PostgresIndex.add_items`` ends by
calling ``self._refresh_title_norms()``, and ``_refresh_title_norms(full=...)``.
"""

from __future__ import annotations

import time

from django.db import connection
from django.db.models import Avg, F
from django.db.models.functions import Length
from modelsearch.backends import database as vendor_backends
from modelsearch.backends.database.postgres.postgres import PostgresIndex, PostgresSearchBackend
from modelsearch.utils import get_content_type_pk

AVERAGE_TTL_SECONDS = 300.0


class PracticeScaleIndex(PostgresIndex):
    # (average title length, monotonic time it expires): shared by the process.
    _average: tuple[float | None, float] = (None, 0.0)
    _written: tuple[int, list[str]] | None = None

    def add_items(self, model, objs) -> None:
        # A new index object is made for every call (backend.get_index_for_model),
        # so remembering the rows being written on it is safe across threads.
        objs = list(objs)
        self._written = (get_content_type_pk(model), [str(obj.pk) for obj in objs])
        try:
            super().add_items(model, objs)
        finally:
            self._written = None

    def _refresh_title_norms(self, full: bool = False) -> None:
        if full or self._written is None:
            PracticeScaleIndex._average = (None, 0.0)
            return super()._refresh_title_norms(full=full)
        average = self._average_title_length()
        if average is None:
            return None
        content_type_id, object_ids = self._written
        self.entries.filter(content_type_id=content_type_id, object_id__in=object_ids).annotate(
            title_length=Length("title")
        ).filter(title_length__gt=0).update(title_norm=average / F("title_length"))
        return None

    def _average_title_length(self) -> float | None:
        average, expires = PracticeScaleIndex._average
        if average is None or time.monotonic() >= expires:
            average = (
                self.entries.annotate(title_length=Length("title"))
                .filter(title_length__gt=0)
                .aggregate(Avg("title_length"))["title_length__avg"]
            )
            PracticeScaleIndex._average = (average, time.monotonic() + AVERAGE_TTL_SECONDS)
        return average


class PracticeScaleSearchBackend(PostgresSearchBackend):
    index_class = PracticeScaleIndex


def SearchBackend(params: dict):  # noqa: N802 - the name Wagtail looks up in a backend module
    """PostgreSQL: the backend above; other databases (the demo's SQLite): Wagtail's own."""
    if connection.vendor == "postgresql":
        return PracticeScaleSearchBackend(params)
    return vendor_backends.SearchBackend(params)
