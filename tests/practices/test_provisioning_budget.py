"""Provisioning one practice costs the same at any install size: a query count
measured with 3 and with 8 practices already there (the benchmark,
infra/bench/provisioning.py, measures the time at 1,000)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Collection

from practices.models import Practice
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db

# Queries to provision one practice of the default template, with its owner (after a
# warm-up). Was 834 before index updates ran once per page in a batch and the
# published revision skipped a second validation (644), and before the freshness
# rules were muted while the practice's pages are created (592).
PROVISIONING_QUERIES = 592


def provision(name: str, slug: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        call_command(
            "create_practice",
            *("--name", name, "--slug", slug, "--hostname", f"{slug}.example.test"),
            *("--owner-email", f"owner@{slug}.example.test"),
            stdout=StringIO(),
        )
    return len(queries)


def grow_to(size: int) -> None:
    # Named to sort after every new practice: a collection inserted in alphabetical
    # place would renumber all of theirs.
    while Practice.objects.count() < size:
        number = Practice.objects.count()
        PracticeFactory(name=f"Zulu practice {number}", slug=f"zulu-{number}")


def test_one_practice_costs_the_same_queries_with_3_and_with_8_practices(
    django_assert_max_num_queries,
) -> None:
    grow_to(2)
    provision("Warm-up practice", "warm-up")  # content types and permissions cached
    small = provision("Aardvark clinic", "aardvark")
    assert small <= PROVISIONING_QUERIES
    grow_to(8)
    with django_assert_max_num_queries(small):
        large = provision("Abbey clinic", "abbey")
    assert large == small
    # Appended, not sorted in: the Zulu practices' collections kept their paths.
    names = list(Collection.objects.filter(depth=2).order_by("path").values_list("name", flat=1))
    assert names[-1] == "Abbey clinic [abbey]"
    assert names.index("Aardvark clinic [aardvark]") == 3  # after 2 Zulus and the warm-up


def test_a_provisioned_practice_is_indexed_once_per_page_with_its_references():
    """Index updates of a practice's pages run once each at the end of its row
    (platform.core.tasks_backend.batched), from what was finally saved."""
    from wagtail.models import Page, ReferenceIndex
    from wagtail.search.backends import get_search_backend
    from wagtail.search.models import IndexEntry

    grow_to(1)
    with CaptureQueriesContext(connection) as queries:
        provision("Indexed clinic", "indexed")
    home = Practice.objects.get(slug="indexed").site.root_page
    pages = Page.objects.descendant_of(home, inclusive=True)
    page_ids = {str(pk) for pk in pages.values_list("pk", flat=True)}
    entries = IndexEntry.objects.filter(object_id__in=page_ids)
    # Every page once (Page's own entry; a specific type may add its own).
    assert {e.object_id for e in entries} == page_ids
    # Written once per page, not once per save (three saves to publish a new page).
    writes = [q for q in queries if "INSERT INTO wagtailsearch_indexentry" in q["sql"]]
    assert len(writes) == len(page_ids)
    # The home page's blocks point at its pages: recorded in the reference index.
    assert ReferenceIndex.get_references_for_object(home.specific).exists()
    found = get_search_backend().search("Indexed clinic", Page.objects.filter(pk=home.pk))
    assert list(found) == [home]
