"""The freshness matrix through the Varnish edge: after each change, the purge that
follows from the practice's bump (a real Celery worker) makes the edge's next answer
show it. Rows: tests/page_cache/freshness_matrix.py."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.cache import cache
from django.utils import timezone

from blog.models import BlogIndexPage, BlogPostPage
from tests.blog.factories import make_post
from tests.conftest import transactional_db
from tests.edge.conftest import ALPHA, PURGE_TOKEN
from tests.edge.test_varnish import request
from tests.page_cache.freshness_matrix import ROWS, Row, build_world

pytestmark = [transactional_db, pytest.mark.worker]


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_the_edge_shows_each_change(clean_edge, alpha, edge_worker, settings, row: Row):
    settings.CDN_PURGE_URL = clean_edge.purge_url
    settings.CDN_PURGE_TOKEN = PURGE_TOKEN
    world = build_world(alpha)
    edge_worker.wait_idle()  # the purges of building the world land before warming
    path, host = row.path(world), row.host or ALPHA
    for _ in range(3):
        reply = request(clean_edge, path, host=host)
        if reply["X-Edge-Cache"] == "HIT" or reply.status != 200:
            break
        edge_worker.wait_idle()  # a first view may store what it found missing
    if reply.status == 200:
        assert reply["X-Edge-Cache"] == "HIT", path
    assert not row.shows(world, reply.status, reply.body.decode()), "shown already"

    row.change(world)

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        reply = request(clean_edge, path, host=host)
        if row.shows(world, reply.status, reply.body.decode()):
            return
        time.sleep(0.2)
    pytest.fail(f"{row.id}: still {reply.status} {reply['X-Edge-Cache']}; {edge_worker.log_path}")


def test_the_edge_shows_a_future_dated_post_when_it_comes_due(clean_edge, alpha):
    """No publish marks the moment a live post dated in the future appears, so no purge
    follows: the edge must not keep the listing past it (core.freshness.fresh_for)."""
    index = BlogIndexPage.objects.child_of(alpha.site.root_page).get()
    post = make_post(index, title="Due any second", slug="due-any-second")
    due = timezone.now() + datetime.timedelta(seconds=4)
    BlogPostPage.objects.filter(pk=post.pk).update(date=due)
    cache.clear()  # the update above bypassed the invalidation, on purpose
    request(clean_edge, "/blog/", host=ALPHA)
    reply = request(clean_edge, "/blog/", host=ALPHA)
    assert reply["X-Edge-Cache"] == "HIT"
    assert "Due any second" not in reply.body.decode()
    time.sleep(max(0.0, (due - timezone.now()).total_seconds()) + 1.2)
    reply = request(clean_edge, "/blog/", host=ALPHA)
    assert reply["X-Edge-Cache"] != "STALE"
    assert "Due any second" in reply.body.decode()
