"""Page builder, step 2 of 3: every home page's hero fields and rich text, and every
standard page's rich text, become page-builder blocks, losing nothing.

A home page becomes: a hero (its heading, or the title the old template showed in its
place; its intro; its call to action as the hero's button), its rich text (if any),
then the testimonials and the request form the old fixed layout always showed. A
standard page becomes one rich-text block. The live row and every revision are
converted (a revision stores the page's fields as JSON): an editor's unpublished
draft stays the draft, and an older revision can still be compared or restored.

Reverse (for a rollback): the hero goes back into the hero fields, the rich-text
blocks (joined) back into the rich-text body; blocks that did not exist before the
page builder have no place in the old schema and are dropped.
"""

import json
import uuid

from django.db import migrations

HOME_OLD_FIELDS = ("hero_heading", "intro", "call_to_action", "call_to_action_label")
DEFAULT_LABEL = "Request an appointment"


def _block(block_type, value):
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def home_blocks(title, heading, intro, cta_id, cta_label, body_html):
    actions = []
    if cta_id:
        item = {"label": cta_label or DEFAULT_LABEL, "page": cta_id, "url": ""}
        actions.append({"type": "item", "value": item, "id": str(uuid.uuid4())})
    hero = {
        "heading": heading or title,
        "text": intro or "",
        "image": None,
        "video": [],
        "actions": actions,
    }
    blocks = [_block("hero", hero)]
    if body_html:
        blocks.append(_block("rich_text", body_html))
    blocks.append(_block("testimonials", {"heading": "What our patients say", "count": 3}))
    blocks.append(_block("request_form", {"heading": "", "text": ""}))
    return blocks


def standard_blocks(body_html):
    return [_block("rich_text", body_html)] if body_html else []


def _is_legacy_revision(content):
    body = content.get("body")
    if not isinstance(body, str) or not body:
        return "hero_heading" in content or body == ""
    try:
        return not isinstance(json.loads(body), list)
    except ValueError:
        return True


def _convert_revision(content, is_home):
    if is_home:
        blocks = home_blocks(
            content.get("title", ""),
            content.get("hero_heading", ""),
            content.get("intro", ""),
            content.get("call_to_action"),
            content.get("call_to_action_label", ""),
            content.get("body", ""),
        )
        for name in HOME_OLD_FIELDS:
            content.pop(name, None)
    else:
        blocks = standard_blocks(content.get("body", ""))
    content["body"] = json.dumps(blocks)
    return content


def _revisions(apps, model_name, page_id):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    content_type = ContentType.objects.filter(app_label="practices", model=model_name).first()
    if content_type is None:
        return Revision.objects.none()
    return Revision.objects.filter(content_type=content_type, object_id=str(page_id))


def forward(apps, schema_editor):
    HomePage = apps.get_model("practices", "PracticeHomePage")
    StandardPage = apps.get_model("practices", "StandardPage")
    for home in HomePage.objects.all():
        home.body = home_blocks(
            home.title, home.hero_heading, home.intro, home.call_to_action_id,
            home.call_to_action_label, home.legacy_body,
        )  # fmt: skip
        home.save(update_fields=["body"])
        for revision in _revisions(apps, "practicehomepage", home.pk):
            if _is_legacy_revision(revision.content):
                revision.content = _convert_revision(revision.content, is_home=True)
                revision.save(update_fields=["content"])
    for page in StandardPage.objects.all():
        page.body = standard_blocks(page.legacy_body)
        page.save(update_fields=["body"])
        for revision in _revisions(apps, "standardpage", page.pk):
            if _is_legacy_revision(revision.content):
                revision.content = _convert_revision(revision.content, is_home=False)
                revision.save(update_fields=["content"])


def _parse_blocks(raw):
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return []
    return raw if isinstance(raw, list) else []


def _old_fields(blocks, title):
    """(hero_heading, intro, call_to_action id, label, rich text) from blocks."""
    heading, intro, cta_id, label = "", "", None, DEFAULT_LABEL
    rich = []
    for block in blocks:
        value = block.get("value")
        if block.get("type") == "hero" and not heading:
            heading, intro = value.get("heading", ""), value.get("text", "")
            actions = [action.get("value", action) for action in value.get("actions", [])]
            first = next((action for action in actions if action.get("page")), None)
            if first is not None:
                cta_id, label = first["page"], first.get("label") or DEFAULT_LABEL
        elif block.get("type") == "rich_text":
            rich.append(value or "")
    return ("" if heading == title else heading), intro, cta_id, label, "".join(rich)


def backward(apps, schema_editor):
    HomePage = apps.get_model("practices", "PracticeHomePage")
    StandardPage = apps.get_model("practices", "StandardPage")
    Page = apps.get_model("wagtailcore", "Page")
    page_ids = set(Page.objects.values_list("pk", flat=True))
    for home in HomePage.objects.all():
        heading, intro, cta_id, label, rich = _old_fields(home.body.raw_data, home.title)
        home.hero_heading, home.intro, home.call_to_action_label = heading, intro, label
        home.call_to_action_id = cta_id if cta_id in page_ids else None
        home.legacy_body = rich
        home.save()
        for revision in _revisions(apps, "practicehomepage", home.pk):
            content = revision.content
            blocks = _parse_blocks(content.get("body"))
            heading, intro, cta_id, label, rich = _old_fields(blocks, content.get("title"))
            content.update(
                hero_heading=heading, intro=intro, call_to_action=cta_id,
                call_to_action_label=label, body=rich,
            )  # fmt: skip
            revision.save(update_fields=["content"])
    for page in StandardPage.objects.all():
        page.legacy_body = _old_fields(page.body.raw_data, page.title)[4]
        page.save(update_fields=["legacy_body"])
        for revision in _revisions(apps, "standardpage", page.pk):
            blocks = _parse_blocks(revision.content.get("body"))
            revision.content["body"] = _old_fields(blocks, "")[4]
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0009_page_builder_body"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
