"""The interface every CRM client follows: a delivery is a fixed list of steps.

`steps` names them in order (HubSpot: contact, note; Salesforce: lead; webhook: ack).
`run_step(step, payload, idempotency_key=..., done=..., in_doubt=...)` performs one
and returns a StepDone: the CRM's id for what it made ("" when the CRM gives none)
and the answer's status code. `done`
holds the ids of the steps already completed (the note needs the contact's); a step
is `in_doubt` when an earlier attempt sent its request without recording an answer
(the CRM may have done it): the client must then look before it creates. Every step
must be safe to repeat on the CRM side (upsert by a unique key, or search first).

Failures raise RetryableError (network, 408, 429, 5xx, and any answer the client
cannot use: HTML where JSON is due, no id) or PermanentError (4xx the CRM will not
accept). Messages carry status codes and vendor reasons; `excerpt` the first bytes
of an unusable answer with e-mail addresses and digit runs masked, never lead data.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Protocol

EXCERPT_BYTES = 160
_EMAIL = re.compile(r"[^\s\"'<>@]+@[^\s\"'<>@]+")
_DIGITS = re.compile(r"\d[\d\s().+-]{5,}\d")


@dataclass(frozen=True)
class StepDone:
    id: str  # the CRM's id for what the step made ("" when it gives none)
    status_code: int | None = None


class DeliveryError(Exception):
    def __init__(self, message: str, *, status_code: int | None = None, excerpt: str = ""):
        super().__init__(message)
        self.status_code = status_code
        self.excerpt = excerpt


class RetryableError(DeliveryError):
    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        retry_after: float | None = None,
        excerpt: str = "",
    ):
        super().__init__(message, status_code=status_code, excerpt=excerpt)
        self.retry_after = retry_after


class PermanentError(DeliveryError):
    pass


class CrmClient(Protocol):
    steps: tuple[str, ...]

    def run_step(
        self, step: str, payload: dict, *, idempotency_key: str, done: dict, in_doubt: bool
    ) -> StepDone: ...


def classify_status(
    status: int | None, message: str, retry_after: float | None = None, excerpt: str = ""
):
    """The exception for an HTTP failure status (None: no response at all)."""
    if status is None or status in (408, 409, 429) or status >= 500:
        return RetryableError(message, status_code=status, retry_after=retry_after, excerpt=excerpt)
    return PermanentError(message, status_code=status, excerpt=excerpt)


def excerpt(body: bytes | str | None) -> str:
    """The first bytes of a CRM's answer, for the attempt log, with anything that could
    be a person's e-mail address or phone number masked."""
    if not body:
        return ""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    text = " ".join(text[: EXCERPT_BYTES * 2].split())
    text = _DIGITS.sub("#", _EMAIL.sub("<email>", text))
    return text[:EXCERPT_BYTES]


def json_object(body: bytes, content_type: str, vendor: str, status: int) -> dict:
    """The answer as a JSON object, or a RetryableError naming what came instead."""
    try:
        document = json.loads(body) if body else None
    except ValueError:
        document = None
    if "json" not in (content_type or "").lower() or not isinstance(document, dict):
        kind = (content_type or "no content type").split(";")[0]
        raise RetryableError(
            f"{vendor} answered {status} with {kind}, not a JSON object",
            status_code=status,
            excerpt=excerpt(body),
        )
    return document


def require_id(found, vendor: str, status: int, body: bytes) -> StepDone:
    """The CRM's id for what it made; an answer without one is a retryable failure."""
    if isinstance(found, (str, int)) and str(found):
        return StepDone(str(found), status)
    raise RetryableError(
        f"{vendor} answered {status} without an id", status_code=status, excerpt=excerpt(body)
    )


def parse_retry_after(value) -> float | None:
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return None


def map_fields(fields: dict, mapping: dict, default: dict | None) -> dict:
    """Form fields (clean name -> value) as CRM properties, by the practice's mapping."""
    mapping = mapping or default
    if not mapping:
        return dict(fields)
    return {
        prop: _plain(fields[name])
        for name, prop in mapping.items()
        if name in fields and fields[name] not in (None, "")
    }


def _plain(value):
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return value if isinstance(value, (str, int, float, bool)) else str(value)


STEPS = {"hubspot": ("contact", "note"), "salesforce": ("lead",), "webhook": ("ack",)}


def client_for(destination: str, crm_settings) -> CrmClient:
    from .hubspot import HubSpotClient
    from .salesforce import SalesforceClient
    from .webhook import WebhookClient

    classes = {"hubspot": HubSpotClient, "salesforce": SalesforceClient, "webhook": WebhookClient}
    return classes[destination](crm_settings)
