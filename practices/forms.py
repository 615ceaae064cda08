"""Admin forms for agency staff."""

from __future__ import annotations

from django import forms

from practices.models import PracticeStatus, Specialty
from practices.services.provisioning import PracticeSpec
from practices.starter_templates import STARTER_TEMPLATES


class ProvisionPracticeForm(forms.Form):
    """The admin's face of create_practice: the service does every check and write."""

    name = forms.CharField(max_length=120)
    slug = forms.CharField(
        max_length=50, help_text="Lowercase letters, digits and hyphens; used in URLs and keys."
    )
    hostname = forms.CharField(max_length=253, help_text="e.g. riverside.example.com")
    aliases = forms.CharField(
        required=False,
        help_text="Other hostnames that redirect to the main one, separated by commas.",
    )
    owner_email = forms.EmailField(required=False, label="Owner e-mail")
    template = forms.ChoiceField(
        choices=[(key, key) for key in STARTER_TEMPLATES], initial="general"
    )
    specialty = forms.ChoiceField(
        choices=[("", "From the template"), *Specialty.choices], required=False
    )
    timezone = forms.CharField(initial="America/Chicago")
    status = forms.ChoiceField(
        choices=[
            (PracticeStatus.ONBOARDING, "Onboarding"),
            (PracticeStatus.LIVE, "Live"),
        ],
        initial=PracticeStatus.ONBOARDING,
    )

    def to_spec(self) -> PracticeSpec:
        data = self.cleaned_data
        return PracticeSpec(
            name=data["name"],
            slug=data["slug"],
            hostname=data["hostname"],
            owner_email=data["owner_email"],
            template=data["template"],
            specialty=data["specialty"],
            timezone=data["timezone"],
            aliases=[alias for alias in data["aliases"].split(",") if alias.strip()],
            status=data["status"],
        )


class ConfirmDeletionForm(forms.Form):
    confirm = forms.CharField(label="Type the practice's slug to confirm")
