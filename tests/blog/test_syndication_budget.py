"""One syndicated copy costs the same queries at any install size, and its search and
reference index rows are written once, from what was finally saved (issue 18 item 6:
the benchmark, infra/bench/syndication.py, measures the time at 1,000 practices)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backend

from blog.models import BlogPostPage
from blog.services import syndication, syndication_jobs
from practices.models import Practice
from tests.blog.test_syndication import edit_and_publish, make_library, publish_post
from tests.factories import ImageFactory, PracticeFactory

pytestmark = pytest.mark.django_db

# Queries to create and publish one copy, and to re-sync one after the original
# changed (after a warm-up copy). Each copy was indexed three times (add_child,
# revision, publish) before its saves were batched.
COPY_QUERIES = 106
RESYNC_QUERIES = 99  # per copy, with its share of the job rows


def grow_to(size: int) -> None:
    while Practice.objects.count() < size:
        number = Practice.objects.count()
        PracticeFactory(name=f"Zulu practice {number}", slug=f"zulu-{number}")


def copy_cost(original: BlogPostPage, practice: Practice) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        syndication.syndicate_to_practice(original, practice)
    return len(queries), [query["sql"] for query in queries]


def resync_cost(original: BlogPostPage) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        synced = syndication_jobs.sync_copies(original.pk)
    return len(queries), synced


def test_a_copy_costs_the_same_queries_with_3_and_with_10_practices() -> None:
    library = make_library()
    original = publish_post(library, title="Hand washing", slug="hand-washing",
                            hero_image=ImageFactory(collection=library.collection))  # fmt: skip
    grow_to(3)
    warm_up, small_practice = PracticeFactory(), PracticeFactory()
    copy_cost(original, warm_up)
    small, _ = copy_cost(original, small_practice)
    assert small <= COPY_QUERIES, small
    grow_to(10)
    large, sql = copy_cost(original, PracticeFactory())
    assert large == small

    copy = BlogPostPage.objects.filter(syndicated_from=original).order_by("-pk").first()
    # Indexed once, not once per save, yet searchable in its practice with its title.
    writes = [query for query in sql if "INSERT INTO wagtailsearch_indexentry" in query]
    assert len(writes) == 1, writes
    home = Page.objects.get(pk=copy.get_site().root_page_id)
    found = get_search_backend().search("washing", BlogPostPage.objects.descendant_of(home))
    assert list(found) == [copy]
    # The copy points at the original's hero image: recorded in the reference index.
    assert (
        ReferenceIndex.get_references_for_object(copy)
        .filter(to_object_id=str(original.hero_image_id))
        .exists()
    )

    edit_and_publish(original, title="Hand washing, done right")
    resync, synced = resync_cost(original)
    assert synced == 3
    assert resync <= 3 * RESYNC_QUERIES, resync
    for copy in BlogPostPage.objects.filter(syndicated_from=original):
        assert copy.title == "Hand washing, done right"
        found = get_search_backend().search("right", BlogPostPage.objects.filter(pk=copy.pk))
        assert list(found) == [copy]
