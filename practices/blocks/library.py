"""The page builder's block library: the core's blocks and the features' ones, and
the subset a service page's body is built from (ServiceBodyBlock).

`StreamField(PageBuilderBlock, ...)` passes the class: Wagtail instantiates it when
the field's block is first needed, after every app's ready() has registered its
blocks (practices.blocks.registry explains why that is safe and checked).
"""

from __future__ import annotations

from wagtail import blocks

from practices.blocks.content import (
    ImageWithCaptionBlock,
    ImageWithTextBlock,
    InsuranceBlock,
    RichTextSectionBlock,
)
from practices.blocks.faq import FAQBlock
from practices.blocks.hero import CallToActionBandBlock, HeroBlock
from practices.blocks.media import VideoBlock
from practices.blocks.people import ServicesGridBlock, TeamHighlightBlock, TestimonialsBlock
from practices.blocks.places import LocationsBlock
from practices.blocks.registry import registered_blocks

# (name, position, block class). The name is stored in page content: never rename.
# Positions leave room for features' blocks (the blog's latest posts at 55, the
# request form at 95).
CORE_BLOCKS = [
    ("hero", 10, HeroBlock),
    ("rich_text", 20, RichTextSectionBlock),
    ("image_with_text", 30, ImageWithTextBlock),
    ("services", 40, ServicesGridBlock),
    ("team", 50, TeamHighlightBlock),
    ("testimonials", 60, TestimonialsBlock),
    ("faq", 70, FAQBlock),
    ("locations", 80, LocationsBlock),
    ("insurance", 85, InsuranceBlock),
    ("cta_band", 90, CallToActionBandBlock),
    ("video", 100, VideoBlock),
]
# One hero per page, at most: it holds the page's main heading (<h1>).
BLOCK_COUNTS = {"hero": {"max_num": 1}}


def library() -> list[tuple[str, blocks.Block]]:
    entries = [(position, name, block_class()) for name, position, block_class in CORE_BLOCKS]
    entries += [(entry.position, entry.name, entry.block) for entry in registered_blocks()]
    return [(name, block) for _, name, block in sorted(entries, key=lambda e: (e[0], e[1]))]


class PageBuilderBlock(blocks.StreamBlock):
    def __init__(self, local_blocks=None, **kwargs) -> None:
        super().__init__([*library(), *(local_blocks or [])], **kwargs)

    class Meta:
        block_counts = BLOCK_COUNTS


# A service page's body (ServicePage.body): what explains one service, under the
# page's own title and summary (its <h1>), so no hero and no listings of other pages;
# the captioned image is for pictures across the text column. Each name means the same
# block as in CORE_BLOCKS (stored in page content: never rename). No feature's block:
# a feature registers page-builder blocks only (practices.blocks.registry).
SERVICE_BLOCKS = [
    ("rich_text", RichTextSectionBlock),
    ("image", ImageWithCaptionBlock),
    ("image_with_text", ImageWithTextBlock),
    ("video", VideoBlock),
    ("faq", FAQBlock),
    ("testimonials", TestimonialsBlock),
    ("cta_band", CallToActionBandBlock),
]


class ServiceBodyBlock(blocks.StreamBlock):
    def __init__(self, local_blocks=None, **kwargs) -> None:
        own = [(name, block_class()) for name, block_class in SERVICE_BLOCKS]
        super().__init__([*own, *(local_blocks or [])], **kwargs)
