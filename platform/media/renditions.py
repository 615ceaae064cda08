"""The one list of renditions public pages use, so they can be made ahead of time.

A public page view must never create a rendition (that would be an S3 write, and a
slow one, during a visitor's request). Every `{% image %}` / `{% picture %}` spec in
the templates is listed here by use; a test reads the templates and fails when one
is missing (tests/media/test_renditions.py), so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable

PICTURE_FORMATS = ("webp", "jpeg")


def picture_specs(sizes: Iterable[str], method: str = "fill") -> tuple[str, ...]:
    """What `{% picture img fill-{a,b} format-{webp,jpeg} %}` expands to."""
    return tuple(f"{method}-{size}|format-{fmt}" for size in sizes for fmt in PICTURE_FORMATS)


# use -> specs (the template that uses them in the comment).
PUBLIC_RENDITION_SPECS: dict[str, tuple[str, ...]] = {
    # platform/templates/layouts/practice.html
    "logo": ("height-96",),
    # blog/templates/blog/blog_post_page.html (hero, Open Graph) and includes/post_card.html
    "blog_hero": ("fill-1280x640", "fill-1200x630"),
    "blog_card": ("fill-640x360",),
    # practices/templates/practices/team_member_page.html (portrait, Open Graph)
    "team_portrait": (*picture_specs(("480x600", "720x900", "960x1200")), "fill-1200x630"),
    # practices/templates/practices/includes/team_card.html
    "team_card": picture_specs(("320x400", "480x600", "640x800")),
    # team_member_page.html: gallery photos and the poster of a video file
    "team_gallery": picture_specs(("400x300", "800x600")),
    "video_poster": ("fill-1280x720",),
    # practices/templates/practices/blocks/hero.html, image_with_text.html and
    # image_with_caption.html (the page builder's and the service pages' images)
    "block_hero": picture_specs(("640x480", "960x720", "1280x960")),
    "block_image_with_text": picture_specs(("480x360", "720x540", "960x720")),
    "block_image_with_caption": picture_specs(("640x400", "960x600", "1280x800")),
}

# Which uses an image gets when we know why it was created; an admin upload could be
# used anywhere, so it gets every public spec.
USES_BY_ORIGIN: dict[str, tuple[str, ...]] = {
    "blog_import": ("blog_hero", "blog_card"),
    "team_photo": ("team_portrait", "team_card"),
    "video_poster": ("video_poster",),
}


def specs_for(uses: Iterable[str] | None = None) -> list[str]:
    """Specs for the given uses (all public specs when None), sorted and unique."""
    chosen = (
        PUBLIC_RENDITION_SPECS if uses is None else {u: PUBLIC_RENDITION_SPECS[u] for u in uses}
    )
    return sorted({spec for specs in chosen.values() for spec in specs})


def specs_for_origin(origin: str | None) -> list[str]:
    return specs_for(USES_BY_ORIGIN.get(origin) if origin else None)


ALL_PUBLIC_SPECS: tuple[str, ...] = tuple(specs_for())
