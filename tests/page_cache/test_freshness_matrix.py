"""Every page type against every model it reads, page cache on: after each change the
next anonymous view shows it (README "Page cache", freshness)."""

from __future__ import annotations

import pytest

from tests.page_cache.conftest import ALPHA, get
from tests.page_cache.freshness_matrix import ROWS, Row, build_world

pytestmark = [pytest.mark.django_db]


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_the_next_anonymous_view_shows_the_change(client, alpha, row: Row):
    world = build_world(alpha)
    path, host = row.path(world), row.host or ALPHA
    # Warm: a first view may itself store what it found missing (a settings row, an
    # image's file hash), which is a change: the view after that is kept.
    for _ in range(3):
        again = get(client, path, host=host)
        if again.get("X-Cache") == "HIT" or again.status_code != 200:
            break
    if again.status_code == 200:  # kept: the change must reach a warm entry
        assert again["X-Cache"] == "HIT", path
    assert not row.shows(world, again.status_code, again.content.decode()), "shown already"

    row.change(world)

    response = get(client, path, host=host)
    assert row.shows(world, response.status_code, response.content.decode()), (
        row.id,
        response.status_code,
        response.get("X-Cache"),
    )
