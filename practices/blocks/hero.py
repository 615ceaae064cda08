"""The top of a page, and the band that asks the visitor to act."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from practices.blocks.base import (
    BlockContext,
    CallToActionBlock,
    LoadingBlock,
    action_data,
    images_with_renditions,
    picture_specs,
    specific_pages,
)
from practices.blocks.media import POSTER_RENDITION, video_data
from practices.models.team_blocks import VIDEO_BLOCKS

HERO_SIZES = ("640x480", "960x720", "1280x960")
HERO_RENDITIONS = picture_specs(HERO_SIZES)


class HeroBlock(LoadingBlock, blocks.StructBlock):
    heading = blocks.CharBlock(max_length=150)
    text = blocks.TextBlock(required=False, help_text="One or two sentences under the heading.")
    image = ImageChooserBlock(
        required=False, help_text="Its description is the alt text. Leave empty for a video."
    )
    video = blocks.StreamBlock(VIDEO_BLOCKS, required=False, max_num=1)
    actions = blocks.ListBlock(CallToActionBlock(), min_num=0, max_num=2, label="Buttons")

    def clean(self, value):
        value = super().clean(value)
        if value["image"] is not None and value["video"]:
            raise blocks.StructBlockValidationError(
                block_errors={"video": ValidationError("Choose an image or a video, not both.")}
            )
        return value

    def load(self, value, context: BlockContext) -> dict:
        actions = list(value["actions"])
        pages = specific_pages(action["page"].pk for action in actions if action["page"])
        image = value["image"]
        video = video_data(value["video"][0], POSTER_RENDITION) if value["video"] else None
        images = images_with_renditions([image.pk if image else None], HERO_RENDITIONS)
        return {
            "heading": value["heading"],
            "text": value["text"],
            "image": images.get(image.pk) if image else None,
            "video": video,
            "actions": [data for action in actions if (data := action_data(action, pages))],
        }

    class Meta:
        icon = "image"
        label = "Hero"
        template = "practices/blocks/hero.html"


class CallToActionBandBlock(LoadingBlock, blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    action = CallToActionBlock()
    show_phone = blocks.BooleanBlock(
        required=False, default=True, help_text="Also show the practice's phone number."
    )

    def load(self, value, context: BlockContext) -> dict:
        page = value["action"]["page"]
        pages = specific_pages([page.pk if page else None])
        from practices.blocks.places import practice_locations

        locations = practice_locations(context) if value["show_phone"] else []
        return {
            "heading": value["heading"],
            "text": value["text"],
            "action": action_data(value["action"], pages),
            "phone": locations[0].phone if locations else "",
            "phone_href": locations[0].tel_href if locations else "",
        }

    class Meta:
        icon = "pick"
        label = "Call-to-action band"
        template = "practices/blocks/cta_band.html"
