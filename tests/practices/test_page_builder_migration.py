"""Migrations 0009-0011 move every home page's hero fields and rich text, and every
standard page's rich text, into page-builder blocks, losing nothing: the live rows
and the revisions (an editor's unpublished draft stays the draft). Run on real rows:
the current content is migrated back to the old schema (0010's reverse), edited
there as the old admin would, then migrated forward again."""

from __future__ import annotations

import pytest
from django.utils import timezone

from demo_requests.models import DemoRequestPage
from practices.models import PracticeHomePage, StandardPage
from tests.factories import PracticeFactory
from tests.migrations import latest_leaf, migrate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
BEFORE = [("practices", "0008_remove_team_location_text")]
AFTER = [("practices", "0011_page_builder_drop_legacy")]


def _write_old_content(apps, home_pk: int, contact_pk: int, privacy_pk: int) -> None:
    old_home = apps.get_model("practices", "PracticeHomePage")
    old_home.objects.filter(pk=home_pk).update(
        hero_heading="Old heading", intro="Old intro", call_to_action_id=contact_pk,
        call_to_action_label="Book now", body="<p>Old <b>body</b></p>",
    )  # fmt: skip
    apps.get_model("practices", "StandardPage").objects.filter(pk=privacy_pk).update(
        body="<p>Old privacy</p>"
    )
    # An unpublished draft, saved by the old admin after the live version.
    revision_model = apps.get_model("wagtailcore", "Revision")
    live = revision_model.objects.filter(object_id=str(home_pk)).order_by("-created_at").first()
    content = {**live.content, "hero_heading": "Draft heading", "body": "<p>Draft body</p>"}
    draft = revision_model.objects.create(
        content_type_id=live.content_type_id, base_content_type_id=live.base_content_type_id,
        object_id=str(home_pk), content=content, created_at=timezone.now(),
    )  # fmt: skip
    apps.get_model("wagtailcore", "Page").objects.filter(pk=home_pk).update(
        latest_revision_id=draft.pk, has_unpublished_changes=True
    )


def test_old_bodies_become_blocks_and_back(client) -> None:
    practice = PracticeFactory(
        name="Migration Clinic", slug="mig", hostname="mig.example.test", template="dentistry"
    )
    home = practice.site.root_page
    contact = DemoRequestPage.objects.child_of(home).get()
    privacy = StandardPage.objects.child_of(home).get(slug="privacy")
    try:
        old = migrate(BEFORE)
        # The reverse put the blocks back into the old fields.
        row = old.get_model("practices", "PracticeHomePage").objects.get(pk=home.pk)
        assert row.hero_heading == "Gentle dentistry for the whole family"
        assert row.intro == "Cleanings, fillings and smile makeovers in a calm, modern office."
        assert row.call_to_action_id == contact.pk
        old_privacy = old.get_model("practices", "StandardPage").objects.get(pk=privacy.pk)
        assert "We never sell them" in old_privacy.body
        _write_old_content(old, home.pk, contact.pk, privacy.pk)
        migrate(AFTER)
    finally:
        migrate(latest_leaf("practices"))

    home = PracticeHomePage.objects.get(pk=home.pk)
    assert [child.block_type for child in home.body] == [
        "hero", "rich_text", "testimonials", "request_form",
    ]  # fmt: skip
    hero = home.body[0].value
    assert (hero["heading"], hero["text"]) == ("Old heading", "Old intro")
    assert [(a["label"], a["page"].pk) for a in hero["actions"]] == [("Book now", contact.pk)]
    assert home.body[1].value.source == "<p>Old <b>body</b></p>"
    privacy = StandardPage.objects.get(pk=privacy.pk)
    assert [child.value.source for child in privacy.body] == ["<p>Old privacy</p>"]
    # The draft is still the draft, converted too.
    assert home.has_unpublished_changes
    draft = home.get_latest_revision_as_object()
    assert draft.body[0].value["heading"] == "Draft heading"
    assert draft.body[1].value.source == "<p>Draft body</p>"
    # And the public page shows the live content.
    page = client.get("/", HTTP_HOST="mig.example.test").content.decode()
    assert ">Old heading</h1>" in page
    assert "Old <b>body</b>" in page
    assert "Draft heading" not in page
