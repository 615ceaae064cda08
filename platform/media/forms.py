"""Form bases for Wagtail's image and document upload forms
(WAGTAILIMAGES_IMAGE_FORM_BASE / WAGTAILDOCS_DOCUMENT_FORM_BASE).

Both run the shared upload checks (agency_platform.media.validation) on the file, and
write the file to storage while the form is still being validated: when the bucket
cannot be reached the editor gets a form error on the file field and no row is
created, instead of a row that points at an object that was never stored.
"""

from __future__ import annotations

import logging
import os

from botocore.exceptions import BotoCoreError, ClientError
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.fields import FileField
from django.template.defaultfilters import filesizeformat
from wagtail.admin.forms.collections import BaseCollectionMemberForm
from wagtail.documents.fields import WagtailDocumentField
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtail.search import index as search_index

from agency_platform.media import services, status
from agency_platform.media.validation import (
    UploadRejectedError,
    check_document_head,
    check_image_bytes,
)

logger = logging.getLogger(__name__)

# What a storage backend raises when the bucket is unreachable or refuses a write.
STORAGE_ERRORS = (BotoCoreError, ClientError, OSError)
STORAGE_ERROR_MESSAGE = (
    "could not be stored: the media storage did not answer. Nothing was saved; "
    "please try again in a minute."
)
HEAD_BYTES = 1024


def _rejected(exc: UploadRejectedError) -> ValidationError:
    return ValidationError(str(exc), code=exc.code)


class ValidatedImageField(WagtailImageField):
    """Wagtail's image field, with our checks first: size before reading, header-only
    dimensions before decoding, SVG refused, format by content, metadata stripped."""

    def to_python(self, data):
        upload = FileField.to_python(self, data)
        if upload is None:
            return None
        name = os.path.basename(upload.name)
        try:
            if self.max_upload_size is not None and (upload.size or 0) > self.max_upload_size:
                # Refused before a single byte is read into memory.
                raise UploadRejectedError(
                    name,
                    f"is {filesizeformat(upload.size)}; images may be at most "
                    f"{filesizeformat(self.max_upload_size)}",
                    code="file_too_large",
                )
            upload.seek(0)
            raw = upload.read()
            upload.seek(0)
            checked = check_image_bytes(raw, name)
        except UploadRejectedError as exc:
            raise _rejected(exc) from None
        if checked.data is not raw:
            data = SimpleUploadedFile(name, checked.data, content_type=upload.content_type)
        return super().to_python(data)


class ValidatedDocumentField(WagtailDocumentField):
    """Wagtail's document field, with the content checked against the extension."""

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        upload.seek(0)
        head = upload.read(HEAD_BYTES)
        upload.seek(0)
        try:
            check_document_head(head, os.path.basename(upload.name), upload.size or 0)
        except UploadRejectedError as exc:
            raise _rejected(exc) from None
        return upload


def _swap_file_field(form: BaseCollectionMemberForm, field_class: type) -> None:
    """Replace the generated file field (when the form has one) by our subclass."""
    current = form.fields.get("file")
    if current is None or isinstance(current, field_class):
        return
    form.fields["file"] = field_class(
        label=current.label,
        required=current.required,
        widget=current.widget,
        initial=current.initial,
    )


class StoredUploadMixin:
    """Writes the new file to storage at the end of validation; storage failures
    become a form error on the file field."""

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.errors or "file" not in self.changed_data or not self.instance.file:
            return
        self._set_file_metadata()
        upload = self.cleaned_data["file"]
        try:
            self.instance.file.save(os.path.basename(upload.name), upload, save=False)
        except STORAGE_ERRORS as exc:
            logger.warning("media upload could not be stored: %s", type(exc).__name__)
            self.add_error("file", f"'{os.path.basename(upload.name)}' {STORAGE_ERROR_MESSAGE}")

    def _set_file_metadata(self) -> None:
        raise NotImplementedError


class PracticeImageForm(StoredUploadMixin, BaseImageForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _swap_file_field(self, ValidatedImageField)
        self._show_rendition_state()

    def _show_rendition_state(self) -> None:
        """On the edit page, next to the file: are the public renditions ready?"""
        field = self.fields.get("file")
        state = status.get_state(self.instance.pk) if self.instance.pk else None
        if field is None or not state or state["state"] == status.READY:
            return
        if state["state"] == status.PENDING:
            note = "Public sizes of this image are being made in the background."
        else:
            note = (
                "Making the public sizes of this image failed "
                f"({state['detail'] or 'storage error'}); `manage.py media_audit --repair` "
                "or uploading the file again retries."
            )
        field.help_text = f"{note} {field.help_text}"

    def _set_file_metadata(self) -> None:
        # From the upload in memory, before it is stored: no read back from the bucket.
        self.instance._set_image_file_metadata()

    def save(self, commit: bool = True):
        # BaseImageForm.save minus its metadata step, which _post_clean already did.
        file_changed = "file" in self.changed_data
        existed = not self.instance._state.adding
        BaseCollectionMemberForm.save(self, commit=commit)
        if commit:
            replaced = self.original_file and self.original_file.name != self.instance.file.name
            if file_changed and replaced:
                self.original_file.storage.delete(self.original_file.name)
                self.instance.renditions.all().delete()
            if file_changed and existed:
                # A new image gets its renditions from the post_save receiver; a
                # replaced file needs them made again.
                services.schedule_renditions(self.instance)
            search_index.insert_or_update_object(self.instance)
        return self.instance


class PracticeDocumentForm(StoredUploadMixin, BaseDocumentForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _swap_file_field(self, ValidatedDocumentField)

    def _set_file_metadata(self) -> None:
        self.instance._set_document_file_metadata()

    def _post_clean(self) -> None:
        # Wagtail's AbstractDocument.clean re-checks the extension of a file the form
        # already refused (an empty one), adding a confusing 'extension “”' error.
        refused = self._errors.get("file")
        kept = refused.copy() if refused else None
        super()._post_clean()
        if kept is not None:
            self._errors["file"] = kept

    def save(self, commit: bool = True):
        file_changed = "file" in self.changed_data
        replaced = self.original_file and self.original_file.name != self.instance.file.name
        if commit and file_changed and replaced:
            self.original_file.storage.delete(self.original_file.name)
            self.original_file = None
        BaseCollectionMemberForm.save(self, commit=commit)
        if commit:
            search_index.insert_or_update_object(self.instance)
        return self.instance
