"""HubSpot through the official client (hubspot-api-client, CRM v3), in two steps.

- contact: `POST /crm/v3/objects/contacts/batch/upsert` with `idProperty: email`,
  HubSpot's documented create-or-update by a unique property: one call, and repeating
  it never makes a second contact for an e-mail.
- note: created with the contact association and the lead's key as a token in its
  body (`lead-ref-<key>`). When an earlier attempt may have created it (its request was
  sent, no answer recorded), the note is first searched for by that token
  (`CONTAINS_TOKEN` on `hs_note_body`), so a lead gets one note. HubSpot's search index
  lags writes by a few seconds; the retry backoff (30 s base) is far longer.

Answers are read raw (`_preload_content=False`) so that an HTML page, a body without
an id or any other unusable answer is a retryable failure with its first bytes kept,
not an exception from the client's deserializer.
"""

from __future__ import annotations

import json

import urllib3
from django.utils import timezone
from hubspot import HubSpot
from hubspot.crm.contacts import (
    BatchInputSimplePublicObjectBatchInputUpsert,
    SimplePublicObjectBatchInputUpsert,
)
from hubspot.crm.objects.notes import (
    AssociationSpec,
    Filter,
    FilterGroup,
    PublicAssociationsForObject,
    PublicObjectId,
    PublicObjectSearchRequest,
)
from hubspot.crm.objects.notes import SimplePublicObjectInputForCreate as NoteInput

from . import mapping as kinds
from .base import (
    PermanentError,
    RetryableError,
    StepDone,
    classify_status,
    excerpt,
    json_object,
    map_fields,
    parse_retry_after,
    require_id,
)

TIMEOUT = (5, 15)
NOTE_TO_CONTACT = 202  # HubSpot-defined association type id


class HubSpotClient:
    steps = ("contact", "note")

    def __init__(self, crm_settings):
        self.api = HubSpot(
            access_token=crm_settings.hubspot_access_token,
            host=crm_settings.hubspot_base_url.rstrip("/"),
            retry=False,  # retries are ours: counted, recorded, scheduled in the database
        )
        self.mapping = crm_settings.hubspot_mapping
        self.note_template = crm_settings.hubspot_note_template

    def run_step(
        self, step: str, payload: dict, *, idempotency_key: str, done: dict, in_doubt: bool
    ) -> StepDone:
        if step == "contact":
            return self._call(self._upsert_contact, payload)
        return self._call(self._ensure_note, done["contact"], payload, idempotency_key, in_doubt)

    def _upsert_contact(self, payload: dict) -> StepDone:
        default = kinds.default_mapping(kinds.HUBSPOT, payload)
        properties = map_fields(payload["fields"], self.mapping, default)
        email = str(properties.get("email") or "").strip().lower()
        if not email:
            raise PermanentError("HubSpot needs an e-mail address; the lead has none mapped")
        response = self.api.crm.contacts.batch_api.upsert(
            BatchInputSimplePublicObjectBatchInputUpsert(
                inputs=[
                    SimplePublicObjectBatchInputUpsert(
                        id_property="email", id=email, properties=properties
                    )
                ]
            ),
            _preload_content=False,
            _request_timeout=TIMEOUT,
        )
        document = _document(response)
        errors = document.get("errors") or []
        if errors:
            category = (
                str(errors[0].get("category", ""))[:60] if isinstance(errors[0], dict) else ""
            )
            error = PermanentError if category == "VALIDATION_ERROR" else RetryableError
            raise error(
                f"HubSpot answered {response.status} with an error ({category})",
                status_code=response.status,
            )
        results = document.get("results")
        first = results[0] if isinstance(results, list) and results else {}
        found = first.get("id") if isinstance(first, dict) else None
        return require_id(found, "HubSpot", response.status, response.data)

    def _ensure_note(
        self, contact_id: str, payload: dict, idempotency_key: str, in_doubt: bool
    ) -> StepDone:
        notes = self.api.crm.objects.notes
        marker = f"lead-ref-{idempotency_key}"
        if in_doubt:
            found = _document(
                notes.search_api.do_search(
                    PublicObjectSearchRequest(
                        filter_groups=[
                            FilterGroup(
                                filters=[
                                    Filter(
                                        property_name="hs_note_body",
                                        operator="CONTAINS_TOKEN",
                                        value=marker,
                                    )
                                ]
                            )
                        ],
                        limit=1,
                    ),
                    _preload_content=False,
                    _request_timeout=TIMEOUT,
                )
            )
            results = found.get("results")
            if isinstance(results, list) and results and isinstance(results[0], dict):
                return require_id(results[0].get("id"), "HubSpot", 200, b"")
        body = self.note_template.format_map(
            _Defaulting(
                lead_id=payload["lead_id"],
                practice=payload.get("practice", ""),
                message=payload["fields"].get("message", ""),
                details=kinds.details(
                    payload, self.mapping or kinds.default_mapping(kinds.HUBSPOT, payload)
                ),
            )
        )
        response = notes.basic_api.create(
            NoteInput(
                properties={
                    "hs_timestamp": timezone.now().isoformat(),
                    "hs_note_body": f"{body}\n\n{marker}",
                },
                associations=[
                    PublicAssociationsForObject(
                        to=PublicObjectId(id=contact_id),
                        types=[
                            AssociationSpec(
                                association_category="HUBSPOT_DEFINED",
                                association_type_id=NOTE_TO_CONTACT,
                            )
                        ],
                    )
                ],
            ),
            _preload_content=False,
            _request_timeout=TIMEOUT,
        )
        return require_id(_document(response).get("id"), "HubSpot", response.status, response.data)

    @staticmethod
    def _call(function, *args):
        """Vendor exceptions -> ours, with the status code and HubSpot's category only."""
        try:
            return function(*args)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise classify_status(None, f"HubSpot unreachable: {type(exc).__name__}") from None
        except (RetryableError, PermanentError):
            raise
        except Exception as exc:
            status = getattr(exc, "status", None)
            if status is None or not hasattr(exc, "reason"):
                raise
            headers = {k.lower(): v for k, v in dict(getattr(exc, "headers", None) or {}).items()}
            category = _category(exc)
            raise classify_status(
                status,
                f"HubSpot answered {status} {exc.reason}{f' ({category})' if category else ''}",
                parse_retry_after(headers.get("retry-after")),
                excerpt="" if category else excerpt(getattr(exc, "body", None)),
            ) from None


def _document(response) -> dict:
    return json_object(
        response.data, response.headers.get("Content-Type", ""), "HubSpot", response.status
    )


def _category(exc) -> str:
    try:
        return str(json.loads(exc.body).get("category", ""))[:60]
    except (TypeError, ValueError, AttributeError):
        return ""


class _Defaulting(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
