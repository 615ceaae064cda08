"""Existing request pages get their kind, and untouched default forms the new fields.

- The agency site's pages (Specialty "agency") become demo requests, every other
  practice's an appointment request.
- A form whose fields are still exactly the original default set (the B2B demo-request
  fields every practice started with) gets its kind's new default set: patients no
  longer see "Practice or organisation". A form an editor changed keeps its fields.
  The new fields are published as a new revision (the old revisions stay, so nothing
  is lost and the page's history shows the change); a draft gets its own new revision
  with the same fields, so publishing it later does not bring the old fields back.
- The kind is also written into the page's live and latest revisions (a key they did
  not have), so that the editor opens the page with its kind.
- HubSpot note templates still at the original default get the new default, which
  lists the appointment details.
- Leads keep their data and `form_kind` "" (delivered with the original mapping).

The field sets are frozen here (a migration must not follow later edits of
demo_requests.defaults).
"""

from __future__ import annotations

from django.db import migrations
from django.utils import timezone
from wagtail.contrib.forms.utils import get_field_clean_name

CONSENT = "I agree that you may contact me about my request"
PRIVACY_HELP = "See our privacy policy: "
NO_MEDICAL = "Please don't include medical details here; we will discuss them with you privately."
# (label, field_type, required, choices, help_text): the default set before form kinds.
ORIGINAL = [
    ("Your name", "singleline", True, "", ""),
    ("Email", "email", True, "", ""),
    ("Phone", "singleline", True, "", "We will call this number to confirm."),
    ("Practice or organisation", "singleline", False, "", ""),
    (
        "Specialty",
        "dropdown",
        False,
        "Family medicine\nPediatrics\nDermatology\nDentistry\nOrthopedics\nOther",
        "",
    ),
    ("Number of providers", "number", False, "", ""),
    ("Preferred contact time", "dropdown", False, "Morning\nAfternoon\nEvening\nAny time", ""),
    ("Message", "multiline", False, "", NO_MEDICAL),
    (CONSENT, "checkbox", True, "", PRIVACY_HELP),  # help text: prefix + privacy URL
]
APPOINTMENT = [
    ("Your name", "singleline", True, "", ""),
    ("Phone", "singleline", True, "", "We will call this number to confirm."),
    ("Email", "email", True, "", ""),
    ("New or existing patient", "dropdown", True, "New patient\nExisting patient", ""),
    ("Preferred provider", "provider", False, "", "Leave as is if anyone will do."),
    ("Preferred location", "location", False, "", ""),
    (
        "Preferred days and times",
        "singleline",
        False,
        "",
        "For example: weekday mornings, or Tuesday after 3 pm.",
    ),
    (
        "Reason for visit",
        "dropdown",
        True,
        "Check-up\nNew concern\nFollow-up\nVaccination\nOther",
        NO_MEDICAL,
    ),
    ("Insurance", "singleline", False, "", "Your insurer and plan, if you have one."),
    ("Contact preference", "dropdown", False, "Phone call\nText message\nEmail", ""),
    (CONSENT, "checkbox", True, "", PRIVACY_HELP),
]
DEMO = [
    ("Your name", "singleline", True, "", ""),
    ("Work email", "email", True, "", ""),
    ("Phone", "singleline", True, "", ""),
    ("Practice name", "singleline", True, "", ""),
    (
        "Specialty",
        "dropdown",
        False,
        "Family medicine\nPediatrics\nDermatology\nDentistry\nOrthopedics\nOther",
        "",
    ),
    ("Number of providers", "number", False, "", ""),
    ("Number of locations", "number", False, "", ""),
    (
        "Your role",
        "dropdown",
        False,
        "Practice owner\nPractice manager\nPhysician\nMarketing\nOther",
        "",
    ),
    ("Message", "multiline", False, "", "What would you like the site to do?"),
    (CONSENT, "checkbox", True, "", PRIVACY_HELP),
]
OLD_NOTE = "Demo request from the website (lead {lead_id})."
NEW_NOTE = "Request from the website (lead {lead_id}).\n\n{details}"


def is_original_set(fields) -> bool:
    """The rows (in order) are exactly the original default set."""
    if len(fields) != len(ORIGINAL):
        return False
    for row, (label, field_type, required, choices, help_text) in zip(fields, ORIGINAL):
        if (row.label, row.field_type, row.required, row.choices) != (
            label,
            field_type,
            required,
            choices,
        ):
            return False
        if row.default_value:
            return False
        same_help = (
            row.help_text.startswith(PRIVACY_HELP)
            if help_text == PRIVACY_HELP
            else row.help_text == help_text
        )
        if not same_help:
            return False
    return True


