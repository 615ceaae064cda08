"""Salesforce through simple-salesforce, in one step.

- lead: upserted by an external-id field holding the lead's key
  (`PATCH /sobjects/Lead/<field>/<key>`: 201 created, 200 updated, both with the
  Lead's id since API 46.0), so a repeated delivery updates the same Lead instead of
  creating a second one. An older API's 204 (no body) is followed by
  `GET /sobjects/Lead/<field>/<key>` for the id.
"""

from __future__ import annotations

import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceError

from . import mapping as kinds
from .base import StepDone, classify_status, excerpt, json_object, map_fields, require_id


class SalesforceClient:
    steps = ("lead",)

    def __init__(self, crm_settings):
        self.settings = crm_settings

    def run_step(
        self, step: str, payload: dict, *, idempotency_key: str, done: dict, in_doubt: bool
    ) -> StepDone:
        s = self.settings
        mapping = s.salesforce_mapping or kinds.default_mapping(kinds.SALESFORCE, payload)
        fields = map_fields(payload["fields"], mapping, None)
        fields.setdefault("LastName", f"Website lead {payload['lead_id']}")
        # Required on a Lead: the prospect's practice (demo), else the practice contacted.
        fields.setdefault("Company", payload.get("practice") or "Unknown")
        fields.setdefault("LeadSource", kinds.LEAD_SOURCE[kinds.kind_of(payload)])
        summary = kinds.details(payload, mapping)
        if summary and kinds.kind_of(payload) != kinds.LEGACY:
            fields.setdefault("Description", summary)
        external = f"{s.salesforce_external_id_field}/{idempotency_key}"
        session = requests.Session()
        try:
            sf = Salesforce(
                instance_url=s.salesforce_instance_url,
                session_id=s.salesforce_session_id,
                version=s.salesforce_api_version,
                session=session,
            )
            response = sf.Lead.upsert(external, fields, raw_response=True)
            if response.status_code == 204:  # updated, before API 46.0: no body
                response = sf.Lead.get_by_custom_id(
                    s.salesforce_external_id_field, idempotency_key, raw_response=True
                )
        except SalesforceError as exc:
            raise classify_status(
                exc.status,
                f"Salesforce answered {exc.status} for {exc.resource_name}",
                excerpt=_error_code(exc),
            ) from None
        except requests.RequestException as exc:
            raise classify_status(None, f"Salesforce unreachable: {type(exc).__name__}") from None
        finally:
            session.close()
        document = json_object(
            response.content,
            response.headers.get("Content-Type", ""),
            "Salesforce",
            response.status_code,
        )
        return require_id(
            document.get("id") or document.get("Id"),
            "Salesforce",
            response.status_code,
            response.content,
        )


def _error_code(exc: SalesforceError) -> str:
    """Salesforce's errorCode(s) only: its messages may quote field values."""
    content = exc.content
    if isinstance(content, list):
        return ", ".join(
            str(item.get("errorCode", "")) for item in content if isinstance(item, dict)
        )
    return excerpt(content if isinstance(content, (bytes, str)) else None)
