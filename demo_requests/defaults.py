"""The field set a new demo-request page starts with; editors may change it."""

from __future__ import annotations

from demo_requests.models import DemoRequestFormField

CONSENT_LABEL = "I agree that you may contact me about my request"


def build_default_form_fields(privacy_url: str) -> list[DemoRequestFormField]:
    specs = [
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
        (
            "Preferred contact time",
            "dropdown",
            False,
            "Morning\nAfternoon\nEvening\nAny time",
            "",
        ),
        (
            "Message",
            "multiline",
            False,
            "",
            "Please don't include medical details here; we will discuss them with you privately.",
        ),
        (CONSENT_LABEL, "checkbox", True, "", f"See our privacy policy: {privacy_url}"),
    ]
    return [
        DemoRequestFormField(
            sort_order=position,
            label=label,
            field_type=field_type,
            required=required,
            choices=choices,
            help_text=help_text,
        )
        for position, (label, field_type, required, choices, help_text) in enumerate(specs)
    ]
