"""Salesforce through simple-salesforce: a Lead, upserted by an external-id field
holding the lead's key (PATCH /sobjects/Lead/<field>/<key>), so a repeated delivery
updates the same Lead instead of creating a second one."""

from __future__ import annotations

import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceError

from demo_requests.models.deliveries import DEFAULT_SALESFORCE_MAPPING

from .base import DeliveryResult, PermanentError, classify_status, map_fields


class SalesforceClient:
    def __init__(self, crm_settings):
        self.settings = crm_settings

    def deliver(self, payload: dict, *, idempotency_key: str) -> DeliveryResult:
        s = self.settings
        fields = map_fields(payload["fields"], s.salesforce_mapping, DEFAULT_SALESFORCE_MAPPING)
        fields.setdefault("LastName", f"Website lead {payload['lead_id']}")
        fields.setdefault("Company", payload.get("practice") or "Unknown")
        fields.setdefault("LeadSource", "Web")
        session = requests.Session()
        try:
            sf = Salesforce(
                instance_url=s.salesforce_instance_url,
                session_id=s.salesforce_session_id,
                version=s.salesforce_api_version,
                session=session,
            )
            response = sf.Lead.upsert(
                f"{s.salesforce_external_id_field}/{idempotency_key}", fields, raw_response=True
            )
            found = response.json() if response.content else {}
        except SalesforceError as exc:
            raise classify_status(
                exc.status, f"Salesforce answered {exc.status} for {exc.resource_name}"
            ) from None
        except requests.RequestException as exc:
            raise classify_status(None, f"Salesforce unreachable: {type(exc).__name__}") from None
        finally:
            session.close()
        if not isinstance(found, dict) or not found.get("id"):
            raise PermanentError("Salesforce did not return the Lead id")
        return DeliveryResult(external_id=found["id"], status_code=response.status_code)
