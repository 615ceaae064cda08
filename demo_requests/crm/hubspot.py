"""HubSpot through the official client (hubspot-api-client, CRM v3).

Idempotent by design: the contact is created, or on 409 CONFLICT ("Contact already
exists. Existing ID: <id>") updated in place, so a repeated delivery never makes a
second contact for an e-mail; the note carries the lead's key, and a repeated delivery
first searches for it, so a lead gets one note.
"""

from __future__ import annotations

import json
import re

import urllib3
from django.utils import timezone
from hubspot import HubSpot
from hubspot.crm.contacts import SimplePublicObjectInput, SimplePublicObjectInputForCreate
from hubspot.crm.objects.notes import (
    AssociationSpec,
    Filter,
    FilterGroup,
    PublicAssociationsForObject,
    PublicObjectId,
    PublicObjectSearchRequest,
)
from hubspot.crm.objects.notes import SimplePublicObjectInputForCreate as NoteInput

from demo_requests.models.deliveries import DEFAULT_HUBSPOT_MAPPING

from .base import DeliveryResult, PermanentError, classify_status, map_fields, parse_retry_after

TIMEOUT = (5, 15)
NOTE_TO_CONTACT = 202  # HubSpot-defined association type id
_EXISTING_ID = re.compile(r"Existing ID:\s*(\d+)")


class HubSpotClient:
    def __init__(self, crm_settings):
        self.api = HubSpot(
            access_token=crm_settings.hubspot_access_token,
            host=crm_settings.hubspot_base_url.rstrip("/"),
            retry=False,  # retries are ours: counted, recorded, scheduled in the database
        )
        self.mapping = crm_settings.hubspot_mapping
        self.note_template = crm_settings.hubspot_note_template

    def deliver(self, payload: dict, *, idempotency_key: str) -> DeliveryResult:
        properties = map_fields(payload["fields"], self.mapping, DEFAULT_HUBSPOT_MAPPING)
        if not properties.get("email"):
            raise PermanentError("HubSpot needs an e-mail address; the lead has none mapped")
        contact_id = self._call(self._upsert_contact, properties)
        note_id = self._call(self._ensure_note, contact_id, payload, idempotency_key)
        return DeliveryResult(external_id=f"{contact_id}/{note_id}", status_code=201)

    def _upsert_contact(self, properties: dict) -> str:
        contacts = self.api.crm.contacts.basic_api
        try:
            created = contacts.create(
                SimplePublicObjectInputForCreate(properties=properties, associations=[]),
                _request_timeout=TIMEOUT,
            )
            return created.id
        except Exception as exc:
            if getattr(exc, "status", None) != 409:
                raise
            existing = _EXISTING_ID.search(_message(exc))
            if not existing:
                raise
        contacts.update(
            existing[1], SimplePublicObjectInput(properties=properties), _request_timeout=TIMEOUT
        )
        return existing[1]

    def _ensure_note(self, contact_id: str, payload: dict, idempotency_key: str) -> str:
        notes = self.api.crm.objects.notes
        marker = f"lead-ref-{idempotency_key}"
        found = notes.search_api.do_search(
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
            _request_timeout=TIMEOUT,
        )
        if found.results:
            return found.results[0].id
        body = self.note_template.format_map(
            _Defaulting(
                lead_id=payload["lead_id"],
                practice=payload.get("practice", ""),
                message=payload["fields"].get("message", ""),
            )
        )
        note = notes.basic_api.create(
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
            _request_timeout=TIMEOUT,
        )
        return note.id

    @staticmethod
    def _call(function, *args):
        """Vendor exceptions -> ours, with the status code and HubSpot's category only."""
        try:
            return function(*args)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise classify_status(None, f"HubSpot unreachable: {type(exc).__name__}") from None
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
            ) from None


def _message(exc) -> str:
    try:
        return json.loads(exc.body).get("message", "")
    except (TypeError, ValueError, AttributeError):
        return ""


def _category(exc) -> str:
    try:
        return str(json.loads(exc.body).get("category", ""))[:60]
    except (TypeError, ValueError, AttributeError):
        return ""


class _Defaulting(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
