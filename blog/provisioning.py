"""The blog's contribution to a new practice: its (empty) blog index, and a "latest
posts" block on the home page."""

from __future__ import annotations

from blog.models import BlogIndexPage
from practices.starter_pages import (
    HomeBlock,
    StarterContext,
    StarterPage,
    register_home_block,
    register_starter_page,
)


def _blog_index(context: StarterContext) -> BlogIndexPage:
    return BlogIndexPage(title="Blog", slug="blog", intro=f"News and advice from {context.name}.")


def _latest_posts(context: StarterContext) -> dict:
    return {"heading": "Latest from our blog", "count": 3, "tag": ""}


def register() -> None:
    register_starter_page(
        StarterPage(key="blog", position=20, build=_blog_index, show_in_menus=True)
    )
    # After the team (30), before the testimonials (50): practices.services.home_blocks.
    register_home_block(HomeBlock(name="latest_posts", position=40, value=_latest_posts))
