"""Service pages, step 1 of 2: a service's body and its FAQ become blocks of the
shared block library's service subset (practices.blocks.library.SERVICE_BLOCKS),
losing nothing.

The body's rich text blocks ("text") become the library's rich text ("rich_text": the
same HTML; its editor has every feature the old one had); captioned images ("image")
are the library's captioned image, value unchanged. The FAQ field's questions become
one FAQ block at the end of the body, where the old template showed them, under the
heading it showed; each question keeps its text, its answer and its id. The live row
and every revision are converted (a revision stores the page's fields as JSON): an
editor's unpublished draft stays the draft, and an older revision can still be
compared or restored. Between this migration and 0013 (which drops the FAQ field) the
body accepts "text" as well as the library's blocks, so that each direction can store
its own (Wagtail drops block types a StreamField does not know when it reads them).

Reverse (for a rollback): rich text blocks go back to "text", the questions of every
FAQ block, in order, back into the FAQ field; what the old schema has no place for
(image with text, video, testimonials and call-to-action blocks, FAQ headings) is
dropped.
"""

import json
import uuid

import wagtail.fields
from django.db import migrations

FAQ_HEADING = "Frequently asked questions"


def _new_id():
    return str(uuid.uuid4())


def _load(raw):
    """(stream data as a list, whether it was stored as a JSON string)."""
    if isinstance(raw, str):
        try:
            data = json.loads(raw) if raw else []
        except ValueError:
            data = []
        return (data if isinstance(data, list) else []), True
    return list(raw or []), False


def _dump(blocks, as_string):
    return json.dumps(blocks) if as_string else blocks


def forward_blocks(body, faq):
    """The library's blocks for an old body and an old FAQ stream."""
    blocks = [
        {**block, "type": "rich_text"} if block.get("type") == "text" else block
        for block in body
    ]
    questions = [
        {"type": "item", "value": item.get("value") or {}, "id": item.get("id") or _new_id()}
        for item in faq
    ]
    if questions:
        value = {"heading": FAQ_HEADING, "questions": questions}
        blocks.append({"type": "faq", "value": value, "id": _new_id()})
    return blocks


def _list_items(items):
    """A ListBlock's raw items: {"type": "item", "value", "id"} (or a bare value)."""
    for item in items or []:
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            yield item["value"], item.get("id") or _new_id()
        else:
            yield item, _new_id()


def backward_blocks(body):
    """(old body, old FAQ stream) for the library's blocks."""
    old_body, faq = [], []
    for block in body:
        kind = block.get("type")
        if kind == "rich_text":
            old_body.append({**block, "type": "text"})
        elif kind in ("text", "image"):
            old_body.append(block)
        elif kind == "faq":
            questions = (block.get("value") or {}).get("questions")
            for value, item_id in _list_items(questions):
                faq.append({"type": "faq", "value": value, "id": item_id})
    return old_body, faq


def _revisions(apps, page_id):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    content_type = ContentType.objects.filter(app_label="practices", model="servicepage").first()
    if content_type is None:
        return Revision.objects.none()
    return Revision.objects.filter(content_type=content_type, object_id=str(page_id))


def forward(apps, schema_editor):
    ServicePage = apps.get_model("practices", "ServicePage")
    for page in ServicePage.objects.all():
        page.body = forward_blocks(list(page.body.raw_data), list(page.faq.raw_data))
        page.faq = []
        page.save(update_fields=["body", "faq"])
        for revision in _revisions(apps, page.pk):
            content = revision.content
            body, as_string = _load(content.get("body"))
            faq, _ = _load(content.pop("faq", None))
            content["body"] = _dump(forward_blocks(body, faq), as_string)
            revision.save(update_fields=["content"])


