"""A page-builder page's blocks as they are rendered: computed once, then kept.

`prepare_blocks(page)` runs each block's `load()` (practices.blocks.base) and returns
what the templates show; the page keeps it with the routed page
(PageBuilderMixin.prepare_for_route_cache), so a warm view of the page costs no query
for its blocks, and a preview (never kept) computes it from the editor's content.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString

from agency_platform.core.seo import json_ld_script, plain_text, summarise
from practices.blocks.base import BlockContext
from practices.blocks.faq import faq_page_data


@dataclass
class KeptBlock:
    block_type: str
    id: str
    template: str
    data: dict


def prepare_blocks(page, field_name: str = "body") -> list[KeptBlock]:
    context = BlockContext(page)
    kept = []
    for child in getattr(page, field_name):
        block = child.block
        data = block.load(child.value, context)
        kept.append(KeptBlock(child.block_type, child.id or "", block.meta.template, data))
    return kept


class PageBuilderMixin:
    """For page types whose `body` is the page builder's StreamField."""

    def prepare_for_route_cache(self) -> None:
        self._kept_blocks = prepare_blocks(self)

    @property
    def kept_until(self) -> float | None:
        """When a block's data changes by itself (a block's load() may return a
        `fresh_until` epoch time: the latest posts when a future-dated post is due)."""
        times = [kept.data.get("fresh_until") for kept in self.kept_blocks]
        return min((t for t in times if t is not None), default=None)

    @property
    def kept_blocks(self) -> list[KeptBlock]:
        kept = getattr(self, "_kept_blocks", None)
        if kept is None:
            kept = self._kept_blocks = prepare_blocks(self)
        return kept

    def _raw_blocks(self) -> list[dict]:
        return list(self.body.raw_data)

    @property
    def hero_heading(self) -> str:
        """The hero's heading (the page's <h1>), read from the stored content."""
        for raw in self._raw_blocks():
            if raw["type"] == "hero":
                return (raw.get("value") or {}).get("heading", "")
        return ""

    def get_meta_description(self) -> str:
        """The hero's text, else the first rich text (platform.core.seo), else the
        title: never the whole rendered stream."""
        for raw in self._raw_blocks():
            value = raw.get("value")
            if raw["type"] == "hero" and plain_text((value or {}).get("text", "")):
                return summarise(plain_text(value["text"]))
            if raw["type"] == "rich_text" and plain_text(value):
                return summarise(plain_text(value))
        return plain_text(getattr(self, "intro", "")) or self.title

    def faq_json_ld(self) -> SafeString:
        questions = [
            question
            for kept in self.kept_blocks
            if kept.block_type == "faq"
            for question in kept.data["questions"]
        ]
        return json_ld_script(faq_page_data(questions)) if questions else SafeString("")