def _new_rows(field_model, page, specs, privacy_help: str) -> list:
    rows = []
    for position, (label, field_type, required, choices, help_text) in enumerate(specs):
        rows.append(
            field_model.objects.create(
                page_id=page.pk,
                sort_order=position,
                label=label,
                clean_name=get_field_clean_name(label),
                field_type=field_type,
                required=required,
                choices=choices,
                default_value="",
                help_text=privacy_help if help_text == PRIVACY_HELP else help_text,
            )
        )
    return rows


def _serialised(row) -> dict:
    return {
        "pk": row.pk,
        "sort_order": row.sort_order,
        "label": row.label,
        "clean_name": row.clean_name,
        "field_type": row.field_type,
        "required": row.required,
        "choices": row.choices,
        "default_value": row.default_value,
        "help_text": row.help_text,
        "page": row.page_id,
    }


def _new_revision(revision_model, revision, content: dict):
    return revision_model.objects.create(
        content_type_id=revision.content_type_id,
        base_content_type_id=revision.base_content_type_id,
        object_id=revision.object_id,
        object_str=revision.object_str,
        content=content,
        created_at=timezone.now(),
    )


def _replace_fields(apps, page, specs) -> None:
    field_model = apps.get_model("demo_requests", "DemoRequestFormField")
    revision_model = apps.get_model("wagtailcore", "Revision")
    page_model = apps.get_model("wagtailcore", "Page")
    old = list(field_model.objects.filter(page_id=page.pk).order_by("sort_order", "pk"))
    privacy_help = old[-1].help_text
    field_model.objects.filter(page_id=page.pk).delete()
    rows = [_serialised(row) for row in _new_rows(field_model, page, specs, privacy_help)]
    updates = {}
    live = revision_model.objects.filter(pk=page.live_revision_id).first()
    latest = revision_model.objects.filter(pk=page.latest_revision_id).first()
    if live is not None:
        made = _new_revision(revision_model, live, {**live.content, "form_fields": rows})
        updates["live_revision_id"] = made.pk
        if latest is None or latest.pk == live.pk:
            updates["latest_revision_id"] = made.pk
    if latest is not None and "latest_revision_id" not in updates:
        made = _new_revision(revision_model, latest, {**latest.content, "form_fields": rows})
        updates["latest_revision_id"] = made.pk
    if updates:
        page_model.objects.filter(pk=page.pk).update(**updates)


def _record_kind(apps, page, kind: str) -> None:
    revision_model = apps.get_model("wagtailcore", "Revision")
    for revision in revision_model.objects.filter(
        pk__in=[page.live_revision_id, page.latest_revision_id]
    ):
        revision.content = {**revision.content, "form_kind": kind}
        revision.save(update_fields=["content"])


def set_form_kinds(apps, schema_editor) -> None:
    page_model = apps.get_model("demo_requests", "DemoRequestPage")
    field_model = apps.get_model("demo_requests", "DemoRequestFormField")
    practice_model = apps.get_model("practices", "Practice")
    agency_roots = list(
        practice_model.objects.filter(specialty="agency").values_list(
            "site__root_page__path", flat=True
        )
    )
    for page in page_model.objects.order_by("path"):
        kind = "demo" if any(page.path.startswith(root) for root in agency_roots) else "appointment"
        page_model.objects.filter(pk=page.pk).update(form_kind=kind)
        fields = list(field_model.objects.filter(page_id=page.pk).order_by("sort_order", "pk"))
        if is_original_set(fields):
            _replace_fields(apps, page, DEMO if kind == "demo" else APPOINTMENT)
            page = page_model.objects.get(pk=page.pk)
        _record_kind(apps, page, kind)
    crm_model = apps.get_model("demo_requests", "CrmSettings")
    crm_model.objects.filter(hubspot_note_template=OLD_NOTE).update(hubspot_note_template=NEW_NOTE)


class Migration(migrations.Migration):
    dependencies = [
        ("demo_requests", "0006_form_kinds"),
        ("practices", "0005_testimonials"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(set_form_kinds, migrations.RunPython.noop)]