def backward(apps, schema_editor):
    ServicePage = apps.get_model("practices", "ServicePage")
    for page in ServicePage.objects.all():
        page.body, page.faq = backward_blocks(list(page.body.raw_data))
        page.save(update_fields=["body", "faq"])
        for revision in _revisions(apps, page.pk):
            content = revision.content
            if "faq" in content:
                continue  # never converted: already in the old form
            blocks, as_string = _load(content.get("body"))
            body, faq = backward_blocks(blocks)
            content["body"], content["faq"] = _dump(body, as_string), _dump(faq, as_string)
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0011_page_builder_drop_legacy"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # The library's blocks and the old "text" (removed by 0013).
        migrations.AlterField(
            model_name='servicepage',
            name='body',
            field=wagtail.fields.StreamField([('rich_text', 0), ('image', 3), ('image_with_text', 13), ('video', 25), ('faq', 30), ('testimonials', 33), ('cta_band', 35), ('text', 36)], blank=True, block_lookup={0: ('wagtail.blocks.RichTextBlock', (), {'features': ['h2', 'h3', 'bold', 'italic', 'ol', 'ul', 'link', 'document-link']}), 1: ('wagtail.images.blocks.ImageBlock', [], {}), 2: ('wagtail.blocks.CharBlock', (), {'max_length': 200, 'required': False}), 3: ('wagtail.blocks.StructBlock', [[('image', 1), ('caption', 2)]], {}), 4: ('wagtail.images.blocks.ImageChooserBlock', (), {'help_text': 'Its description is the alt text.'}), 5: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('left', 'Image on the left'), ('right', 'Image on the right')]}), 6: ('wagtail.blocks.CharBlock', (), {'max_length': 120}), 7: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ul', 'ol']}), 8: ('wagtail.blocks.CharBlock', (), {'max_length': 60}), 9: ('wagtail.blocks.PageChooserBlock', (), {'required': False}), 10: ('wagtail.blocks.CharBlock', (), {'help_text': 'Only if no page is chosen, e.g. tel:+15125550100', 'max_length': 300, 'required': False}), 11: ('wagtail.blocks.StructBlock', [[('label', 8), ('page', 9), ('url', 10)]], {}), 12: ('wagtail.blocks.ListBlock', (11,), {'label': 'Button', 'max_num': 1, 'min_num': 0}), 13: ('wagtail.blocks.StructBlock', [[('image', 4), ('image_side', 5), ('heading', 6), ('text', 7), ('action', 12)]], {}), 14: ('wagtail.blocks.CharBlock', (), {'max_length': 120, 'required': False}), 15: ('wagtail.blocks.TextBlock', (), {'required': False}), 16: ('wagtail.blocks.CharBlock', (), {'help_text': 'Names the video for screen readers.', 'max_length': 120}), 17: ('wagtail.documents.blocks.DocumentChooserBlock', (), {'help_text': 'MP4 or WebM.'}), 18: ('wagtail.images.blocks.ImageChooserBlock', (), {'help_text': 'Shown before the video plays.'}), 19: ('wagtail.documents.blocks.DocumentChooserBlock', (), {'help_text': 'WebVTT (.vtt) captions.', 'required': False}), 20: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('en', 'English'), ('es', 'Spanish'), ('zh', 'Chinese'), ('vi', 'Vietnamese'), ('tl', 'Tagalog'), ('ar', 'Arabic'), ('fr', 'French'), ('ko', 'Korean'), ('ru', 'Russian'), ('de', 'German'), ('ht', 'Haitian Creole'), ('hi', 'Hindi'), ('pt', 'Portuguese'), ('it', 'Italian'), ('pl', 'Polish'), ('ja', 'Japanese'), ('ur', 'Urdu'), ('fa', 'Persian'), ('bn', 'Bengali'), ('pa', 'Punjabi'), ('gu', 'Gujarati'), ('so', 'Somali'), ('am', 'Amharic'), ('uk', 'Ukrainian'), ('he', 'Hebrew'), ('el', 'Greek'), ('tr', 'Turkish'), ('sgn-US', 'American Sign Language')]}), 21: ('wagtail.blocks.StructBlock', [[('title', 16), ('video', 17), ('poster', 18), ('captions', 19), ('captions_language', 20)]], {}), 22: ('wagtail.embeds.blocks.EmbedBlock', (), {'help_text': 'A YouTube or Vimeo link.'}), 23: ('wagtail.blocks.StructBlock', [[('title', 16), ('url', 22)]], {}), 24: ('wagtail.blocks.StreamBlock', [[('video_file', 21), ('video_embed', 23)]], {'max_num': 1, 'min_num': 1}), 25: ('wagtail.blocks.StructBlock', [[('heading', 14), ('text', 15), ('video', 24)]], {}), 26: ('wagtail.blocks.CharBlock', (), {'default': 'Frequently asked questions', 'max_length': 120}), 27: ('wagtail.blocks.CharBlock', (), {'max_length': 200}), 28: ('wagtail.blocks.StructBlock', [[('question', 27), ('answer', 7)]], {}), 29: ('wagtail.blocks.ListBlock', (28,), {'min_num': 1}), 30: ('wagtail.blocks.StructBlock', [[('heading', 26), ('questions', 29)]], {}), 31: ('wagtail.blocks.CharBlock', (), {'default': 'What our patients say', 'max_length': 120}), 32: ('wagtail.blocks.IntegerBlock', (), {'default': 3, 'max_value': 9, 'min_value': 1}), 33: ('wagtail.blocks.StructBlock', [[('heading', 31), ('count', 32)]], {}), 34: ('wagtail.blocks.BooleanBlock', (), {'default': True, 'help_text': "Also show the practice's phone number.", 'required': False}), 35: ('wagtail.blocks.StructBlock', [[('heading', 6), ('text', 15), ('action', 11), ('show_phone', 34)]], {}), 36: ('wagtail.blocks.RichTextBlock', (), {'features': ['h2', 'h3', 'bold', 'italic', 'ol', 'ul', 'link']})}, help_text='Explain the service: text, pictures, a video, questions and answers, a button…'),
        ),
        migrations.RunPython(forward, backward),
    ]
