"""`{% page_blocks page %}`: a page-builder page's blocks, each with its own template.

Each block template gets `data` (what its block's load() returned, kept with the
routed page: practices.blocks.rendering) and `block_id` (unique on the page, for
aria-labelledby), on top of the page's own context (request, page, settings).
"""

from __future__ import annotations

import math
import time

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from agency_platform.core import freshness

register = template.Library()


@register.simple_tag(takes_context=True)
def page_blocks(context: template.Context, page) -> SafeString:
    parts = []
    until = page.kept_until
    if until is not None:
        # No cache layer may keep this response past the moment a block changes.
        freshness.fresh_for(context.get("request"), max(1, math.ceil(until - time.time())))
    for position, kept in enumerate(page.kept_blocks, start=1):
        block_id = f"block-{kept.id[:8] or position}"
        with context.push(data=kept.data, block_id=block_id, block_type=kept.block_type):
            parts.append(get_template(kept.template).template.render(context))
    return mark_safe("".join(parts))  # noqa: S308 (rendered templates, escaped by them)
