"""Demo blog content: each practice imports the project's sample posts of its own
field (family medicine, dermatology or dentistry), written by its own team, whose
member pages then list them; the agency's marketing post (for practice owners) stays
on its site, and its patient-education post is syndicated to every practice by the
Celery worker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw

from blog.models import Audience, Author, BlogPostPage, SyndicationJob
from blog.services.importing import import_posts
from blog.services.syndication import library_practice, practices_for_selection
from blog.services.syndication_jobs import request_syndication
from practices.models import Practice, Specialty, TeamMemberPage

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
# Generated at load time so that the repository carries no binary media.
DEMO_IMAGES = {
    "flu-season.jpg": ("#1f5f3a", "Flu season"),
    "front-desk.jpg": ("#075985", "Front desk"),
    "humanize.jpg": ("#6b2150", "Our people"),
    "sun-safety.jpg": ("#b45309", "Sun safety"),
    "skin-check.jpg": ("#6b2150", "Skin check"),
    "acne-plan.jpg": ("#0e7490", "Clearer skin"),
    "mohs-day.jpg": ("#334155", "Mohs surgery"),
    "first-visit.jpg": ("#0369a1", "First visit"),
    "aligners.jpg": ("#0f766e", "Straight smiles"),
    "sensitive-teeth.jpg": ("#1e3a8a", "Sensitive teeth"),
}
# Each practice's sample posts, by specialty (a folder of practice_posts/).
POSTS_BY_SPECIALTY = {Specialty.DERMATOLOGY: "dermatology", Specialty.DENTISTRY: "dentistry"}


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
        folder = (
            CONTENT_DIR / "practice_posts" / POSTS_BY_SPECIALTY.get(practice.specialty, "family")
        )
        report = import_posts(practice, [folder], uploads_root=uploads)
        write(f"Blog {practice.slug}: {report.summary()}")
        _link_authors_to_members(practice)
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


def _link_authors_to_members(practice: Practice) -> None:
    """A member who writes for the blog is its author of the same name: their page
    lists their posts. Saved as a new published revision, as an editor would."""
    authors = {a.name: a for a in Author.objects.filter(practice=practice)}
    members = TeamMemberPage.objects.live().descendant_of(practice.site.root_page)
    for member in members.filter(author__isnull=True, title__in=list(authors)):
        member.author = authors[member.title]
        member.save_revision().publish()


def _remove_copies_of_marketing_posts(write: Callable[[str], None]) -> None:
    """Demo databases made before posts had an audience syndicated the marketing post
    to every practice; it is for practice owners, so those copies go."""
    copies = BlogPostPage.objects.filter(syndicated_from__audience=Audience.PRACTICE_OWNERS)
    for copy in copies:
        copy.delete()
        write(f"Removed the practice copy of a marketing post: {copy.url_path}")
