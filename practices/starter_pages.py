"""What features add to a new practice: a registry in the tenancy core.

Provisioning knows only the practice itself (site, home page, collection, groups,
settings). Each feature (blog, demo requests, the team showcase, the privacy page)
registers here, from its AppConfig.ready, the starter pages it puts under a new home
page, and the page-builder blocks it puts on that home page (`register_home_block`:
the blog's latest posts), so that provisioning imports no feature app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wagtail.models import Page


@dataclass(frozen=True)
class StarterContext:
    """What a starter page may read about the practice being provisioned."""

    name: str
    slug: str
    privacy_url: str  # the practice's privacy policy, which forms link to
    # "patients" (a practice's site) or "practice-owners" (the agency's marketing site).
    audience: str = "patients"
    # The starter template's services, in its order: (name, one-sentence summary).
    services: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class StarterPage:
    """One page under a new practice's home page.

    `position` orders the pages in the tree (and so in menus); `call_to_action`
    makes it the home page's call to action (at most one page may claim it);
    `audiences` says which sites get it: a practice's ("patients") and/or the
    agency's marketing site ("practice-owners"). `children` builds the pages put
    under it, published unless built with `live=False` (kept as a draft with a
    revision, for the editors to finish)."""

    key: str
    position: int
    build: Callable[[StarterContext], Page]
    show_in_menus: bool = False
    call_to_action: bool = False
    audiences: frozenset[str] = frozenset({"patients", "practice-owners"})
    children: Callable[[StarterContext], list[Page]] | None = None


_pages: dict[str, StarterPage] = {}


def register_starter_page(page: StarterPage) -> None:
    """Idempotent per key (ready() may run twice in tests)."""
    claimed = [p.key for p in _pages.values() if p.call_to_action and p.key != page.key]
    if page.call_to_action and claimed:
        raise ValueError(f"{page.key}: the call to action is already {claimed[0]}.")
    _pages[page.key] = page


def starter_pages(audience: str | None = None) -> list[StarterPage]:
    """The registered pages in position order; with `audience`, only that site's."""
    pages = [page for page in _pages.values() if audience is None or audience in page.audiences]
    return sorted(pages, key=lambda page: (page.position, page.key))


@dataclass(frozen=True)
class HomeBlock:
    """One page-builder block on a new practice's home page (practices.blocks): the
    block's `name` in the library, its `position` among the core's starter blocks
    (practices.services.home_blocks) and its value (raw StreamField data)."""

    name: str
    position: int
    value: Callable[[StarterContext], dict]


_home_blocks: dict[str, HomeBlock] = {}


def register_home_block(block: HomeBlock) -> None:
    """Idempotent per name."""
    _home_blocks[block.name] = block


def home_blocks() -> list[HomeBlock]:
    return sorted(_home_blocks.values(), key=lambda block: (block.position, block.name))
