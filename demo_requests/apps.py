from django.apps import AppConfig


class DemoRequestsConfig(AppConfig):
    name = "demo_requests"
    verbose_name = "Demo requests"

    def ready(self) -> None:
        from demo_requests.dashboard import register_dashboard_columns

        register_dashboard_columns()
