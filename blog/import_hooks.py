"""Wagtail hooks for the post import screen (imported by blog/wagtail_hooks.py)."""

from __future__ import annotations

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from blog.import_views import ImportPostsView, may_import


class ImportPostsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return may_import(request.user)


@hooks.register("register_admin_urls")
def register_import_url() -> list:
    return [path("blog/import/", ImportPostsView.as_view(), name="blog_import_posts")]


@hooks.register("register_admin_menu_item")
def register_import_menu_item() -> MenuItem:
    return ImportPostsMenuItem(
        "Import posts", reverse("blog_import_posts"), icon_name="upload", order=310
    )
