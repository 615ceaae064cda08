"""The field set a new request page starts with, per form kind; editors may change it.

- appointment (practice sites, for patients): who they are, how to reach them, which
  provider and location, when, why in a short list, insurance, contact preference.
  Nothing asks for medical detail: the reason is a fixed list, and its help text asks
  visitors to keep medical details for the call (leads are not a medical record).
- demo (the agency's site, for practice owners): who they are and the practice's
  size, so the agency's sales team can qualify the lead.

Provider and location are field types of their own ("provider", "location"): their
choices are read when the form is rendered (demo_requests.form_builder), never
stored as text, so a new team member shows up without editing the form.
"""

from __future__ import annotations

from typing import NamedTuple

from demo_requests.models import DemoRequestFormField, FormKind

CONSENT_LABEL = "I agree that you may contact me about my request"
NO_MEDICAL_DETAILS = (
    "Please don't include medical details here; we will discuss them with you privately."
)
REASONS = ("Check-up", "New concern", "Follow-up", "Vaccination", "Other")


class FieldSpec(NamedTuple):
    label: str
    field_type: str
    required: bool = False
    choices: str = ""
    help_text: str = ""


def appointment_specs(privacy_url: str) -> list[FieldSpec]:
    return [
        FieldSpec("Your name", "singleline", True),
        FieldSpec("Phone", "singleline", True, "", "We will call this number to confirm."),
        FieldSpec("Email", "email", True),
        FieldSpec("New or existing patient", "dropdown", True, "New patient\nExisting patient"),
        FieldSpec("Preferred provider", "provider", False, "", "Leave as is if anyone will do."),
        FieldSpec("Preferred location", "location"),
        FieldSpec(
            "Preferred days and times",
            "singleline",
            False,
            "",
            "For example: weekday mornings, or Tuesday after 3 pm.",
        ),
        FieldSpec("Reason for visit", "dropdown", True, "\n".join(REASONS), NO_MEDICAL_DETAILS),
        FieldSpec("Insurance", "singleline", False, "", "Your insurer and plan, if you have one."),
        FieldSpec("Contact preference", "dropdown", False, "Phone call\nText message\nEmail"),
        FieldSpec(CONSENT_LABEL, "checkbox", True, "", f"See our privacy policy: {privacy_url}"),
    ]


def demo_specs(privacy_url: str) -> list[FieldSpec]:
    specialties = "Family medicine\nPediatrics\nDermatology\nDentistry\nOrthopedics\nOther"
    roles = "Practice owner\nPractice manager\nPhysician\nMarketing\nOther"
    return [
        FieldSpec("Your name", "singleline", True),
        FieldSpec("Work email", "email", True),
        FieldSpec("Phone", "singleline", True),
        FieldSpec("Practice name", "singleline", True),
        FieldSpec("Specialty", "dropdown", False, specialties),
        FieldSpec("Number of providers", "number"),
        FieldSpec("Number of locations", "number"),
        FieldSpec("Your role", "dropdown", False, roles),
        FieldSpec("Message", "multiline", False, "", "What would you like the site to do?"),
        FieldSpec(CONSENT_LABEL, "checkbox", True, "", f"See our privacy policy: {privacy_url}"),
    ]


SPECS = {FormKind.APPOINTMENT: appointment_specs, FormKind.DEMO: demo_specs}


def build_default_form_fields(
    privacy_url: str, kind: str = FormKind.APPOINTMENT
) -> list[DemoRequestFormField]:
    return [
        DemoRequestFormField(
            sort_order=position,
            label=spec.label,
            field_type=spec.field_type,
            required=spec.required,
            choices=spec.choices,
            help_text=spec.help_text,
        )
        for position, spec in enumerate(SPECS[kind](privacy_url))
    ]
