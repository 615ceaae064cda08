"""The blog's page-builder block: the newest posts of the practice's blog (or of one
tag), registered into the page builder from BlogConfig.ready
(practices.blocks.registry)."""

from __future__ import annotations

import time

from django.utils.text import slugify
from wagtail import blocks

from practices.blocks.base import BlockContext, page_url

MAX_POSTS = 12


class LatestPostsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Latest from our blog")
    count = blocks.IntegerBlock(default=3, min_value=1, max_value=MAX_POSTS)
    tag = blocks.CharBlock(
        max_length=100, required=False, help_text="Only posts with this tag (its name)."
    )

    def load(self, value, context: BlockContext) -> dict:
        from blog import selectors
        from blog.models import BlogIndexPage

        home = context.home_path
        index = BlogIndexPage.objects.live().filter(path__startswith=home).first() if home else None
        tag = slugify(value["tag"] or "")
        posts, due_in = [], None
        if index is not None:
            posts = list(selectors.listing(index, tag=tag).defer("body")[: value["count"]])
            due_in = selectors.seconds_until_next_post(index)
            for post in posts:
                if post.hero_image is not None:
                    # Made now: kept with the page (practices.blocks.base).
                    post.hero_image.get_rendition(selectors.CARD_RENDITION)
        more_url = page_url(index)
        if index is not None and tag:
            more_url = f"{more_url}tag/{tag}/"
        return {
            "heading": value["heading"],
            "posts": posts,
            "more_url": more_url,
            # A live post dated in the future becomes due then, with no publish to
            # bump anything (practices.blocks.rendering.KeptBlock.fresh_until).
            "fresh_until": None if due_in is None else time.time() + due_in,
        }

    class Meta:
        icon = "doc-full"
        label = "Latest posts"
        template = "blog/blocks/latest_posts.html"


def register() -> None:
    from practices.blocks.registry import register_block

    register_block("latest_posts", LatestPostsBlock(), position=55)
