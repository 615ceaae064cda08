"""Demo practices: three branded practice sites plus the agency's marketing site
(which is also its content library)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from practices.models import PATIENTS, BrandSettings, Practice, PracticeHomePage, PracticeSettings
from practices.services.provisioning import PracticeSpec, provision_practice


@dataclass(frozen=True)
class DemoPractice:
    spec: PracticeSpec
    phone: str
    street: str
    city: str
    region: str
    postal_code: str
    initials: str


DEMO_PRACTICES = [
    DemoPractice(
        PracticeSpec(
            name="Brightline Practice Growth",
            slug="agency",
            hostname="localhost",
            template="agency-marketing",
        ),
        "+1 512 555 0100", "500 Congress Ave", "Austin", "TX", "78701", "AG",
    ),
    DemoPractice(
        PracticeSpec(
            name="Riverside Family Medicine",
            slug="riverside",
            hostname="riverside.localhost",
            template="family-medicine",
            aliases=["www.riverside.localhost"],
        ),
        "+1 512 555 0142", "1200 River Rd", "Austin", "TX", "78704", "RF",
    ),
    DemoPractice(
        PracticeSpec(
            name="Summit Dermatology",
            slug="summit",
            hostname="summit.localhost",
            template="dermatology",
            timezone="America/Denver",
        ),
        "+1 303 555 0177", "88 Peak St", "Denver", "CO", "80202", "SD",
    ),
    DemoPractice(
        PracticeSpec(
            name="Lakeside Dental",
            slug="lakeside",
            hostname="lakeside.localhost",
            template="dentistry",
            timezone="America/Chicago",
        ),
        "+1 312 555 0199", "45 Shore Dr", "Chicago", "IL", "60601", "LD",
    ),
]  # fmt: skip


def _logo_file(initials: str, colour: str) -> ImageFile:
    """A simple generated logo, so the demo ships no binary assets."""
    image = PILImage.new("RGB", (240, 240), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 220, 220), outline="white", width=12)
    draw.text((120, 120), initials, fill="white", anchor="mm", font_size=84)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return ImageFile(buffer, name=f"{initials.lower()}-logo.png")


def _remove_wagtail_starter_site() -> None:
    """Wagtail's migrations create a 'localhost' site with a welcome page; the demo
    gives that hostname to the agency library instead."""
    starter = Site.objects.filter(hostname="localhost", practice__isnull=True).first()
    if starter is not None:
        root = starter.root_page
        starter.delete()
        if root.depth == 2 and not Site.objects.filter(root_page=root).exists():
            Page.objects.get(pk=root.pk).delete()


@transaction.atomic
def _brand(practice: Practice, demo: DemoPractice) -> None:
    brand = BrandSettings.for_site(practice.site)
    if brand.logo_id is None:
        brand.logo = get_image_model().objects.create(
            title=f"{practice.name} logo",
            file=_logo_file(demo.initials, brand.primary_colour),
            collection=practice.collection,
        )
        brand.save()
    details = PracticeSettings.for_site(practice.site)
    details.phone = demo.phone
    details.email = f"hello@{practice.site.hostname}"
    details.street_address = demo.street
    details.locality = demo.city
    details.region = demo.region
    details.postal_code = demo.postal_code
    details.facebook_url = f"https://www.facebook.com/{practice.slug}demo"
    details.instagram_url = f"https://www.instagram.com/{practice.slug}demo"
    if practice.audience != PATIENTS:
        details.save()  # the agency's marketing site shows no opening hours
        return
    details.opening_hours = [
        (
            "hours",
            {
                "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
                "opens": datetime.time(8),
                "closes": datetime.time(17, 30),
            },
        ),
        ("hours", {"days": ["Saturday"], "opens": datetime.time(9), "closes": datetime.time(12)}),
    ]
    details.save()


def _hero_file(slug: str, primary: str, secondary: str) -> ImageFile:
    """A generated hero picture in the practice's colours (the demo downloads nothing):
    a soft diagonal gradient with overlapping rounded shapes."""
    width, height = 1600, 1200
    image = PILImage.new("RGB", (width, height), primary)
    draw = ImageDraw.Draw(image)
    start, end = _rgb(primary), _rgb(secondary)
    for y in range(height):
        mix = y / height
        colour = tuple(round(a + (b - a) * mix) for a, b in zip(start, end, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    for x, y, radius, alpha in ((1150, 350, 420, 70), (380, 900, 360, 50), (900, 1000, 220, 90)):
        overlay = PILImage.new("RGBA", (width, height), (0, 0, 0, 0))
        ImageDraw.Draw(overlay).rounded_rectangle(
            (x - radius, y - radius, x + radius, y + radius), radius=radius // 3,
            fill=(255, 255, 255, alpha),
        )  # fmt: skip
        image.paste(overlay, (0, 0), overlay)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return ImageFile(buffer, name=f"{slug}-hero.jpg")


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _hero_image(practice: Practice) -> None:
    """Give the home page's hero a picture, once (re-running the demo keeps edits)."""
    home = PracticeHomePage.objects.get(pk=practice.site.root_page_id)
    draft = home.get_latest_revision_as_object()
    raw = list(draft.body.raw_data)
    hero = next((block for block in raw if block["type"] == "hero"), None)
    if hero is None or hero["value"].get("image"):
        return
    brand = BrandSettings.for_site(practice.site)
    picture = get_image_model().objects.create(
        title=f"{practice.name} waiting room",
        description=f"The welcoming waiting room at {practice.name}",
        file=_hero_file(practice.slug, brand.primary_colour, brand.secondary_colour),
        collection=practice.collection,
    )
    hero["value"] = {**hero["value"], "image": picture.pk}
    draft.body = raw
    draft.save_revision(log_action=False).publish(log_action=False)


def demo_password() -> str:
    from agency_platform.core.demo import admin_password_file

    return admin_password_file().read_text().strip()


def _ensure_editor(practice: Practice) -> None:
    user_model = get_user_model()
    username = f"editor@{practice.slug}.localhost"
    user, created = user_model.objects.get_or_create(
        username=username, defaults={"email": username}
    )
    if created or not user.check_password(demo_password()):
        user.set_password(demo_password())
        user.save()
    user.groups.add(practice.editors_group)


def load(write: Callable[[str], None]) -> None:
    _remove_wagtail_starter_site()
    for demo in DEMO_PRACTICES:
        spec = PracticeSpec(**{**demo.spec.__dict__, "port": settings.PRACTICE_SITE_PORT})
        result = provision_practice(spec)
        _brand(result.practice, demo)
        if result.practice.slug != "agency":
            _hero_image(result.practice)
            _ensure_editor(result.practice)
        write(f"Practice {result.practice.slug}: {'created' if result.created else 'ready'}")
