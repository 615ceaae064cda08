"""The interface every CRM client follows.

`deliver(payload, idempotency_key=...)` sends one lead and is safe to repeat: a second
call for the same key must not create a second record at the CRM. It raises
RetryableError (network, 429, 5xx) or PermanentError (4xx the CRM will not accept).
Error messages carry status codes and vendor reasons, never the lead's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass
class DeliveryResult:
    external_id: str = ""
    status_code: int | None = None


class DeliveryError(Exception):
    def __init__(self, message: str, *, status_code: int | None = None):
        super().__init__(message)
        self.status_code = status_code


class RetryableError(DeliveryError):
    def __init__(
        self, message: str, *, status_code: int | None = None, retry_after: float | None = None
    ):
        super().__init__(message, status_code=status_code)
        self.retry_after = retry_after


class PermanentError(DeliveryError):
    pass


class CrmClient(Protocol):
    def deliver(self, payload: dict, *, idempotency_key: str) -> DeliveryResult: ...


def classify_status(status: int | None, message: str, retry_after: float | None = None):
    """The exception for an HTTP failure status (None: no response at all)."""
    if status is None or status == 429 or status >= 500 or status == 408:
        return RetryableError(message, status_code=status, retry_after=retry_after)
    return PermanentError(message, status_code=status)


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


def client_for(destination: str, crm_settings) -> CrmClient:
    from .hubspot import HubSpotClient
    from .salesforce import SalesforceClient
    from .webhook import WebhookClient

    classes = {"hubspot": HubSpotClient, "salesforce": SalesforceClient, "webhook": WebhookClient}
    return classes[destination](crm_settings)
