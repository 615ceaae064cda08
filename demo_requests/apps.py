from django.apps import AppConfig


class DemoRequestsConfig(AppConfig):
    name = "demo_requests"
    verbose_name = "Demo requests"

    def ready(self) -> None:
        from demo_requests import dashboard, provisioning

        provisioning.register()  # its starter pages for every new practice
        dashboard.register_dashboard_columns()  # its columns of the practices dashboard
