from django.apps import AppConfig


class DemoRequestsConfig(AppConfig):
    name = "demo_requests"
    verbose_name = "Demo requests"

    def ready(self) -> None:
        from agency_platform.core import demo
        from demo_requests import blocks, dashboard, provisioning
        from demo_requests.models import DemoRequestPage
        from practices.settings_cache import register_contact_page

        provisioning.register()  # its starter pages for every new practice
        dashboard.register_dashboard_columns()  # its columns of the practices dashboard
        blocks.register()  # its page-builder block (the request form)
        register_contact_page(DemoRequestPage)
        demo.register_loader(60, "demo_requests.demo")
