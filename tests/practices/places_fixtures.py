"""Builders for services and locations tests: real pages in a practice tree,
published as the admin does."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.utils.text import slugify

from practices.blocks.faq import faq_stream_data
from practices.models import (
    LocationPage,
    LocationsIndexPage,
    Practice,
    ServicePage,
    ServicesIndexPage,
)

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _index(practice: Practice, model, title: str, slug: str):
    home = practice.site.root_page
    found = model.objects.child_of(home).first()
    if found is None:
        found = model(title=title, slug=slug, show_in_menus=True)
        home.add_child(instance=found)
        found.save_revision().publish()
    return found


def locations_index(practice: Practice) -> LocationsIndexPage:
    return _index(practice, LocationsIndexPage, "Locations", "locations")


def services_index(practice: Practice) -> ServicesIndexPage:
    return _index(practice, ServicesIndexPage, "Services", "services")


def add_location(practice: Practice, title: str, *, publish: bool = True, **fields) -> LocationPage:
    values = {
        "street_address": "1200 River Rd", "locality": "Austin", "region": "TX",
        "postal_code": "78704", "country": "US", "phone": "+1 512 555 0142",
        "latitude": Decimal("30.248000"), "longitude": Decimal("-97.751000"),
        "opening_hours": [("hours", {"days": WEEKDAYS, "opens": datetime.time(8),
                                     "closes": datetime.time(17, 30)})],
        **fields,
    }  # fmt: skip
    location = LocationPage(title=title, slug=slugify(title), **values)
    location.live = publish
    locations_index(practice).add_child(instance=location)
    if publish:
        location.save_revision().publish()
    return location


def rich_text_block(html: str) -> dict:
    return {"type": "rich_text", "value": html, "id": str(uuid.uuid4())}


def add_service(practice: Practice, title: str, *, members=(), posts=(), faq=(), **fields):
    """`body`: raw blocks (default one paragraph); `faq`: (question, answer HTML) pairs,
    an FAQ block after them."""
    body = fields.pop("body", [rich_text_block(f"<p>All about {title}.</p>")])
    service = ServicePage(
        title=title,
        slug=slugify(title),
        summary=fields.pop("summary", f"What {title} is and how we help."),
        body=[*body, *([faq_stream_data(list(faq))] if faq else [])],
        **fields,
    )
    service.related_members = list(members)
    service.related_posts = list(posts)
    services_index(practice).add_child(instance=service)
    service.save_revision().publish()
    return service
