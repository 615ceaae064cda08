"""The admin import form: one practice the user may edit, .md files or .zip archives."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.core.files.uploadedfile import UploadedFile

from practices.isolation import is_agency_staff, scope_for_user
from practices.models import Practice

ALLOWED_SUFFIXES = (".md", ".zip")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def importable_practices(user) -> forms.QuerySet:
    """Agency staff may import into any practice; a practice user into their own only."""
    if is_agency_staff(user):
        return Practice.objects.all()
    return Practice.objects.filter(pk__in=scope_for_user(user).practice_ids)


def can_publish(user, practice: Practice) -> bool:
    # Editors' changes go through their practice's moderation workflow; publishing
    # straight from an import is for the people who could approve it anyway.
    if is_agency_staff(user):
        return True
    return user.groups.filter(pk=practice.moderators_group_id).exists()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data]
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in files if item]
        if not cleaned:
            raise forms.ValidationError("Choose at least one .md file or .zip archive.")
        return cleaned


class PostImportForm(forms.Form):
    practice = forms.ModelChoiceField(queryset=Practice.objects.none(), empty_label=None)
    files = MultipleFileField(
        label="Post files",
        help_text="Markdown files with YAML front matter, or .zip archives of them (images "
        "referenced as /uploads/... may be included in the archive).",
    )
    publish = forms.BooleanField(
        required=False,
        help_text="Publish the posts (future dates are scheduled). Practice editors import "
        "drafts, which go through moderation.",
    )
    dry_run = forms.BooleanField(
        required=False, label="Dry run", help_text="Check the files and show the report only."
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["practice"].queryset = importable_practices(user)

    def clean_files(self) -> list[UploadedFile]:
        files = self.cleaned_data["files"]
        for upload in files:
            if Path(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
                raise forms.ValidationError(f"{upload.name}: only .md and .zip files are accepted.")
        if sum(upload.size for upload in files) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The files are larger than 50 MB in total.")
        return files

    def clean(self) -> dict:
        cleaned = super().clean()
        practice = cleaned.get("practice")
        if cleaned.get("publish") and practice and not can_publish(self.user, practice):
            self.add_error("publish", "Only the practice's moderators can publish on import.")
        return cleaned
