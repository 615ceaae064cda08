import mimetypes

from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "agency_platform.media"
    label = "media"
    verbose_name = "Media"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The Content-Type sent to S3 comes from the key's extension; make sure the
        # modern image formats Wagtail writes are known on every base image.
        mimetypes.add_type("image/webp", ".webp")
        mimetypes.add_type("image/avif", ".avif")
        mimetypes.add_type("text/vtt", ".vtt")
        mimetypes.add_type("video/webm", ".webm")

        from agency_platform.core import freshness

        from . import receivers
        from .freshness import RULES

        receivers.connect()
        freshness.connect(self.label, RULES)
