"""A home page with every page-builder block, built as an editor's revision is."""

from __future__ import annotations

import datetime
import uuid

from demo_requests.models import DemoRequestPage
from practices.models import PracticeSettings, StandardPage, Testimonial, TestimonialStatus
from practices.team_selectors import team_index_for
from tests.factories import ImageFactory
from tests.practices.team_fixtures import add_member

EVERY_BLOCK = [
    "hero", "rich_text", "image_with_text", "services", "team", "latest_posts", "testimonials",
    "faq", "locations", "insurance", "cta_band", "request_form", "video",
]  # fmt: skip


def block(block_type: str, value) -> dict:
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def item(value) -> dict:
    return {"type": "item", "value": value, "id": str(uuid.uuid4())}


def practice_details(practice) -> None:
    details = PracticeSettings.for_site(practice.site)
    details.phone = "(512) 555-0142"
    details.street_address = "1200 River Rd"
    details.locality, details.region, details.postal_code = "Austin", "TX", "78704"
    details.opening_hours = [
        ("hours", {"days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
                   "opens": datetime.time(8), "closes": datetime.time(17, 30)}),
    ]  # fmt: skip
    details.save()


def every_block(practice, *, services=None, hero_image=None, side_image=None) -> list[dict]:
    """Raw StreamField data with one block of each type, pointing at this practice."""
    home = practice.site.root_page.specific
    contact = DemoRequestPage.objects.child_of(home).get()
    privacy = StandardPage.objects.child_of(home).get(slug="privacy")
    team = team_index_for(practice)
    hero_image = hero_image or ImageFactory(
        collection=practice.collection, description="The bright waiting room"
    )
    side_image = side_image or ImageFactory(
        collection=practice.collection, description="A nurse with a patient"
    )
    services = services if services is not None else [privacy]
    return [
        block("hero", {"heading": "Care close to home", "text": "Same-week appointments.",
                       "image": hero_image.pk, "video": [],
                       "actions": [item({"label": "Book a visit", "page": contact.pk, "url": ""}),
                                   item({"label": "Meet us", "page": team.pk, "url": ""})]}),
        block("rich_text",
              f'<p>Read our <a linktype="page" id="{privacy.pk}">privacy</a> page.</p>'),
        block("image_with_text", {"image": side_image.pk, "image_side": "right",
                                  "heading": "Unhurried visits", "text": "<p>Thirty minutes.</p>",
                                  "action": []}),
        block("services", {"heading": "What we treat", "intro": "",
                           "services": [item(page.pk) for page in services]}),
        block("team", {"heading": "Your clinicians", "intro": "", "members": [], "count": 3}),
        block("latest_posts", {"heading": "From the blog", "count": 3, "tag": ""}),
        block("testimonials", {"heading": "Patients say", "count": 3}),
        block("faq", {"heading": "Questions", "questions": [
            item({"question": "Do you take walk-ins?", "answer": "<p>Yes, until noon.</p>"})]}),
        block("locations", {"heading": "Find us", "text": "Free parking behind the building."}),
        block("insurance", {"heading": "Plans we take", "plans": [item("Aetna"), item("Cigna")],
                            "note": ""}),
        block("cta_band", {"heading": "Ready when you are", "text": "",
                           "action": {"label": "Request a visit", "page": contact.pk, "url": ""},
                           "show_phone": True}),
        block("request_form", {"heading": "Ask for an appointment", "text": ""}),
        block("video", {"heading": "A tour", "text": "", "video": [
            block("video_embed", {"title": "Clinic tour",
                                  "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"})]}),
    ]  # fmt: skip


def every_service_block(practice) -> list[dict]:
    """Raw data with one block of each type a service page's body offers
    (practices.blocks.library.SERVICE_BLOCKS), in that order."""
    from practices.blocks.library import SERVICE_BLOCKS

    image = ImageFactory(collection=practice.collection, description="The treatment room")
    use = {"image": image.pk, "alt_text": "A nurse gives a flu shot", "decorative": False}
    found = {raw["type"]: raw for raw in every_block(practice)}
    found["image"] = block("image", {"image": use, "caption": "Quick and gentle."})
    return [found[name] for name, _ in SERVICE_BLOCKS]


def publish_body(page, body: list[dict]) -> None:
    draft = page.get_latest_revision_as_object()
    draft.body = body
    draft.save_revision().publish()


def add_people(practice, members: int = 3, testimonials: int = 3) -> None:
    for number in range(members):
        add_member(practice, f"Dr. Member {number}")
    for number in range(testimonials):
        Testimonial.objects.create(
            practice=practice, quote=f"Kind words {number}.", display_name=f"Patient {number}",
            source="survey", consent_recorded=True, status=TestimonialStatus.APPROVED,
        )  # fmt: skip
