"""The data migration that gives existing request pages their kind (0007), run on real
rows: pages still on the original B2B default set get their kind's new fields (as a
new revision, drafts too), forms an editor customised keep theirs, leads are kept."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from wagtail.contrib.forms.models import FormSubmission

from demo_requests.delivery import lead_payload
from demo_requests.models import CrmSettings, DemoRequestFormField, DemoRequestPage, Lead
from tests.demo_requests.test_form_kinds import APPOINTMENT_LABELS, DEMO_LABELS
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("demo_requests.migrations.0007_form_kinds_data")
ORIGINAL_LABELS = [spec[0] for spec in migration.ORIGINAL]


def page_of(practice) -> DemoRequestPage:
    return DemoRequestPage.objects.descendant_of(practice.site.root_page).get()


def as_before_kinds(practice, *, rename: str = "", draft_intro: str = "") -> DemoRequestPage:
    """The page as the previous release left it: the original fields, published, and
    the kind the schema migration's default gave every page."""
    page = page_of(practice)
    fields = []
    for position, (label, field_type, required, choices, help_text) in enumerate(
        migration.ORIGINAL
    ):
        if help_text == migration.PRIVACY_HELP:
            help_text += "/privacy/"
        fields.append(
            DemoRequestFormField(
                sort_order=position,
                label=rename if rename and label == "Specialty" else label,
                field_type=field_type,
                required=required,
                choices=choices,
                help_text=help_text,
            )
        )
    page.form_fields = fields
    page.form_kind = "appointment"
    page.save_revision().publish()
    if draft_intro:
        page = DemoRequestPage.objects.get(pk=page.pk)
        page.intro = draft_intro
        page.save_revision()
    return DemoRequestPage.objects.get(pk=page.pk)


def labels(page) -> list[str]:
    return [field.label for field in page.form_fields.all()]


def revision_labels(revision) -> list[str]:
    return [row["label"] for row in revision.content["form_fields"]]


def test_existing_forms_get_their_kind_and_untouched_defaults_the_new_fields(client) -> None:
    clinic = PracticeFactory(name="Clinic", slug="clinic", hostname="clinic.example.test")
    custom = PracticeFactory(name="Custom", slug="custom", hostname="custom.example.test")
    drafty = PracticeFactory(name="Drafty", slug="drafty", hostname="drafty.example.test")
    agency = PracticeFactory(
        name="Agency", slug="agency", hostname="agency.example.test", template="agency-library"
    )
    clinic_page = as_before_kinds(clinic)
    old_revision = clinic_page.live_revision
    as_before_kinds(custom, rename="Your specialty")
    draft_page = as_before_kinds(drafty, draft_intro="<p>Draft intro</p>")
    as_before_kinds(agency)
    submission = FormSubmission.objects.create(
        page=clinic_page,
        form_data={"your_name": "Old Lead", "email": "old@example.test", "message": "Hi"},
    )
    lead = Lead.objects.create(
        practice=clinic, form_page=clinic_page, submission=submission, idempotency_key="k" * 32
    )
    crm_old = CrmSettings.objects.create(site=clinic.site, hubspot_note_template=migration.OLD_NOTE)
    crm_own = CrmSettings.objects.create(site=custom.site, hubspot_note_template="Mine {lead_id}")

    migration.set_form_kinds(apps, None)

    # An untouched practice form: the appointment set, published as a new revision.
    page = DemoRequestPage.objects.get(pk=clinic_page.pk)
    assert page.form_kind == "appointment"
    assert labels(page) == APPOINTMENT_LABELS
    assert page.form_fields.get(field_type="provider").clean_name == "preferred_provider"
    consent = page.form_fields.get(field_type="checkbox")
    assert consent.help_text == "See our privacy policy: /privacy/"
    assert page.live_revision_id == page.latest_revision_id != old_revision.pk
    assert revision_labels(page.live_revision) == APPOINTMENT_LABELS
    assert revision_labels(old_revision) == ORIGINAL_LABELS  # history kept
    editing = page.get_latest_revision_as_object()
    assert [f.label for f in editing.form_fields.all()] == APPOINTMENT_LABELS
    assert editing.form_kind == "appointment"
    html = client.get("/contact/", HTTP_HOST="clinic.example.test").content.decode()
    assert "Preferred provider" in html
    assert "Practice or organisation" not in html

    # A form an editor changed keeps every field.
    custom_page = page_of(custom)
    assert custom_page.form_kind == "appointment"
    assert "Your specialty" in labels(custom_page)
    assert len(labels(custom_page)) == len(ORIGINAL_LABELS)

    # A draft: live and draft both get the new fields; the draft keeps its own change.
    draft_page = DemoRequestPage.objects.get(pk=draft_page.pk)
    assert labels(draft_page) == APPOINTMENT_LABELS
    assert draft_page.live_revision_id != draft_page.latest_revision_id
    assert revision_labels(draft_page.live_revision) == APPOINTMENT_LABELS
    assert revision_labels(draft_page.latest_revision) == APPOINTMENT_LABELS
    assert draft_page.latest_revision.content["intro"] == "<p>Draft intro</p>"
    assert draft_page.live_revision.content["intro"] != "<p>Draft intro</p>"

    # The agency's site: a demo request with the demo fields, and so in the editor.
    agency_page = page_of(agency)
    assert agency_page.form_kind == "demo"
    assert labels(agency_page) == DEMO_LABELS
    assert agency_page.get_latest_revision_as_object().form_kind == "demo"

    # Leads keep their data and are delivered with the original mapping.
    lead.refresh_from_db()
    assert lead.form_kind == ""
    payload = lead_payload(lead)
    assert payload["form_kind"] == ""
    assert payload["fields"] == {
        "your_name": "Old Lead",
        "email": "old@example.test",
        "message": "Hi",
    }
    crm_old.refresh_from_db()
    crm_own.refresh_from_db()
    assert "{details}" in crm_old.hubspot_note_template
    assert crm_own.hubspot_note_template == "Mine {lead_id}"


def test_running_it_twice_changes_nothing_more() -> None:
    clinic = PracticeFactory(name="Clinic", slug="clinic", hostname="clinic.example.test")
    as_before_kinds(clinic)
    migration.set_form_kinds(apps, None)
    page = page_of(clinic)
    state = (labels(page), page.live_revision_id, page.latest_revision_id)
    migration.set_form_kinds(apps, None)
    page = page_of(clinic)
    assert (labels(page), page.live_revision_id, page.latest_revision_id) == state
