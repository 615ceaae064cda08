"""Migrations 0012-0013 move every service page's body and FAQ into the shared block
library's service blocks, losing nothing: the live rows and the revisions (an editor's
unpublished draft stays the draft). Run on real rows: today's content is migrated back
to the old schema (0012's reverse), edited there as the old admin would, migrated
forward, and back once more, which gives the old content back exactly."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.utils import timezone

from practices.models import ServicePage
from tests.factories import ImageFactory, PracticeFactory
from tests.migrations import latest_leaf, migrate
from tests.practices.places_fixtures import add_service, rich_text_block

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
BEFORE = [("practices", "0011_page_builder_drop_legacy")]
AFTER = [("practices", "0013_service_page_drop_faq")]
HOST = "mig.example.test"


def raw(block_type: str, value) -> dict:
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def figure(image_pk: int, alt: str, caption: str) -> dict:
    image = {"image": image_pk, "alt_text": alt, "decorative": False}
    return raw("image", {"image": image, "caption": caption})


def stream(value) -> list[dict]:
    """Stream data as stored: a StreamValue on a row, JSON (or a list) in a revision."""
    if hasattr(value, "raw_data"):
        return list(value.raw_data)
    return json.loads(value) if isinstance(value, str) else list(value or [])


def old_content(image_pk: int) -> dict:
    """A service as the old admin stored it: "text" and "image" blocks, an FAQ field."""
    return {
        "body": [raw("text", "<p>Old <b>body</b></p>"), figure(image_pk, "A nurse", "Our nurse")],
        "faq": [raw("faq", {"question": "Does it hurt?", "answer": "<p>A pinch.</p>"}),
                raw("faq", {"question": "How long?", "answer": "<p>Minutes.</p>"})],
    }  # fmt: skip


def write_old(apps, service_pk: int, live: dict, draft: dict) -> None:
    apps.get_model("practices", "ServicePage").objects.filter(pk=service_pk).update(**live)
    revision_model = apps.get_model("wagtailcore", "Revision")
    revisions = revision_model.objects.filter(object_id=str(service_pk))
    last = revisions.order_by("-created_at").first()
    content = {**last.content, "body": json.dumps(draft["body"]), "faq": json.dumps(draft["faq"])}
    made = revision_model.objects.create(
        content_type_id=last.content_type_id, base_content_type_id=last.base_content_type_id,
        object_id=str(service_pk), content=content, created_at=timezone.now(),
    )  # fmt: skip
    apps.get_model("wagtailcore", "Page").objects.filter(pk=service_pk).update(
        latest_revision_id=made.pk, has_unpublished_changes=True
    )


def old_rows(apps, service_pk: int) -> tuple[dict, dict]:
    row = apps.get_model("practices", "ServicePage").objects.get(pk=service_pk)
    revision = (
        apps.get_model("wagtailcore", "Revision")
        .objects.filter(object_id=str(service_pk))
        .order_by("-created_at")
        .first()
    )
    live = {"body": stream(row.body), "faq": stream(row.faq)}
    draft = {"body": stream(revision.content["body"]), "faq": stream(revision.content["faq"])}
    return live, draft


def test_service_bodies_and_faqs_become_library_blocks_and_back(client) -> None:
    practice = PracticeFactory(name="Migration Clinic", slug="mig", hostname=HOST)
    image = ImageFactory(collection=practice.collection, title="nurse.jpg")
    call = {"label": "Call", "page": None, "url": "tel:+15125550100"}
    band = raw("cta_band", {"heading": "Book", "text": "", "action": call, "show_phone": False})
    service = add_service(
        practice, "Flu shots",
        body=[rich_text_block("<p>Today</p>"), figure(image.pk, "A nurse", ""), band],
        faq=[("Does it hurt?", "<p>A quick pinch.</p>")],
    )  # fmt: skip
    today_faq = next(child for child in service.body if child.block_type == "faq")
    live = old_content(image.pk)
    draft = old_content(image.pk)
    draft["faq"][0]["value"]["question"] = "Draft question?"
    try:
        old = migrate(BEFORE)
        # The reverse put today's blocks into the old fields; the call-to-action band
        # had no place there.
        row, _ = old_rows(old, service.pk)
        assert [block["type"] for block in row["body"]] == ["text", "image"]
        assert row["body"][0]["value"] == "<p>Today</p>"
        assert row["body"][1]["value"]["image"]["alt_text"] == "A nurse"
        assert row["faq"] == [{"type": "faq", "id": today_faq.value["questions"].bound_blocks[0].id,
                               "value": {"question": "Does it hurt?",
                                         "answer": "<p>A quick pinch.</p>"}}]  # fmt: skip
        write_old(old, service.pk, live, draft)
        migrate(AFTER)
        page = ServicePage.objects.get(pk=service.pk)
        assert [child.block_type for child in page.body] == ["rich_text", "image", "faq"]
        assert page.body[0].value.source == "<p>Old <b>body</b></p>"
        assert page.body[0].id == live["body"][0]["id"]
        assert page.body[1].value["image"].contextual_alt_text == "A nurse"
        assert page.body[1].value["caption"] == "Our nurse"
        faq = page.body[2].value
        assert faq["heading"] == "Frequently asked questions"
        assert [(q["question"], q["answer"].source) for q in faq["questions"]] == [
            ("Does it hurt?", "<p>A pinch.</p>"), ("How long?", "<p>Minutes.</p>"),
        ]  # fmt: skip
        assert [q.id for q in faq["questions"].bound_blocks] == [item["id"] for item in live["faq"]]
        # The draft is still the draft, converted too; no revision keeps the old form.
        assert page.has_unpublished_changes
        latest = page.get_latest_revision_as_object()
        assert latest.body[2].value["questions"][0]["question"] == "Draft question?"
        for revision in page.revisions.all():
            assert "faq" not in revision.content
            assert "text" not in {block["type"] for block in stream(revision.content["body"])}
        # The public page shows the live content, its FAQ described as an FAQPage.
        html = client.get("/services/flu-shots/", HTTP_HOST=HOST).content.decode()
        assert "Old <b>body</b>" in html
        assert "<summary>How long?</summary>" in html
        assert "Draft question?" not in html
        scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        faq_page = next(d for d in map(json.loads, scripts) if d["@type"] == "FAQPage")
        assert [q["name"] for q in faq_page["mainEntity"]] == ["Does it hurt?", "How long?"]

        # Back once more: exactly the old content, live and draft.
        old = migrate(BEFORE)
        assert old_rows(old, service.pk) == (live, draft)
    finally:
        migrate(latest_leaf("practices"))
