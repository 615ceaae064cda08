from django.apps import AppConfig


class DemoRequestsConfig(AppConfig):
    name = "demo_requests"
    verbose_name = "Demo requests"

    def ready(self) -> None:
        from demo_requests.models import DemoRequestPage
        from practices.settings_cache import register_contact_page

        register_contact_page(DemoRequestPage)
