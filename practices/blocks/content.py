"""Text and pictures: rich text, image with text, a captioned image, the insurance
plans accepted."""

from __future__ import annotations

from wagtail import blocks
from wagtail.images.blocks import ImageBlock, ImageChooserBlock

from practices.blocks.base import (
    BlockContext,
    CallToActionBlock,
    LoadingBlock,
    action_data,
    images_with_renditions,
    picture_specs,
    rich_text_html,
    specific_pages,
)
from practices.blocks.features import RICH_TEXT_FEATURES, SHORT_TEXT_FEATURES

SIDE_IMAGE_SIZES = ("480x360", "720x540", "960x720")
SIDE_IMAGE_RENDITIONS = picture_specs(SIDE_IMAGE_SIZES)
FIGURE_SIZES = ("640x400", "960x600", "1280x800")
FIGURE_RENDITIONS = picture_specs(FIGURE_SIZES)


class RichTextSectionBlock(LoadingBlock, blocks.RichTextBlock):
    """Rich text (its links expanded once, when the page is kept)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(features=RICH_TEXT_FEATURES, **kwargs)

    def deconstruct(self):
        # Frozen into migrations as Wagtail's own block (as StructBlocks are).
        _, args, kwargs = super().deconstruct()
        return "wagtail.blocks.RichTextBlock", args, {"features": RICH_TEXT_FEATURES, **kwargs}

    def load(self, value, context: BlockContext) -> dict:
        return {"html": rich_text_html(value)}

    class Meta:
        icon = "pilcrow"
        label = "Rich text"
        template = "practices/blocks/rich_text.html"


class ImageWithTextBlock(LoadingBlock, blocks.StructBlock):
    image = ImageChooserBlock(help_text="Its description is the alt text.")
    image_side = blocks.ChoiceBlock(
        choices=[("left", "Image on the left"), ("right", "Image on the right")], default="left"
    )
    heading = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=SHORT_TEXT_FEATURES)
    action = blocks.ListBlock(CallToActionBlock(), min_num=0, max_num=1, label="Button")

    def load(self, value, context: BlockContext) -> dict:
        image = value["image"]
        images = images_with_renditions([image.pk if image else None], SIDE_IMAGE_RENDITIONS)
        actions = list(value["action"])
        pages = specific_pages(action["page"].pk for action in actions if action["page"])
        return {
            "image": images.get(image.pk) if image else None,
            "image_side": value["image_side"],
            "heading": value["heading"],
            "html": rich_text_html(value["text"]),
            "actions": [data for action in actions if (data := action_data(action, pages))],
        }

    class Meta:
        icon = "doc-full-inverse"
        label = "Image with text"
        template = "practices/blocks/image_with_text.html"


def image_alt(image) -> str:
    """The alt text Wagtail's ImageBlock stored with this use of the image: "" when the
    editor marked it decorative, else their text, else the image's own default (its
    description, then its title)."""
    if getattr(image, "decorative", False):
        return ""
    return getattr(image, "contextual_alt_text", None) or image.default_alt_text


class ImageWithCaptionBlock(LoadingBlock, blocks.StructBlock):
    """A picture across the text column, with an optional caption."""

    # Wagtail's ImageBlock asks for alt text (or "decorative") on every use.
    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=200)

    def load(self, value, context: BlockContext) -> dict:
        chosen = value["image"]
        # The rendition's image is a fresh instance: the alt text of this use is
        # read from the block's value, not from it.
        images = images_with_renditions([chosen.pk if chosen else None], FIGURE_RENDITIONS)
        return {
            "image": images.get(chosen.pk) if chosen else None,
            "alt": image_alt(chosen) if chosen else "",
            "caption": value["caption"],
        }

    class Meta:
        icon = "image"
        label = "Image with caption"
        template = "practices/blocks/image_with_caption.html"


class InsuranceBlock(LoadingBlock, blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Insurance we accept")
    plans = blocks.ListBlock(blocks.CharBlock(max_length=80, label="Plan"), min_num=1)
    note = blocks.TextBlock(
        required=False,
        default="Not sure about your plan? Call us and we will check it for you.",
    )

    def load(self, value, context: BlockContext) -> dict:
        return {"heading": value["heading"], "plans": list(value["plans"]), "note": value["note"]}

    class Meta:
        icon = "list-ul"
        label = "Insurance accepted"
        template = "practices/blocks/insurance.html"
