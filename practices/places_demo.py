"""Demo services and locations for the three demo practices: each starter service
gets its real text and FAQ, each practice its offices (Riverside has two) with the
address, hours and phone of its practice details, and members linked to their
offices and services. Idempotent: what is already done is left alone."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction

from practices.blocks.faq import faq_stream_data
from practices.models import (
    LocationPage,
    LocationsIndexPage,
    Practice,
    PracticeSettings,
    ServicePage,
    ServicesIndexPage,
    TeamMemberPage,
)
from practices.places_demo_content import LOCATIONS, SERVICES

STARTER_OFFICE_SLUG = "main-office"


def _child(parent, model, slug):
    return model.objects.child_of(parent).filter(slug=slug).first()


def _index(home, model, title: str, slug: str):
    found = model.objects.child_of(home).first()
    if found is None:
        found = model(title=title, slug=slug, show_in_menus=True)
        home.add_child(instance=found)
        found.save_revision().publish()
    return found


def _office(index, details: PracticeSettings, spec: dict) -> LocationPage | None:
    office = _child(index, LocationPage, spec["slug"]) or _child(
        index, LocationPage, STARTER_OFFICE_SLUG
    )
    if office is not None and office.live and office.street_address:
        return None  # done on an earlier run
    created = office is None
    office = office or LocationPage()
    office.title, office.slug, office.intro = spec["title"], spec["slug"], spec["intro"]
    office.street_address = spec["street"] or details.street_address
    office.locality, office.region = details.locality, details.region
    office.postal_code = spec.get("postal_code") or details.postal_code
    office.country = details.country
    office.latitude, office.longitude = Decimal(spec["lat"]), Decimal(spec["lng"])
    office.opening_hours = [("hours", block.value) for block in details.opening_hours]
    office.parking, office.accessibility = spec["parking"], spec["accessibility"]
    if created:
        index.add_child(instance=office)
    office.save_revision().publish()
    return office


def _link_members(home, office: LocationPage, names: list[str] | None) -> None:
    members = TeamMemberPage.objects.live().descendant_of(home)
    if names is not None:
        members = members.filter(title__in=names)
    for member in members:
        member.locations.add(office)
        member.save_revision().publish()


def _services(home, practice: Practice) -> int:
    index = _index(home, ServicesIndexPage, "Services", "services")
    clinicians = list(
        TeamMemberPage.objects.live().descendant_of(home).order_by("path")
        .exclude(role_group__in=["front-desk", "hygienists"])[:2]
    )  # fmt: skip
    done = 0
    for slug, (summary, body, faq) in SERVICES.get(practice.slug, {}).items():
        service = _child(index, ServicePage, slug)
        if service is not None and service.summary == summary:
            continue
        created = service is None
        service = service or ServicePage(title=slug.replace("-", " ").capitalize(), slug=slug)
        service.summary = summary
        service.body = [
            {"type": "rich_text", "value": body, "id": str(uuid.uuid4())},
            *([faq_stream_data(faq)] if faq else []),
        ]
        if created:
            index.add_child(instance=service)
        service.related_members.set(clinicians)
        service.save_revision().publish()
        done += 1
    return done


@transaction.atomic
def _load_practice(practice: Practice) -> tuple[int, int]:
    home = practice.site.root_page
    details = PracticeSettings.for_site(practice.site)
    index = _index(home, LocationsIndexPage, "Locations", "locations")
    offices = 0
    for spec in LOCATIONS[practice.slug]:
        office = _office(index, details, spec)
        if office is not None:
            _link_members(home, office, spec["members"])
            offices += 1
    return offices, _services(home, practice)


def load(write: Callable[[str], None]) -> None:
    for practice in Practice.objects.filter(slug__in=list(LOCATIONS)).select_related("site"):
        offices, services = _load_practice(practice)
        if offices or services:
            write(f"  {practice.name}: {offices} locations, {services} services")
