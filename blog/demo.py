"""Demo blog content: the project's own sample posts imported into every practice,
and one agency library post syndicated to all of them by the Celery worker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw

from blog.models import BlogPostPage, SyndicationJob
from blog.services.importing import import_posts
from blog.services.syndication import library_practice, practices_for_selection
from blog.services.syndication_jobs import request_syndication
from practices.models import Practice, Specialty

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
# Generated at load time so that the repository carries no binary media.
DEMO_IMAGES = {
    "flu-season.jpg": ("#1f5f3a", "Flu season"),
    "front-desk.jpg": ("#075985", "Front desk"),
    "humanize.jpg": ("#6b2150", "Our people"),
}


def _uploads_dir() -> Path:
    uploads = Path(settings.BASE_DIR) / "var" / "demo-uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    for name, (colour, caption) in DEMO_IMAGES.items():
        path = uploads / name
        if not path.exists():
            image = Image.new("RGB", (1600, 900), colour)
            draw = ImageDraw.Draw(image)
            draw.rounded_rectangle((120, 120, 1480, 780), radius=60, outline="white", width=14)
            draw.text((800, 450), caption, fill="white", anchor="mm", font_size=120)
            image.save(path, "JPEG", quality=85)
    return uploads


def load(write: Callable[[str], None]) -> None:
    uploads = _uploads_dir()
    for practice in Practice.objects.exclude(specialty=Specialty.AGENCY).order_by("slug"):
        report = import_posts(practice, [CONTENT_DIR / "practice_posts"], uploads_root=uploads)
        write(f"Blog {practice.slug}: {report.summary()}")
    library = library_practice()
    if library is None:
        return
    report = import_posts(library, [CONTENT_DIR / "library_posts"], uploads_root=uploads)
    write(f"Blog {library.slug} (agency library): {report.summary()}")
    original = BlogPostPage.objects.live().descendant_of(library.site.root_page).first()
    targets = [
        practice
        for practice in practices_for_selection(all_practices=True)
        if not BlogPostPage.objects.filter(
            syndicated_from=original, path__startswith=practice.site.root_page.path
        ).exists()
    ]
    queued = SyndicationJob.objects.filter(
        original=original, status__in=[SyndicationJob.Status.PENDING, SyndicationJob.Status.RUNNING]
    ).exists()
    if original is not None and targets and not queued:
        job = request_syndication(original, targets, user=None)
        write(
            f"Syndication of '{original.title}' to {len(targets)} practices queued (job {job.pk})"
        )
