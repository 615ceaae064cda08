"""A generic signed JSON webhook.

Headers: `X-Timestamp` (Unix seconds), `X-Signature: sha256=<hex>` = HMAC-SHA256 of
f"{timestamp}.{body}" with the practice's secret, and `Idempotency-Key` (the lead's
key; the receiver de-duplicates on it).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import requests

from .base import DeliveryResult, classify_status, map_fields, parse_retry_after

TIMEOUT = (5, 15)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    message = timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class WebhookClient:
    def __init__(self, crm_settings):
        self.url = crm_settings.webhook_url
        self.secret = crm_settings.webhook_secret
        self.mapping = crm_settings.webhook_mapping

    def deliver(self, payload: dict, *, idempotency_key: str) -> DeliveryResult:
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
            )
        return DeliveryResult(external_id="", status_code=response.status_code)
