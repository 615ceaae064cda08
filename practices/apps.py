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


def _register_dashboard_columns() -> None:
    from practices.dashboard import DashboardColumn, register_column
    from practices.selectors import last_edited_at, page_count

    register_column(DashboardColumn("page_count", "Pages", page_count, order=10))
    register_column(
        DashboardColumn("last_edited_at", "Last edit", last_edited_at, order=90, is_date=True)
    )


class PracticesConfig(AppConfig):
    name = "practices"
    verbose_name = "Practices"

    def ready(self) -> None:
        from agency_platform.core import demo, freshness, tenancy
        from practices import (
            admin_filters,
            agency_site,
            media_tenancy,
            places_provisioning,
            team_provisioning,
        )
        from practices.freshness import RULES
        from practices.services import provisioning
        from practices.starter_pages import StarterPage, register_starter_page

        register_starter_page(
            StarterPage(key="privacy", position=30, build=provisioning.privacy_page)
        )
        team_provisioning.register()
        agency_site.register()  # the agency's product pages (practice-owner audience)
        places_provisioning.register()

        freshness.connect(self.label, RULES)
        # Practices first; members are linked to their offices after the team exists.
        demo.register_loader(10, "practices.demo")
        demo.register_loader(20, "practices.team_demo")
        demo.register_loader(30, "practices.places_demo")
        demo.register_loader(40, "practices.testimonials_demo")
        tenancy.register_directory(media_tenancy.PracticeDirectory())
        media_tenancy.connect()

        admin_filters.install()
        admin_filters.install_image_chooser()

        post_migrate.connect(_ensure_agency_staff_group, sender=self)
        _register_dashboard_columns()
