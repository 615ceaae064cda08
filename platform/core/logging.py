"""Request ids in every log line, carried from a web request into the Celery tasks it sends."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
CELERY_HEADER = "x_request_id"


def new_request_id(candidate: str | None = None) -> str:
    """Keep an upstream id (load balancer, CDN) when it is well-formed, else make one."""
    if candidate and _VALID_REQUEST_ID.match(candidate):
        return candidate
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


def _add_request_id_header(headers: dict | None = None, **_: object) -> None:
    if headers is not None and CELERY_HEADER not in headers:
        headers[CELERY_HEADER] = request_id_var.get()


def _restore_request_id(task=None, **_: object) -> None:
    incoming = getattr(task.request, CELERY_HEADER, None) if task is not None else None
    request_id_var.set(new_request_id(incoming))


def connect_celery_signals() -> None:
    from celery.signals import before_task_publish, task_prerun

    before_task_publish.connect(_add_request_id_header, weak=False, dispatch_uid="req-id-pub")
    task_prerun.connect(_restore_request_id, weak=False, dispatch_uid="req-id-run")
