from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "agency_platform.core"
    label = "platform_core"
    verbose_name = "Platform"

    def ready(self) -> None:
        # There is no package __init__ to import the Celery app from (see pyproject:
        # `platform/` must not become a package named `platform`), so bind it here so
        # that @shared_task uses its configuration in web processes too.
        from agency_platform import celery_app  # noqa: F401
        from agency_platform.core import logging as platform_logging

        platform_logging.connect_celery_signals()

        from agency_platform.core import freshness, wagtail_freshness

        freshness.connect(self.label, wagtail_freshness.RULES)

        from agency_platform.core import cache as cache_backend

        cache_backend.on_recovery(freshness.after_cache_outage)
