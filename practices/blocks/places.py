"""Where the practice is: each office's address, opening hours, a tap-to-call number,
a directions link (practices.addresses: no embedded map) and a link to its page."""

from __future__ import annotations

from dataclasses import dataclass, field

from wagtail import blocks

from practices import addresses
from practices.blocks.base import BlockContext, LoadingBlock

WEEK = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class Location:
    name: str
    street_address: str = ""
    locality: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = "US"
    phone: str = ""
    hours: list[tuple[str, str]] = field(default_factory=list)  # (days, "8:00 AM to 5:00 PM")

    url: str = ""  # the office's location page, relative to the site root

    @property
    def address_lines(self) -> list[str]:
        return addresses.address_lines(
            self.street_address, self.locality, self.region, self.postal_code
        )

    @property
    def tel_href(self) -> str:
        return addresses.tel_href(self.phone, self.country)

    @property
    def directions_url(self) -> str:
        return addresses.directions_url(self.address_lines)


def _day_ranges(days: list[str]) -> str:
    """["Monday", "Tuesday", "Wednesday", "Friday"] -> "Monday to Wednesday, Friday" (en dash)."""
    order = sorted({day for day in days if day in WEEK}, key=WEEK.index)
    runs: list[list[str]] = []
    for day in order:
        if runs and WEEK.index(day) == WEEK.index(runs[-1][-1]) + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(run[0] if len(run) < 3 else f"{run[0]}–{run[-1]}" for run in runs)


def _time(value) -> str:
    return value.strftime("%I:%M %p").lstrip("0") if value else ""


def hours_rows(opening_hours) -> list[tuple[str, str]]:
    rows = []
    for row in opening_hours:
        hours = f"{_time(row.value['opens'])} – {_time(row.value['closes'])}"
        rows.append((_day_ranges(row.value["days"]), hours))
    return rows


def practice_locations(context: BlockContext) -> list[Location]:
    """The practice's locations: the one source every location-aware block reads.
    Its live location pages (practices.models.places) in tree order; a practice that
    has none yet shows its own details (PracticeSettings: one address, its hours).
    Two queries."""
    from practices.models.places import LocationPage
    from practices.models.settings import PracticeSettings

    home = context.home_path
    if not home:
        return []
    details = (
        PracticeSettings.objects.select_related("site").filter(site__root_page__path=home).first()
    )
    offices = LocationPage.objects.live().filter(path__startswith=home).order_by("path")
    found = [
        Location(
            name=office.title,
            street_address=office.street_address,
            locality=office.locality,
            region=office.region,
            postal_code=office.postal_code,
            country=office.country or "US",
            phone=office.phone or (details.phone if details else ""),
            hours=hours_rows(office.opening_hours),
            url="/" + office.url_path.split("/", 2)[2],
        )
        for office in offices
    ]
    if found or details is None:
        return found
    name = details.display_name or details.site.site_name or ""
    return [
        Location(
            name=name,
            street_address=details.street_address,
            locality=details.locality,
            region=details.region,
            postal_code=details.postal_code,
            country=details.country,
            phone=details.phone,
            hours=hours_rows(details.opening_hours),
        )
    ]


class LocationsBlock(LoadingBlock, blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Visit us")
    text = blocks.TextBlock(required=False, help_text="e.g. parking or public transport.")

    def load(self, value, context: BlockContext) -> dict:
        return {
            "heading": value["heading"],
            "text": value["text"],
            "locations": practice_locations(context),
        }

    class Meta:
        icon = "site"
        label = "Locations"
        template = "practices/blocks/locations.html"
