"""Blocks that features add to the page builder: a registry in the tenancy core.

The page builder's block library (practices.blocks.PageBuilderBlock) is the core's
blocks plus those registered here. A feature (the blog's latest posts, the request
form) registers its block from its AppConfig.ready, so that the tenancy core imports
no feature app, as starter pages do (practices.starter_pages).

Why this is safe with StreamField: `StreamField(PageBuilderBlock)` is given the class,
and Wagtail instantiates it the first time the field's `stream_block` is read, which
is after every app is ready (checks, forms, rendering, makemigrations). The block
refuses to be built earlier (`registered_blocks()` raises), so a feature's block can
never be silently missing from a form or from a migration. Each block deconstructs as
a plain StructBlock (Wagtail's own StructBlock.deconstruct), so migrations of
practices hold the block's structure, never an import of the feature.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from wagtail.blocks import Block


@dataclass(frozen=True)
class FeatureBlock:
    """One block of a feature: `name` is its key in the stream (stored in page
    content: never rename it), `position` its place in the editor's block menu."""

    name: str
    block: Block
    position: int


_blocks: dict[str, FeatureBlock] = {}


def register_block(name: str, block: Block, *, position: int) -> None:
    """Idempotent per name (ready() may run twice in tests). The block must load
    its data like the core's (practices.blocks.base.LoadingBlock)."""
    if not callable(getattr(block, "load", None)):
        raise TypeError(f"{name}: a page-builder block needs a load(value, context) method.")
    _blocks[name] = FeatureBlock(name, block, position)


def registered_blocks() -> list[FeatureBlock]:
    if not apps.ready:
        raise ImproperlyConfigured(
            "The page builder's blocks were read before every app was ready: a feature's "
            "block would be missing. Read StreamField.stream_block only after setup."
        )
    return sorted(_blocks.values(), key=lambda entry: (entry.position, entry.name))
