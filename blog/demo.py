"""Demo blog content: the project's own sample posts imported into every practice;
the agency's marketing post (for practice owners) stays on its site, and its
patient-education post is syndicated to every practice by the Celery worker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw

from blog.models import Audience, BlogPostPage, SyndicationJob
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
    "sun-safety.jpg": ("#b45309", "Sun safety"),
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
    _remove_copies_of_marketing_posts(write)
    original = (
        BlogPostPage.objects.live()
        .descendant_of(library.site.root_page)
        .filter(audience=Audience.PATIENTS)
        .order_by("path")
        .first()
    )
    if original is None:
        return
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
    if targets and not queued:
        job = request_syndication(original, targets, user=None)
        write(
            f"Syndication of '{original.title}' to {len(targets)} practices queued (job {job.pk})"
        )


def _remove_copies_of_marketing_posts(write: Callable[[str], None]) -> None:
    """Demo databases made before posts had an audience syndicated the marketing post
    to every practice; it is for practice owners, so those copies go."""
    copies = BlogPostPage.objects.filter(syndicated_from__audience=Audience.PRACTICE_OWNERS)
    for copy in copies:
        copy.delete()
        write(f"Removed the practice copy of a marketing post: {copy.url_path}")
