"""The backend of Wagtail's background tasks (django-tasks: search and reference index
updates after each save), with batches for bulk writes.

Outside a batch it is django-tasks' ImmediateBackend: a task runs as it is enqueued.
Wagtail enqueues an index update on every save, and a page is saved three times when
it is created and published (add_child, save_revision, publish), so provisioning a
practice indexed each of its pages three times, each run re-reading the page. Inside
``batched()`` each distinct task (same task, same arguments) runs once, when the
batch ends, against what was finally saved. A service wraps one atomic unit in it
(a practice being provisioned), inside that unit's transaction, so the index is
written with the rows and rolls back with them.

Relies on ImmediateBackend's ``_execute_task(task_result)`` (checked by
tests/core/test_private_api_contracts.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

# Pending results of the current batch, by task and arguments; None: not in a batch.
_pending: ContextVar[dict[str, TaskResult] | None] = ContextVar("batched_tasks", default=None)


class BatchingImmediateBackend(ImmediateBackend):
    def enqueue(self, task, args, kwargs) -> TaskResult:
        pending = _pending.get()
        if pending is None:
            return super().enqueue(task, args, kwargs)
        key = json.dumps([task.module_path, list(args), kwargs], sort_keys=True, default=str)
        if key not in pending:
            # Built by the parent's enqueue without running: the same validation and
            # the same result object, executed when the batch ends.
            self.validate_task(task)
            pending[key] = _ready_result(self, task, args, kwargs)
        return pending[key]


def _ready_result(backend: ImmediateBackend, task, args, kwargs) -> TaskResult:
    return TaskResult(
        task=task, id=get_random_id(), status=TaskResultStatus.READY, enqueued_at=None,
        started_at=None, last_attempted_at=None, finished_at=None, args=args, kwargs=kwargs,
        backend=backend.alias, errors=[], worker_ids=[],
    )  # fmt: skip


@contextmanager
def batched() -> Iterator[None]:
    """Run the tasks enqueued inside once each, at the end (nested batches join the
    outer one). Nothing runs if the block raises: its transaction rolls back."""
    if _pending.get() is not None:
        yield
        return
    pending: dict[str, TaskResult] = {}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    # Tasks may enqueue more tasks (outside the batch now: they run at once).
    for result in pending.values():
        result.task.get_backend()._execute_task(result)
