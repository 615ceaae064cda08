"""Testimonials in the admin: editors collect them, a moderator approves each one.

An editor may add and edit a practice's testimonials but never publish one: the
status field is a moderator's (the practice's moderators group, or agency staff).
An editor's change to the words or the name of an approved testimonial sends it
back to the moderator, so nothing reaches the public that no moderator has read.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

from practices.isolation import is_agency_staff
from practices.models import Practice, Testimonial, TestimonialStatus
from practices.snippets import (
    PracticeOwnedForm,
    PracticeOwnedSnippetViewSet,
    register_practice_owned_snippet,
)

# Changing any of these on an approved testimonial needs a new approval.
REVIEWED_FIELDS = ("quote", "display_name", "source", "given_on", "consent_recorded", "practice")


def moderates(user, practice: Practice | None) -> bool:
    if is_agency_staff(user):
        return True
    if practice is None:
        return Practice.objects.filter(moderators_group__user=user).exists()
    return user.groups.filter(pk=practice.moderators_group_id).exists()


class TestimonialForm(PracticeOwnedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._initial_status = self.instance.status
        if self.for_user is not None and not moderates(self.for_user, None):
            self.fields["status"].disabled = True
            self.fields["status"].help_text = "A moderator of the practice approves it."

    def clean(self) -> dict:
        cleaned = super().clean()
        status = cleaned.get("status", self._initial_status)
        practice = cleaned.get("practice")
        if status != self._initial_status and not moderates(self.for_user, practice):
            self.add_error("status", "Only a moderator of this practice may change the status.")
        return cleaned

    def save(self, commit: bool = True) -> Testimonial:
        testimonial = super().save(commit=False)
        reviewed = self.instance.status != TestimonialStatus.PENDING
        if self.instance.status != self._initial_status:
            testimonial.reviewed_by, testimonial.reviewed_at = self.for_user, timezone.now()
        elif (
            reviewed
            and set(self.changed_data) & set(REVIEWED_FIELDS)
            and not moderates(self.for_user, testimonial.practice)
        ):
            testimonial.status = TestimonialStatus.PENDING
            testimonial.reviewed_by = testimonial.reviewed_at = None
        if commit:
            testimonial.save()
        return testimonial


class TestimonialViewSet(PracticeOwnedSnippetViewSet):
    model = Testimonial
    icon = "openquote"
    menu_label = "Testimonials"
    add_to_admin_menu = True
    menu_order = 220
    form_fields = [
        "practice", "quote", "display_name", "source", "given_on",
        "consent_recorded", "consent_note", "status",
    ]  # fmt: skip
    list_display = ["display_name", "practice", "status", "given_on"]
    list_filter = ["status"]
    search_fields = ["display_name", "quote"]

    def get_form_class(self, for_update: bool = False) -> type[forms.ModelForm]:
        return forms.modelform_factory(self.model, form=TestimonialForm, fields=self.form_fields)


register_practice_owned_snippet(TestimonialViewSet)
