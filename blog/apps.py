from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self) -> None:
        from blog.dashboard import register_dashboard_columns

        register_dashboard_columns()
