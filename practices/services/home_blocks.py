"""A new practice's home page, built from page-builder blocks (practices.blocks):
hero, services, team, the features' blocks (the blog's latest posts), testimonials,
FAQ, insurance, location and a call-to-action band. Written as raw StreamField data,
the form a page's revision stores."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from wagtail.models import Page

from practices.models import PRACTICE_OWNERS
from practices.starter_pages import StarterContext, home_blocks
from practices.starter_templates import StarterTemplate


@dataclass(frozen=True)
class HomeLinks:
    """Pages of the new tree the home page's blocks point at."""

    contact: Page | None
    team: Page | None
    services: list[Page]


def _block(block_type: str, value) -> dict:
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def rich_text_block(html: str) -> dict:
    return _block("rich_text", html)


def _item(value) -> dict:
    return {"type": "item", "value": value, "id": str(uuid.uuid4())}


def _action(label: str, page: Page | None) -> dict | None:
    return _item({"label": label, "page": page.pk, "url": ""}) if page is not None else None


def _agency_blocks(template: StarterTemplate, links: HomeLinks) -> list[tuple[int, dict]]:
    """The agency's marketing home: for practice owners, no team, hours, testimonials
    or location; its product sections, then the way to a demo."""
    label = links.contact.title if links.contact is not None else ""
    actions = [action for action in [_action(label, links.contact)] if action]
    hero = {"heading": template.hero_heading, "text": template.intro, "image": None,
            "video": [], "actions": actions}  # fmt: skip
    found = [(10, _block("hero", hero))]
    if template.home_body:
        found.append((20, rich_text_block(template.home_body)))
    if links.contact is not None:
        band = {"heading": "See it for your practice", "text": "A 20-minute call, no obligation.",
                "action": {"label": label, "page": links.contact.pk, "url": ""},
                "show_phone": False}  # fmt: skip
        found.append((80, _block("cta_band", band)))
    return found


def _core_blocks(template: StarterTemplate, links: HomeLinks) -> list[tuple[int, dict]]:
    actions = [
        action
        for action in (
            _action("Request an appointment", links.contact),
            _action("Meet our team", links.team),
        )
        if action
    ]
    hero = {"heading": template.hero_heading, "text": template.intro, "image": None,
            "video": [], "actions": actions}  # fmt: skip
    found = [(10, _block("hero", hero))]
    if links.services:
        services = [_item(page.pk) for page in links.services]
        found.append((20, _block("services", {"heading": "Our services", "intro": "",
                                              "services": services})))  # fmt: skip
    if links.team is not None:
        found.append((30, _block("team", {"heading": "Meet our team", "intro": "",
                                          "members": [], "count": 3})))  # fmt: skip
    found.append((50, _block("testimonials", {"heading": "What our patients say", "count": 3})))
    if template.faq:
        questions = [_item({"question": q, "answer": f"<p>{a}</p>"}) for q, a in template.faq]
        found.append((60, _block("faq", {"heading": "Frequently asked questions",
                                         "questions": questions})))  # fmt: skip
    if template.insurance:
        plans = [_item(plan) for plan in template.insurance]
        insurance = {"heading": "Insurance we accept", "plans": plans,
                     "note": "Not sure about your plan? Call us."}  # fmt: skip
        found.append((65, _block("insurance", insurance)))
    found.append((70, _block("locations", {"heading": "Visit us", "text": ""})))
    if links.contact is not None:
        band = {"heading": "Ready to see us?", "text": "Request an appointment online in a minute.",
                "action": {"label": "Request an appointment", "page": links.contact.pk, "url": ""},
                "show_phone": True}  # fmt: skip
        found.append((80, _block("cta_band", band)))
    return found


def home_body(template: StarterTemplate, context: StarterContext, links: HomeLinks) -> list[dict]:
    """The home page's blocks in position order, the features' among the core's."""
    if context.audience == PRACTICE_OWNERS:
        found = _agency_blocks(template, links)
    else:
        found = _core_blocks(template, links)
    found += [(block.position, _block(block.name, block.value(context))) for block in home_blocks()]
    return [block for _, block in sorted(found, key=lambda item: item[0])]
