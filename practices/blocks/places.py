"""Where the practice is: address, opening hours, a tap-to-call number and a
directions link. No map is embedded: a third-party map needs its script or iframe
(tracking, a wider CSP) and a slower page; a directions link opens the visitor's own
maps app instead."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

import phonenumbers
from wagtail import blocks

from practices.blocks.base import BlockContext, LoadingBlock

MAPS_DIRECTIONS_URL = "https://www.google.com/maps/dir/?"
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

    @property
    def address_lines(self) -> list[str]:
        city = ", ".join(part for part in (self.locality, self.region) if part)
        city = f"{city} {self.postal_code}".strip()
        return [line for line in (self.street_address, city) if line]

    @property
    def tel_href(self) -> str:
        """tel: in E.164 (a number with spaces or dots does not dial on every phone)."""
        try:
            number = phonenumbers.parse(self.phone, self.country or "US")
        except phonenumbers.NumberParseException:
            digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
            return f"tel:{digits}" if digits else ""
        return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    @property
    def directions_url(self) -> str:
        if not self.address_lines:
            return ""
        destination = ", ".join([self.name, *self.address_lines])
        return MAPS_DIRECTIONS_URL + urlencode({"api": "1", "destination": destination})


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
