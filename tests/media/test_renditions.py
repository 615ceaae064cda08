"""The rendition registry and the templates agree (so no page view makes a rendition)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from agency_platform.media.renditions import ALL_PUBLIC_SPECS, PUBLIC_RENDITION_SPECS
from blog.selectors import CARD_RENDITION, HERO_RENDITIONS
from practices.team_selectors import CARD_RENDITIONS

REPO = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [REPO / "platform" / "templates", REPO / "blog", REPO / "practices"]
TAG = re.compile(r"{%\s*(image|picture|srcset_image)\s+\S+\s+(.*?)%}")
FILTER = re.compile(r"^(?:fill|width|height|max|min|scale|format|original)-")


def _expand(token: str) -> list[str]:
    """`fill-{a,b}` -> ['fill-a', 'fill-b'] (the picture tag's brace syntax)."""
    match = re.match(r"^(.*?){(.*?)}(.*)$", token)
    if not match:
        return [token]
    head, options, tail = match.groups()
    return [f"{head}{option}{tail}" for option in options.split(",")]


def specs_in(source: str) -> set[str]:
    found: set[str] = set()
    for _tag, arguments in TAG.findall(source):
        filters = [token for token in arguments.split() if FILTER.match(token)]
        for combination in itertools.product(*[_expand(token) for token in filters]):
            found.add("|".join(combination))
    return found


def template_specs() -> dict[str, set[str]]:
    by_file: dict[str, set[str]] = {}
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            specs = specs_in(path.read_text())
            if specs:
                by_file[str(path.relative_to(REPO))] = specs
    return by_file


def test_the_parser_expands_picture_syntax() -> None:
    assert specs_in("{% picture p fill-{1x2,3x4} format-{webp,jpeg} sizes='x' %}") == {
        "fill-1x2|format-webp", "fill-1x2|format-jpeg",
        "fill-3x4|format-webp", "fill-3x4|format-jpeg",
    }  # fmt: skip
    assert specs_in("{% image page.logo height-96 as logo %}") == {"height-96"}


def test_every_template_spec_is_registered() -> None:
    by_file = template_specs()
    assert len(by_file) >= 5, by_file  # the parser really found the templates
    missing = {
        path: sorted(specs - set(ALL_PUBLIC_SPECS))
        for path, specs in by_file.items()
        if specs - set(ALL_PUBLIC_SPECS)
    }
    assert missing == {}, "register these in agency_platform.media.renditions"


def test_every_registered_spec_is_used_by_a_template() -> None:
    used = set().union(*template_specs().values())
    assert sorted(set(ALL_PUBLIC_SPECS) - used) == []


def test_the_selectors_prefetch_registered_specs() -> None:
    assert set(CARD_RENDITIONS) <= set(PUBLIC_RENDITION_SPECS["team_card"])
    assert {CARD_RENDITION, *HERO_RENDITIONS} <= set(ALL_PUBLIC_SPECS)
