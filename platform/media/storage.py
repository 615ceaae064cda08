"""The two media storages: public images and private documents.

``PublicMediaStorage`` (the ``default`` storage) holds originals and renditions;
renditions get a year-long immutable ``Cache-Control`` because their keys are
content-addressed (see ``keys.rendition_key``). ``PrivateDocumentStorage`` (the
``documents`` storage) holds documents and videos; its URLs are signed and expire, and
only Wagtail's document view (after its permission and practice checks) issues them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from storages.backends.s3 import S3Storage

DOCUMENTS_ALIAS = "documents"


class PublicMediaStorage(S3Storage):
    def get_object_parameters(self, name: str) -> dict:
        params = super().get_object_parameters(name)
        rendition = "/images/" in name
        params.setdefault(
            "CacheControl",
            settings.RENDITION_CACHE_CONTROL if rendition else settings.ORIGINAL_CACHE_CONTROL,
        )
        return params


class PrivateDocumentStorage(S3Storage):
    def get_object_parameters(self, name: str) -> dict:
        params = super().get_object_parameters(name)
        params.setdefault("CacheControl", settings.DOCUMENT_CACHE_CONTROL)
        return params


class _DocumentStorage(LazyObject):
    """Resolves ``STORAGES["documents"]`` on first use, and again after a settings change."""

    def _setup(self) -> None:
        self._wrapped = storages[DOCUMENTS_ALIAS]


document_storage = _DocumentStorage()


def get_document_storage() -> Storage:
    """The ``storage`` callable of the document file field (keeps migrations stable)."""
    return document_storage


@receiver(setting_changed)
def _reset_document_storage(*, setting: str, **kwargs) -> None:
    if setting == "STORAGES":
        document_storage._wrapped = empty


# Keys anyone may read (through the CDN or directly): image originals and renditions.
# Documents and videos are never public; they are reached by signed URLs only.
PUBLIC_KEY_PATTERNS = (
    "practices/*/original_images/*",
    "practices/*/images/*",
    "agency/original_images/*",
    "agency/images/*",
)


def public_read_policy(bucket: str) -> dict:
    """The bucket policy that makes images public and keeps everything else private
    (for a bucket without a CDN origin-access identity; the demo and tests use it)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicImages",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": [f"arn:aws:s3:::{bucket}/{pattern}" for pattern in PUBLIC_KEY_PATTERNS],
            }
        ],
    }


# Videos are played with crossorigin="anonymous" (captions tracks need CORS once the
# document view redirects to the bucket); signed URLs and public images may be read
# from any origin, so the bucket answers CORS for GET and HEAD.
BUCKET_CORS = {
    "CORSRules": [
        {
            "AllowedMethods": ["GET", "HEAD"],
            "AllowedOrigins": ["*"],
            "AllowedHeaders": ["*"],
            "MaxAgeSeconds": 86400,
        }
    ]
}
