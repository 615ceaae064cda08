"""The request form's field types beyond Wagtail's: choices read at render time.

Wagtail's FormBuilder makes a field of type T with `create_T_field(field, options)`;
`RequestFormBuilder` adds `provider` (the practice's live team members, in the
explorer's order) and `location` (the practice's locations). Their choices are never
stored on the form: a member published or unpublished changes the next render (the
practice's generation changes too, which keys the embedded form's cached rows, see
demo_requests.embedded_form_cache).

A choice is posted as a slug (so `?provider=<member slug>` can pre-select it) and
stored as its label (the member's name, the location's name), which is what the leads
inbox and the CRMs show, and what stays meaningful after the member leaves.
"""

from __future__ import annotations

from django import forms
from wagtail.contrib.forms.forms import FormBuilder
from wagtail.models import Page

NO_PREFERENCE = ("", "No preference")
HOME_DEPTH = 2  # practice home pages are children of the tree root


class LabelChoiceField(forms.ChoiceField):
    """Posted as the choice's value, cleaned to its label ("" for no preference)."""

    def clean(self, value):
        value = super().clean(value)
        return dict(self.choices).get(value, "") if value else ""


def home_path(page: Page) -> str:
    return page.path[: HOME_DEPTH * Page.steplen]


def provider_choices(page: Page) -> list[tuple[str, str]]:
    """(slug, name with credentials) of the practice's live team members."""
    from practices.models import TeamMemberPage

    members = (
        TeamMemberPage.objects.live()
        .filter(path__startswith=home_path(page))
        .order_by("path")
        .only("title", "slug", "credentials")
    )
    return [(member.slug, member.display_name) for member in members]


def location_choices(page: Page) -> list[tuple[str, str]]:
    """(slug, name) of the practice's published locations (practices' LocationPages);
    a practice that has none yet offers its single address (PracticeSettings),
    labelled by its city, else the practice's name."""
    from django.utils.text import slugify

    from practices.models import PracticeSettings
    from practices.selectors import location_choices_under

    choices = location_choices_under(home_path(page))
    if choices:
        return choices
    row = (
        PracticeSettings.objects.filter(site__root_page__path=home_path(page))
        .values("locality", "display_name")
        .first()
    )
    if row is None:
        return []
    label = row["locality"] or row["display_name"]
    return [(slugify(label), label)] if label else []


class RequestFormBuilder(FormBuilder):
    def __init__(self, fields, page: Page | None = None):
        super().__init__(fields)
        self.page = page

    def _dynamic(self, options: dict, choices: list[tuple[str, str]]) -> forms.Field:
        options.pop("initial", None)  # the default value is not one of the choices
        return LabelChoiceField(choices=[NO_PREFERENCE, *choices], **options)

    def create_provider_field(self, field, options) -> forms.Field:
        return self._dynamic(options, provider_choices(self.page) if self.page else [])

    def create_location_field(self, field, options) -> forms.Field:
        return self._dynamic(options, location_choices(self.page) if self.page else [])

    def get_form_class(self):
        form_class = super().get_form_class()
        # Which fields hold a provider or a location (for pre-selection); `self.fields`
        # is the queryset formfields already ran, so this reads its cached rows.
        for kind in PRESELECTABLE:
            names = tuple(
                field.clean_name or field.get_field_clean_name()
                for field in self.fields
                if field.field_type == kind
            )
            setattr(form_class, f"{kind}_fields", names)
        return form_class


# Field types a link may pre-select with `?<type>=<slug>`: a member page's
# "Request an appointment with ..." (provider), a location page's (location).
PRESELECTABLE = ("provider", "location")


def preselect(form: forms.Form, kind: str, slug: str) -> bool:
    """Pre-select `slug` in the form's first `kind` field on an unbound form; False
    when the form has no such field or `slug` is not one of its choices."""
    name = next(iter(getattr(form, f"{kind}_fields", ())), None) if slug else None
    if name is None or form.is_bound:
        return False
    if slug not in dict(form.fields[name].choices):
        return False
    form.initial[name] = slug
    return True


def preselect_provider(form: forms.Form, slug: str) -> bool:
    return preselect(form, "provider", slug)
