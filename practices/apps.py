from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_agency_staff_group(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    # Permissions exist only after migrate has created them, hence post_migrate rather
    # than a data migration. This receiver may run before auth's own one, so create
    # every app's permissions first (idempotent).
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from practices.services.permissions import ensure_agency_staff_group

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    ensure_agency_staff_group()


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = "Practices"

    def ready(self) -> None:
        from agency_platform.core import freshness
        from practices import admin_filters
        from practices.freshness import RULES

        freshness.connect(self.label, RULES)

        admin_filters.install()
        admin_filters.install_image_chooser()

        post_migrate.connect(_ensure_agency_staff_group, sender=self)
