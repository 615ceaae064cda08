"""Frequently asked questions, shown as disclosure widgets (<details>: no script) and
described to search engines as one schema.org FAQPage per page
(practices.blocks.rendering gathers every FAQ block of the page)."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from wagtail import blocks

from agency_platform.core.seo import plain_text
from practices.blocks.base import BlockContext, LoadingBlock, rich_text_html
from practices.blocks.features import SHORT_TEXT_FEATURES

FAQ_HEADING = "Frequently asked questions"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=200)
    answer = blocks.RichTextBlock(features=SHORT_TEXT_FEATURES)

    def clean(self, value):
        """A question without its text or its answer is refused on a draft save too
        (Wagtail defers required blocks on drafts): the FAQPage data never holds one."""
        value = super().clean(value)
        errors = {}
        if not (value["question"] or "").strip():
            errors["question"] = ValidationError("Every question needs its text.")
        if not plain_text(value["answer"].source if value["answer"] else ""):
            errors["answer"] = ValidationError("Every question needs an answer.")
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value

    class Meta:
        icon = "help"
        label = "Question"


class FAQBlock(LoadingBlock, blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default=FAQ_HEADING)
    questions = blocks.ListBlock(QuestionBlock(), min_num=1)

    def load(self, value, context: BlockContext) -> dict:
        questions = []
        for item in value["questions"]:
            html = rich_text_html(item["answer"])
            questions.append({"question": item["question"], "html": html, "text": plain_text(html)})
        return {"heading": value["heading"], "questions": questions}

    class Meta:
        icon = "help"
        label = "FAQ"
        template = "practices/blocks/faq.html"


def faq_stream_data(pairs: list[tuple[str, str]], heading: str = FAQ_HEADING) -> dict:
    """One FAQ block as raw StreamField data (the form a revision stores) from
    (question, answer HTML) pairs."""
    questions = [
        {"type": "item", "value": {"question": q, "answer": a}, "id": str(uuid.uuid4())}
        for q, a in pairs
    ]
    value = {"heading": heading, "questions": questions}
    return {"type": "faq", "value": value, "id": str(uuid.uuid4())}


def faq_page_data(questions: list[dict]) -> dict:
    """schema.org FAQPage for the questions of every FAQ block on a page."""
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": item["question"],
                "acceptedAnswer": {"@type": "Answer", "text": item["text"]},
            }
            for item in questions
        ],
    }
