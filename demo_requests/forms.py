"""Validation for demo-request forms, mixed into the form Wagtail's form builder makes.

- clear per-field messages; lengths capped (name 120, message 5000, e-mail 254,
  any other text 255); the consent box is required with its own message;
- phone numbers are validated with `phonenumbers` and stored in E.164, parsed with the
  practice's country (PracticeSettings.country, default US) as the default region;
- spam checks (honeypot, signed minimum fill time) run as form-level validation, so a
  rejected submission is re-rendered with a friendly message and nothing is stored.
  The honeypot and the token are read from the raw data; they never reach
  cleaned_data (and so never the stored submission).
"""

from __future__ import annotations

import phonenumbers
from django import forms
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator

from demo_requests import spam
from demo_requests.defaults import CONSENT_LABEL

NAME_MAX = 120
MESSAGE_MAX = 5000
EMAIL_MAX = 254
TEXT_MAX = 255
NUMBER_MAX = 100_000
DEFAULT_REGION = "US"

MSG_CONSENT = "Please tick the box to agree that we may contact you about your request."
MSG_PHONE = "Enter a valid phone number, including the area code (for example {example})."


def _is_phone(name: str) -> bool:
    return "phone" in name or "telephone" in name


_ORGANISATION = ("practice", "company", "organisation", "organization", "business")


def _is_organisation(name: str) -> bool:
    return name.startswith(_ORGANISATION)


def _is_name(name: str) -> bool:
    """A person's name ("Practice name" is an organisation's, not a person's)."""
    if _is_organisation(name):
        return False
    return name in ("name", "your_name", "full_name") or name.endswith("_name")


def region_for_page(page) -> str:
    """The practice's country code for the page's site (default US)."""
    if page is None:
        return DEFAULT_REGION
    cached = getattr(page, "_demo_request_region", None)
    if cached:
        return cached
    from practices.models import PracticeSettings

    region = DEFAULT_REGION
    site = page.get_site()
    if site is not None:
        country = (
            PracticeSettings.objects.filter(site=site).values_list("country", flat=True).first()
        )
        if country and len(country) == 2:
            region = country.upper()
    page._demo_request_region = region
    return region


def normalise_phone(value: str, region: str) -> str:
    """E.164 form of a valid number; raises ValidationError otherwise."""
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    message = MSG_PHONE.format(
        example=phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
        if example
        else "+1 512 555 0100"
    )
    if len(value) > 40:
        raise forms.ValidationError(message, code="invalid_phone")
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise forms.ValidationError(message, code="invalid_phone") from None
    if not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(message, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _cap(field: forms.Field, limit: int, label: str) -> None:
    field.max_length = limit
    field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
    field.validators.append(
        MaxLengthValidator(limit, message=f"“{label}” can be at most {limit} characters long.")
    )
    field.widget.attrs["maxlength"] = str(limit)


class DemoRequestFormMixin:
    """Mixed in front of the form builder's form class by DemoRequestPage."""

    # Spam checks can be switched off for a trusted caller (never for public input).
    check_spam = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            label = str(field.label or name)
            if isinstance(field, forms.BooleanField):
                if label == CONSENT_LABEL or "consent" in name or "agree" in name:
                    field.error_messages["required"] = MSG_CONSENT
                continue
            if isinstance(field, forms.EmailField):
                _cap(field, EMAIL_MAX, label)
                field.widget.attrs.setdefault("autocomplete", "email")
            elif isinstance(field, forms.CharField):
                if isinstance(field.widget, forms.Textarea):
                    _cap(field, MESSAGE_MAX, label)
                elif _is_name(name):
                    _cap(field, NAME_MAX, label)
                    field.widget.attrs.setdefault("autocomplete", "name")
                else:
                    _cap(field, TEXT_MAX, label)
                    if _is_organisation(name):
                        field.widget.attrs.setdefault("autocomplete", "organization")
                if _is_phone(name):
                    field.widget.attrs.setdefault("autocomplete", "tel")
                    field.widget.attrs.setdefault("inputmode", "tel")
            elif isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
                # Numbers such as "number of providers": no absurd values.
                field.validators += [
                    MinValueValidator(0, message=f"“{label}” cannot be negative."),
                    MaxValueValidator(
                        NUMBER_MAX, message=f"“{label}” can be at most {NUMBER_MAX}."
                    ),
                ]
                field.widget.attrs.setdefault("min", "0")
                field.widget.attrs.setdefault("max", str(NUMBER_MAX))

    @property
    def phone_region(self) -> str:
        return region_for_page(getattr(self, "page", None))

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if not _is_phone(name) or not isinstance(field, forms.CharField):
                continue
            if isinstance(field, forms.EmailField) or name in self._errors:
                continue
            value = (cleaned.get(name) or "").strip()
            if not value:
                continue
            try:
                cleaned[name] = normalise_phone(value, self.phone_region)
            except forms.ValidationError as error:
                self.add_error(name, error)
        if self.check_spam:
            self._check_spam()
        return cleaned

    def _check_spam(self) -> None:
        page = getattr(self, "page", None)
        problem = spam.honeypot_error(self.data.get(spam.HONEYPOT_FIELD))
        if problem is None:
            problem = spam.fill_time_error(
                self.data.get(spam.TOKEN_FIELD), page.pk if page is not None else 0
            )
        if problem:
            self.spam_rejected = True
            raise forms.ValidationError(problem, code="spam")

    @property
    def error_summary(self) -> list[dict]:
        """Errors in field order, each with the id to link to (for the summary box)."""
        items = []
        for message in self.non_field_errors():
            items.append({"id": "", "label": "", "message": message})
        for bound in self:
            for message in bound.errors:
                items.append({"id": bound.auto_id, "label": bound.label, "message": message})
        return items
