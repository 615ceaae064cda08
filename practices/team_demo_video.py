"""A real video file for the demo's team pages, made on the spot (no download).

ffmpeg (imageio-ffmpeg's, as for posters) renders a few seconds of its test pattern
with a caption; the file then goes through the same services as an editor's video:
`store_video` (multipart on S3, row created after the object) and `make_poster`.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.conf import settings
from wagtail.models import Collection

from agency_platform.media.video import ffmpeg_binary, make_poster, store_video

DEMO_VIDEO_SECONDS = 4


def _demo_video_file() -> Path:
    path = Path(settings.BASE_DIR) / "var" / "demo-video" / "welcome-tour.mp4"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    command = [
        ffmpeg_binary(), "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=24:duration={DEMO_VIDEO_SECONDS}",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(path),
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=120)  # noqa: S603
    return path


def demo_video_block(collection: Collection, member_name: str) -> tuple[str, dict]:
    """A `video_file` block value: the uploaded video and its poster."""
    document = store_video(
        _demo_video_file(), collection=collection, title=f"Welcome tour with {member_name}"
    )
    poster = make_poster(document.pk)
    return (
        "video_file",
        {
            "title": f"A welcome tour with {member_name}",
            "video": document,
            "poster": poster,
            "captions": None,
            "captions_language": "en",
        },
    )
