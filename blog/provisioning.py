"""The blog's contribution to a new practice: its (empty) blog index."""

from __future__ import annotations

from blog.models import BlogIndexPage
from practices.starter_pages import StarterContext, StarterPage, register_starter_page


def _blog_index(context: StarterContext) -> BlogIndexPage:
    return BlogIndexPage(title="Blog", slug="blog", intro=f"News and advice from {context.name}.")


def register() -> None:
    register_starter_page(
        StarterPage(key="blog", position=20, build=_blog_index, show_in_menus=True)
    )
