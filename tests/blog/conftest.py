from __future__ import annotations

import pytest

from blog.models import BlogIndexPage
from tests.factories import PracticeFactory


@pytest.fixture
def riverside(db):
    """A provisioned practice (its blog index exists) on riverside.example.test."""
    return PracticeFactory(
        name="Riverside Family Medicine", slug="riverside", hostname="riverside.example.test",
        template="family-medicine",
    )  # fmt: skip


@pytest.fixture
def riverside_blog(riverside) -> BlogIndexPage:
    return BlogIndexPage.objects.descendant_of(riverside.site.root_page).get()
