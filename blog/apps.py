from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self) -> None:
        from blog import dashboard, provisioning

        provisioning.register()  # its starter pages for every new practice
        dashboard.register_dashboard_columns()  # its columns of the practices dashboard
