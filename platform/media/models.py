"""Wagtail's image, rendition and document models, with per-practice object keys.

Custom models only to choose where files are stored (``keys``) and which storage
holds documents; everything else is Wagtail's own behaviour.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document
from wagtail.images.models import AbstractImage, AbstractRendition, Image

from . import keys
from .storage import get_document_storage


class PracticeImage(AbstractImage):
    admin_form_fields = Image.admin_form_fields

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def get_upload_to(self, filename: str) -> str:
        return keys.original_image_key(self.collection, super().get_upload_to(filename))


class PracticeRendition(AbstractRendition):
    image = models.ForeignKey(PracticeImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)

    def get_upload_to(self, filename: str) -> str:
        filename = self.file.field.storage.get_valid_name(filename)
        image = self.image
        return keys.rendition_key(image.collection, image.get_file_hash(), filename)


def _document_upload_to(instance: PracticeDocument, filename: str) -> str:
    return keys.document_key(instance.collection, filename)


class PracticeDocument(AbstractDocument):
    file = models.FileField(
        upload_to=_document_upload_to, storage=get_document_storage, verbose_name=_("file")
    )
    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")
