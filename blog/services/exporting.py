"""Export a practice's posts as files in the agency's format, with their hero images.

Each post is written from its latest revision (live or not) as `<slug>.md`; its hero
image's original file goes to `uploads/<path>` so that `post_image` resolves with
`import_posts --uploads-root <out_dir>`. Importing the export and exporting again
gives byte-identical files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from blog.front_matter import PostDocument, serialize_post
from blog.models import BlogPostPage
from blog.services.importing import blog_index_for
from practices.models import Practice
from practices.services.image_files import UPLOADS_PREFIX, ImageError, relative_image_path


@dataclass
class ExportReport:
    posts: list[Path] = field(default_factory=list)
    images: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def export_posts(practice: Practice, out_dir: str | Path) -> ExportReport:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = ExportReport()
    blog = blog_index_for(practice)
    pages = BlogPostPage.objects.child_of(blog).order_by("path")
    for page in pages.select_related("latest_revision"):
        post = page.get_latest_revision_as_object()
        doc = document_for(post)
        target = out / f"{page.slug}.md"
        target.write_text(serialize_post(doc), encoding="utf-8", newline="\n")
        report.posts.append(target)
        _export_image(post, doc, out, report)
    return report


def document_for(post: BlogPostPage) -> PostDocument:
    image_path = post.source_image_path
    if not image_path and post.hero_image is not None:
        image_path = f"/{UPLOADS_PREFIX}/{PurePosixPath(post.hero_image.file.name).name}"
    return PostDocument(
        title=post.title,
        date=post.date,
        author=post.author.name if post.author else "",
        image=image_path,
        intro=post.intro,
        highlight=post.highlight,
        post_types=[term.name for term in post.post_types.all()],
        products=[term.name for term in post.products.all()],
        tags=[tag.name for tag in post.tags.all()],
        body=post.body,
        audience=post.audience,
        extra=dict(post.extra_front_matter or {}),
    )


def _export_image(post: BlogPostPage, doc: PostDocument, out: Path, report: ExportReport) -> None:
    label = f"{post.slug}.md: post_image"
    if not doc.image:
        return
    if post.hero_image is None:
        report.warnings.append(f"{label}: '{doc.image}' has no stored image; not exported")
        return
    try:
        target = out / UPLOADS_PREFIX / relative_image_path(doc.image)
    except ImageError as exc:
        report.warnings.append(f"{label}: {exc}; not exported")
        return
    try:
        with post.hero_image.open_file() as source:
            data = source.read()
    except FileNotFoundError:
        report.warnings.append(f"{label}: the stored file of '{doc.image}' is missing")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    report.images.append(target)
