from __future__ import annotations

from dataclasses import dataclass

import pytest

from practices.models import Practice
from tests.factories import PracticeFactory, editor_of, moderator_of


@dataclass
class PracticeWithPeople:
    practice: Practice
    editor: object
    moderator: object


@pytest.fixture
def practice_a(db) -> PracticeWithPeople:
    practice = PracticeFactory(
        name="Alpha Family Care", slug="alpha", hostname="alpha.example.test"
    )
    return PracticeWithPeople(practice, editor_of(practice), moderator_of(practice))


@pytest.fixture
def practice_b(db) -> PracticeWithPeople:
    practice = PracticeFactory(
        name="Bravo Dermatology",
        slug="bravo",
        hostname="bravo.example.test",
        template="dermatology",
    )
    return PracticeWithPeople(practice, editor_of(practice), moderator_of(practice))
