"""Services and locations' contribution to a new practice: a services page with the
starter template's services, and a locations page with one office to complete.

The office is a draft: provisioning knows no address (the practice's details are
filled in afterwards, and a location is published only with one), so editors find
it ready under Locations and publish it once the address is in.
"""

from __future__ import annotations

from django.utils.text import slugify

from practices.models import (
    PATIENTS,
    LocationPage,
    LocationsIndexPage,
    ServicePage,
    ServicesIndexPage,
)
from practices.starter_pages import StarterContext, StarterPage, register_starter_page


def _services_index(context: StarterContext) -> ServicesIndexPage:
    return ServicesIndexPage(
        title="Services", slug="services", intro=f"How {context.name} can help you."
    )


def _services(context: StarterContext) -> list[ServicePage]:
    return [
        ServicePage(title=name, slug=slugify(name)[:50], summary=summary)
        for name, summary in context.services
    ]


def _locations_index(context: StarterContext) -> LocationsIndexPage:
    return LocationsIndexPage(
        title="Locations", slug="locations", intro=f"Where to find {context.name}."
    )


def _first_location(context: StarterContext) -> list[LocationPage]:
    office = LocationPage(title="Main office", slug="main-office", country="US")
    office.live = False
    return [office]


def register() -> None:
    """Positions: services first in the menu, locations after the team (10)."""
    register_starter_page(
        StarterPage(
            key="services", position=5, build=_services_index, show_in_menus=True,
            children=_services, audiences=frozenset({PATIENTS}),
        )
    )  # fmt: skip
    register_starter_page(
        StarterPage(
            key="locations", position=15, build=_locations_index, show_in_menus=True,
            children=_first_location, audiences=frozenset({PATIENTS}),
        )
    )  # fmt: skip
