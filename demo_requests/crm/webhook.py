"""A generic signed JSON webhook, in one step.

- ack: the POST, answered 2xx. Headers: `X-Timestamp` (Unix seconds),
  `X-Signature: sha256=<hex>` = HMAC-SHA256 of f"{timestamp}.{body}" with the
  practice's secret, and `Idempotency-Key` (the lead's key; the receiver de-duplicates
  on it, so a repeat is safe). Any 2xx is an acknowledgement, whatever its body; an
  `id` in a JSON answer is kept as the receiver's id.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import requests

from .base import StepDone, classify_status, excerpt, map_fields, parse_retry_after

TIMEOUT = (5, 15)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    message = timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class WebhookClient:
    steps = ("ack",)

    def __init__(self, crm_settings):
        self.url = crm_settings.webhook_url
        self.secret = crm_settings.webhook_secret
        self.mapping = crm_settings.webhook_mapping

    def run_step(
        self, step: str, payload: dict, *, idempotency_key: str, done: dict, in_doubt: bool
    ) -> StepDone:
        document = {**payload, "fields": map_fields(payload["fields"], self.mapping, None)}
        body = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-Timestamp": timestamp,
            "X-Signature": sign(self.secret, timestamp, body),
            "Idempotency-Key": idempotency_key,
        }
        try:
            response = requests.post(self.url, data=body, headers=headers, timeout=TIMEOUT)
        except requests.RequestException as exc:
            raise classify_status(None, f"webhook unreachable: {type(exc).__name__}") from None
        if response.status_code >= 300:
            raise classify_status(
                response.status_code,
                f"webhook answered {response.status_code} {response.reason}",
                parse_retry_after(response.headers.get("Retry-After")),
                excerpt=excerpt(response.content),
            )
        return StepDone(_receiver_id(response), response.status_code)


def _receiver_id(response: requests.Response) -> str:
    try:
        found = response.json().get("id")
    except (ValueError, AttributeError):
        return ""
    return str(found)[:100] if isinstance(found, (str, int)) else ""
