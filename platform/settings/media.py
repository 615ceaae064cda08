"""Where media lives: the local filesystem by default, S3 when a bucket is named.

One environment variable switches to S3: ``AWS_STORAGE_BUCKET_NAME``. Then images and
renditions go to the ``default`` storage (public through the CDN domain, or the bucket
endpoint) and documents and videos to the ``documents`` storage (private: every URL
is a short-lived signed one, handed out only by Wagtail's document view after its
permission checks). Keys are prefixed per practice (``agency_platform.media.keys``).

This module is star-imported by ``base.py``; it reads the environment itself and never
imports application code, so tests can call :func:`s3_storages` to point a process at
a local S3 peer.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import environ

__all__ = [
    "AWS_S3_CUSTOM_DOMAIN",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_STORAGE_BUCKET_NAME",
    "DOCUMENTS_ROOT",
    "DOCUMENT_CACHE_CONTROL",
    "DOCUMENT_URL_EXPIRY",
    "MEDIA_FFMPEG_BINARY",
    "MEDIA_MULTIPART_CHUNKSIZE",
    "MEDIA_MULTIPART_THRESHOLD",
    "MEDIA_ORPHAN_GRACE_SECONDS",
    "MEDIA_ROOT",
    "MEDIA_STORAGE",
    "MEDIA_TASK_BACKOFF_BASE",
    "MEDIA_TASK_BACKOFF_MAX",
    "MEDIA_TASK_MAX_RETRIES",
    "MEDIA_URL",
    "ORIGINAL_CACHE_CONTROL",
    "RENDITION_CACHE_CONTROL",
    "STORAGES",
    "WAGTAILDOCS_DOCUMENT_FORM_BASE",
    "WAGTAILDOCS_DOCUMENT_MODEL",
    "WAGTAILDOCS_SERVE_METHOD",
    "WAGTAILIMAGES_EXTENSIONS",
    "WAGTAILIMAGES_IMAGE_FORM_BASE",
    "WAGTAILIMAGES_IMAGE_MODEL",
]

env = environ.Env()
_BASE_DIR = Path(__file__).resolve().parent.parent.parent

MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=_BASE_DIR / "var" / "media")
# Local documents live outside MEDIA_ROOT, so that no static file server can hand them
# out: only Wagtail's document view, with its checks, serves them.
DOCUMENTS_ROOT = env.path("DOCUMENTS_ROOT", default=f"{MEDIA_ROOT}-documents")

# Renditions have content-addressed keys (the original's hash is part of the key), so
# they may be cached for a year; originals and documents may be replaced in place.
RENDITION_CACHE_CONTROL = "public, max-age=31536000, immutable"
ORIGINAL_CACHE_CONTROL = "public, max-age=86400"
DOCUMENT_CACHE_CONTROL = "private, max-age=300"
# How long a signed document URL stays valid; the document view issues a new one on
# every request.
DOCUMENT_URL_EXPIRY = env.int("DOCUMENT_URL_EXPIRY", default=300)


def s3_storages(
    *,
    bucket: str,
    endpoint_url: str | None = None,
    region: str | None = None,
    custom_domain: str | None = None,
    url_protocol: str = "https:",
    access_key: str | None = None,
    secret_key: str | None = None,
) -> dict:
    """The ``STORAGES`` entries for media on S3 (or an S3-compatible endpoint)."""
    common = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url,
        "region_name": region,
        "access_key": access_key,
        "secret_key": secret_key,
        # No ACLs: the bucket stays private (Object Ownership "bucket owner enforced");
        # public reads of images go through the CDN's origin access or a bucket
        # policy on the image prefixes, never through object ACLs.
        "default_acl": None,
        "signature_version": "s3v4",
    }
    return {
        "default": {
            "BACKEND": "agency_platform.media.storage.PublicMediaStorage",
            "OPTIONS": {
                **common,
                "custom_domain": custom_domain,
                "url_protocol": url_protocol,
                # Image URLs end up in cached pages and in the CDN: they must not expire.
                "querystring_auth": False,
                # Originals must never overwrite each other; renditions are
                # content-addressed and are overwritten by design (idempotent tasks).
                "file_overwrite": False,
            },
        },
        "documents": {
            "BACKEND": "agency_platform.media.storage.PrivateDocumentStorage",
            "OPTIONS": {
                **common,
                "querystring_auth": True,
                "querystring_expire": DOCUMENT_URL_EXPIRY,
                "file_overwrite": False,
            },
        },
    }


AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default="") or None
AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default="") or None
AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN", default="") or None
MEDIA_STORAGE = "s3" if AWS_STORAGE_BUCKET_NAME else "local"

if MEDIA_STORAGE == "s3":
    # Credentials come from boto3's usual chain (instance role, AWS_ACCESS_KEY_ID /
    # AWS_SECRET_ACCESS_KEY in the environment); they are never written in settings.
    STORAGES = s3_storages(
        bucket=AWS_STORAGE_BUCKET_NAME,
        endpoint_url=AWS_S3_ENDPOINT_URL,
        region=AWS_S3_REGION_NAME,
        custom_domain=AWS_S3_CUSTOM_DOMAIN,
        url_protocol=env("AWS_S3_URL_PROTOCOL", default="https:"),
    )
    _public = AWS_S3_CUSTOM_DOMAIN and f"https://{AWS_S3_CUSTOM_DOMAIN}"
    _endpoint = AWS_S3_ENDPOINT_URL or f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"
    _parts = urlsplit(_endpoint)
    # Images come from the CDN (or the endpoint); signed document and video URLs
    # always from the endpoint.
    MEDIA_ORIGINS = sorted({o for o in (_public, f"{_parts.scheme}://{_parts.netloc}") if o})
    WAGTAILDOCS_SERVE_METHOD = "redirect"
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(DOCUMENTS_ROOT), "base_url": None},
        },
    }
    MEDIA_ORIGINS = []
    WAGTAILDOCS_SERVE_METHOD = "serve_view"

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

WAGTAILIMAGES_IMAGE_MODEL = "media.PracticeImage"
WAGTAILDOCS_DOCUMENT_MODEL = "media.PracticeDocument"

# Every upload (admin forms, importers) goes through agency_platform.media.validation:
# size, header pixel count, type by content, no SVG, EXIF/GPS stripped.
WAGTAILIMAGES_IMAGE_FORM_BASE = "agency_platform.media.forms.PracticeImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "agency_platform.media.forms.PracticeDocumentForm"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]

# Background media work (agency_platform.media.tasks): retries on S3 throttling, 5xx
# and connection errors, with exponential backoff (doubling, capped) and jitter.
MEDIA_TASK_MAX_RETRIES = env.int("MEDIA_TASK_MAX_RETRIES", default=8)
MEDIA_TASK_BACKOFF_BASE = env.float("MEDIA_TASK_BACKOFF_BASE", default=1.0)
MEDIA_TASK_BACKOFF_MAX = env.float("MEDIA_TASK_BACKOFF_MAX", default=300.0)
# media_audit --repair removes unreferenced objects only once they are this old, so an
# upload in progress (object written, row not yet committed) is never taken.
MEDIA_ORPHAN_GRACE_SECONDS = env.int("MEDIA_ORPHAN_GRACE_SECONDS", default=86400)
MEDIA_MULTIPART_THRESHOLD = MEDIA_MULTIPART_CHUNKSIZE = 8 * 1024 * 1024
# ffmpeg for video posters: this binary, else ffmpeg on PATH, else imageio-ffmpeg's.
MEDIA_FFMPEG_BINARY = env("MEDIA_FFMPEG_BINARY", default="")
