"""The request form as a page-builder block: the practice's form page, embedded with
`{% demo_request_form %}` (the same rendering, tokens and page-cache handling as
every other embedded form), registered from DemoRequestsConfig.ready
(practices.blocks.registry)."""

from __future__ import annotations

from wagtail import blocks

from practices.blocks.base import BlockContext


class RequestFormBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        max_length=120, required=False, help_text="Defaults to the form page's title."
    )
    text = blocks.TextBlock(required=False)

    def load(self, value, context: BlockContext) -> dict:
        # The form is rendered per request from the site bundle's contact page.
        return {"heading": value["heading"], "text": value["text"]}

    class Meta:
        icon = "form"
        label = "Request form"
        template = "demo_requests/blocks/request_form.html"


def register() -> None:
    from practices.blocks.registry import register_block

    register_block("request_form", RequestFormBlock(), position=95)
