"""Wagtail's image, rendition and document models, with per-practice object keys.

Custom models to choose where files are stored (``keys``) and which storage holds
documents, and for cheaper rendition lookups (``rendition_lookup``); everything else is
Wagtail's own behaviour.
"""

from __future__ import annotations

import posixpath

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document
from wagtail.images.models import (
    AbstractImage,
    AbstractRendition,
    Image,
    WagtailImageField,
    get_rendition_storage,
    get_rendition_upload_to,
    get_upload_to,
)

from . import keys
from .rendition_lookup import RenditionLookupMixin
from .storage import get_document_storage

# Wagtail's 100 characters do not leave room for "practices/<slug>/" and the content
# hash of renditions; keys stay far below S3's 1,024-byte limit.
FILE_NAME_MAX_LENGTH = 255


class PracticeImage(RenditionLookupMixin, AbstractImage):
    file = WagtailImageField(
        verbose_name=_("file"),
        upload_to=get_upload_to,
        width_field="width",
        height_field="height",
        max_length=FILE_NAME_MAX_LENGTH,
    )
    admin_form_fields = Image.admin_form_fields

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def get_upload_to(self, filename: str) -> str:
        return keys.original_image_key(self.collection, super().get_upload_to(filename))


class PracticeRendition(AbstractRendition):
    file = WagtailImageField(
        upload_to=get_rendition_upload_to,
        storage=get_rendition_storage,
        width_field="width",
        height_field="height",
        max_length=FILE_NAME_MAX_LENGTH,
    )
    image = models.ForeignKey(PracticeImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)

    def get_upload_to(self, filename: str) -> str:
        filename = self.file.field.storage.get_valid_name(filename)
        image = self.image
        return keys.rendition_key(image.collection, image.get_file_hash(), filename)


def _document_upload_to(instance: PracticeDocument, filename: str) -> str:
    stem, extension = posixpath.splitext(filename)
    # Room for the prefix and for the storage's de-duplicating suffix.
    return keys.document_key(instance.collection, stem[:120] + extension[:10])


class PracticeDocument(AbstractDocument):
    file = models.FileField(
        upload_to=_document_upload_to,
        storage=get_document_storage,
        verbose_name=_("file"),
        max_length=FILE_NAME_MAX_LENGTH,
    )
    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")
