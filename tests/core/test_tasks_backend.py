"""Batches of Wagtail's background tasks (agency_platform.core.tasks_backend): inside
`batched()` each distinct task runs once, at the end; nothing runs if the block fails;
outside a batch tasks run at once."""

from __future__ import annotations

import pytest
from django_tasks import task

from agency_platform.core.tasks_backend import batched

CALLS: list[tuple[str, int]] = []


@task()
def record(name: str, number: int) -> None:
    CALLS.append((name, number))


@pytest.fixture(autouse=True)
def _empty_calls():
    CALLS.clear()


def test_outside_a_batch_a_task_runs_when_enqueued():
    record.enqueue("now", 1)
    assert CALLS == [("now", 1)]


def test_in_a_batch_each_distinct_task_runs_once_at_the_end():
    with batched():
        for _ in range(3):
            record.enqueue("page", 7)
        record.enqueue("page", 8)
        with batched():  # nested: joins the outer batch
            record.enqueue("page", 7)
        assert CALLS == []
    assert CALLS == [("page", 7), ("page", 8)]


def failing_row() -> None:
    with batched():
        record.enqueue("page", 9)
        raise RuntimeError("the row failed")


def test_nothing_runs_when_the_batch_fails():
    with pytest.raises(RuntimeError, match="the row failed"):
        failing_row()
    assert CALLS == []
    record.enqueue("after", 1)  # the next task is not kept by a dead batch
    assert CALLS == [("after", 1)]
