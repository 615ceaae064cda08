"""Video in the page builder: the team profiles' video blocks (an uploaded MP4/WebM
with poster and captions, or a YouTube/Vimeo link played from the privacy-friendly
origins the CSP allows), reused as they are, with the same template
(practices/includes/video.html)."""

from __future__ import annotations

from wagtail import blocks

from practices.blocks.base import BlockContext, LoadingBlock, images_with_renditions
from practices.models.team_blocks import VIDEO_BLOCKS

POSTER_RENDITION = "fill-1280x720"


def video_data(child, poster_spec: str = POSTER_RENDITION) -> dict:
    """One VIDEO_BLOCKS stream child as practices/includes/video.html shows it, its
    poster's rendition made."""
    value = child.value
    item = {"title": value["title"]}
    if child.block_type == "video_file":
        poster = value["poster"]
        posters = images_with_renditions([poster.pk if poster else None], [poster_spec])
        item.update(
            video=value["video"],
            poster=posters.get(poster.pk) if poster else None,
            captions=value["captions"],
            captions_language=value["captions_language"],
        )
    else:
        item["url"] = value["url"]
    return {"kind": child.block_type, "item": item}


class VideoBlock(LoadingBlock, blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, required=False)
    text = blocks.TextBlock(required=False)
    video = blocks.StreamBlock(VIDEO_BLOCKS, min_num=1, max_num=1)

    def load(self, value, context: BlockContext) -> dict:
        return {
            "heading": value["heading"],
            "text": value["text"],
            "video": video_data(value["video"][0]),
        }

    class Meta:
        icon = "media"
        label = "Video"
        template = "practices/blocks/video.html"
