from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self) -> None:
        from agency_platform.core import demo, freshness
        from blog import blocks, dashboard, provisioning
        from blog.freshness import RULES, copies_of

        freshness.connect(self.label, RULES, copies=copies_of)
        demo.register_loader(50, "blog.demo")
        provisioning.register()  # its starter pages for every new practice
        dashboard.register_dashboard_columns()  # its columns of the practices dashboard
        blocks.register()  # its page-builder block (latest posts)

        from blog.selectors import posts_by_member
        from practices.team_selectors import register_posts_finder

        register_posts_finder(posts_by_member)  # a team member's posts on their page

        from wagtail.signals import page_published

        from blog.models import BlogPostPage
        from blog.syndication_hooks import sync_copies_of_published_original

        page_published.connect(
            sync_copies_of_published_original, sender=BlogPostPage, dispatch_uid="blog-syndicate"
        )
