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
    grow_to(8)
    with django_assert_max_num_queries(small):
        large = provision("Abbey clinic", "abbey")
    assert large == small
    # Appended, not sorted in: the Zulu practices' collections kept their paths.
    names = list(Collection.objects.filter(depth=2).order_by("path").values_list("name", flat=1))
    assert names[-1] == "Abbey clinic [abbey]"
    assert names.index("Aardvark clinic [aardvark]") == 3  # after 2 Zulus and the warm-up
