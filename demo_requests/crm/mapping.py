"""How a lead's fields reach each CRM, per form kind (the lead's `form_kind`).

A practice's own mapping (CrmSettings.*_mapping: form field clean name -> CRM
property) replaces the default below when set. Defaults use only the CRMs' standard
properties, so they work on a fresh HubSpot portal or Salesforce org:

| field (clean name)        | HubSpot contact | Salesforce Lead      | webhook           |
| ------------------------- | --------------- | -------------------- | ----------------- |
| appointment: your_name    | firstname       | LastName             | fields.your_name  |
| appointment: email        | email           | Email                | fields.email      |
| appointment: phone        | phone           | Phone                | fields.phone      |
| appointment: the rest     | the note        | Description          | fields.*          |
| demo: your_name           | firstname       | LastName             | fields.your_name  |
| demo: work_email (email)  | email           | Email                | fields.work_email |
| demo: phone               | phone           | Phone                | fields.phone      |
| demo: practice_name (or   | company         | Company              | fields.*          |
|   practice_or_organisation)|                |                      |                   |
| demo: your_role           | jobtitle        | Title                | fields.*          |
| demo: specialty           | the note        | Industry             | fields.*          |
| demo: the rest            | the note        | Description          | fields.*          |

- Salesforce `Company` (required on a Lead): the prospect's practice name for a demo
  request; for an appointment request the practice the patient contacted.
  `LeadSource`: "Website appointment request" / "Website demo request".
- "The rest" is a plain-text summary of the other fields, one "Label: value" line
  each (`details`): for an appointment, patient type, provider, location, days and
  times, reason (a fixed list: the form asks for no medical details), insurance,
  contact preference. It goes into the HubSpot note (`{details}` in the note
  template) and the Lead's `Description`.
- The webhook gets every field as submitted, `form_kind` and `labels` (clean name ->
  the form's label) at the top level.
- Leads recorded before form kinds (`form_kind` "") keep the original mapping.
"""

from __future__ import annotations

APPOINTMENT, DEMO, LEGACY = "appointment", "demo", ""

HUBSPOT = {
    APPOINTMENT: {"your_name": "firstname", "email": "email", "phone": "phone"},
    DEMO: {
        "your_name": "firstname",
        "work_email": "email",
        "email": "email",  # a demo form an editor built with an "Email" field
        "phone": "phone",
        "practice_name": "company",
        "practice_or_organisation": "company",
        "your_role": "jobtitle",
    },
    LEGACY: {
        "email": "email",
        "your_name": "firstname",
        "phone": "phone",
        "practice_or_organisation": "company",
    },
}
SALESFORCE = {
    APPOINTMENT: {"your_name": "LastName", "email": "Email", "phone": "Phone"},
    DEMO: {
        "your_name": "LastName",
        "work_email": "Email",
        "email": "Email",
        "phone": "Phone",
        "practice_name": "Company",
        "practice_or_organisation": "Company",
        "your_role": "Title",
        "specialty": "Industry",
    },
    LEGACY: {
        "your_name": "LastName",
        "email": "Email",
        "phone": "Phone",
        "practice_or_organisation": "Company",
    },
}
LEAD_SOURCE = {
    APPOINTMENT: "Website appointment request",
    DEMO: "Website demo request",
    LEGACY: "Web",
}
NOT_IN_DETAILS = frozenset({"i_agree_that_you_may_contact_me_about_my_request", "submission_key"})


def kind_of(payload: dict) -> str:
    kind = payload.get("form_kind") or LEGACY
    return kind if kind in HUBSPOT else LEGACY


def default_mapping(vendor: dict, payload: dict) -> dict:
    return vendor[kind_of(payload)]


def details(payload: dict, mapping: dict) -> str:
    """'Label: value' lines for the fields the mapping does not carry elsewhere."""
    labels = payload.get("labels") or {}
    lines = []
    for name, value in payload["fields"].items():
        if name in mapping or name in NOT_IN_DETAILS or value in (None, "", [], False):
            continue
        label = labels.get(name) or name.replace("_", " ").capitalize()
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        lines.append(f"{label}: {shown}")
    return "\n".join(lines)
