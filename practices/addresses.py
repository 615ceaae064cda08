"""Addresses, tap-to-call links and directions links, as every place that shows an
office writes them: location pages, the locations block, the hero's call button and
the location cards.

No map is embedded anywhere: a third-party map needs its script or iframe (tracking,
a wider CSP, a slower page). A plain directions link built from the address opens the
visitor's own maps app, and nothing reaches a third party until they follow it.
"""

from __future__ import annotations

from urllib.parse import urlencode

import phonenumbers

MAPS_DIRECTIONS_URL = "https://www.google.com/maps/dir/?"


def address_lines(street_address: str, locality: str, region: str, postal_code: str) -> list[str]:
    """["1200 River Rd", "Austin, TX 78704"]: the street, then city, region and code."""
    city = ", ".join(part for part in (locality, region) if part)
    city = f"{city} {postal_code}".strip()
    return [line for line in (street_address, city) if line]


def tel_href(phone: str, country: str = "US") -> str:
    """'tel:+15125550142' for '(512) 555-0142': E.164, since a number written with
    spaces, dots or a national prefix does not dial on every phone. A number the
    library cannot parse keeps its digits (and a leading +)."""
    phone = (phone or "").strip()
    try:
        number = phonenumbers.parse(phone, country or "US")
    except phonenumbers.NumberParseException:
        digits = "".join(ch for ch in phone if ch.isdigit())
        return f"tel:{'+' if phone.startswith('+') else ''}{digits}" if digits else ""
    return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def directions_url(lines: list[str]) -> str:
    """A maps directions link to the address (not the office's name: "North Clinic"
    alone may match another business)."""
    if not lines:
        return ""
    return MAPS_DIRECTIONS_URL + urlencode({"api": "1", "destination": ", ".join(lines)})
