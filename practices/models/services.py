"""Services: what the practice offers, one `ServicePage` each under its "Services" page.

A service page has a summary (the services listing and the meta description), a body
of blocks, the members who provide it, related posts and frequently asked questions.
Related posts are named by the string "blog.BlogPostPage": the tenancy core of
practices/ imports no feature app (import-linter), Django resolves the model lazily.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.blocks import StructBlockValidationError
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page
from wagtail.search import index

from agency_platform.core.seo import plain_text
from practices.models.page_forms import PracticeScopedPageForm, practice_home_path
from practices.routing import PracticePageMixin

SERVICE_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]


class ImageWithCaptionBlock(blocks.StructBlock):
    # Wagtail's ImageBlock asks for alt text (or "decorative") on every use.
    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "image"
        template = "practices/blocks/image_with_caption.html"


# The lead switches this to the shared block library (practices/blocks/) at merge.
SERVICE_BODY_BLOCKS = [
    ("text", blocks.RichTextBlock(features=SERVICE_TEXT_FEATURES)),
    ("image", ImageWithCaptionBlock()),
]


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=200)
    answer = blocks.RichTextBlock(features=["bold", "italic", "ul", "ol", "link"])

    class Meta:
        icon = "help"
        label = "Question and answer"

    def clean(self, value):
        """A question without its answer is refused on a draft save too (Wagtail
        defers required blocks on drafts): the FAQPage data must never hold one."""
        errors = {}
        if not (value.get("question") or "").strip():
            errors["question"] = ValidationError("Every question needs its text.")
        if not plain_text(value.get("answer") or ""):
            errors["answer"] = ValidationError("Every question needs an answer.")
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return super().clean(value)


FAQ_BLOCKS = [("faq", FaqItemBlock())]


class ServicesIndexPage(PracticePageMixin, Page):
    """/services/: every service with its summary, in the explorer's order."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["practices.PracticeHomePage"]
    subpage_types = ["practices.ServicePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "services index page"

    def load_services(self) -> list:
        return list(
            ServicePage.objects.live()
            .child_of(self)
            .order_by("path")
            .only("title", "slug", "url_path", "path", "depth", "summary")
        )

    def prepare_for_route_cache(self) -> None:
        self._kept_services = self.load_services()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        preview = getattr(request, "is_preview", False)
        kept = None if preview else getattr(self, "_kept_services", None)
        context["services"] = kept if kept is not None else self.load_services()
        return context


class ServicePage(PracticePageMixin, Page):
    """One service (the page title is its name, e.g. "Skin cancer screening")."""

    summary = models.TextField(
        max_length=300, help_text="Two or three sentences: the services list shows them."
    )
    body = StreamField(SERVICE_BODY_BLOCKS, blank=True, use_json_field=True)
    related_members = ParentalManyToManyField(
        "practices.TeamMemberPage",
        blank=True,
        related_name="services",
        verbose_name="who provides it",
    )
    related_posts = ParentalManyToManyField(
        "blog.BlogPostPage", blank=True, related_name="+", verbose_name="related posts"
    )
    faq = StreamField(FAQ_BLOCKS, blank=True, use_json_field=True, verbose_name="FAQ")

    base_form_class = PracticeScopedPageForm
    practice_scoped_fields = ("related_members", "related_posts")
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("faq"),
        MultiFieldPanel(
            [FieldPanel("related_members"), FieldPanel("related_posts")], heading="Related"
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["practices.ServicesIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "service"

    def get_meta_description(self) -> str:
        return self.summary

    def clean(self) -> None:
        """Outside the admin form (shell, imports), chosen pages must still be the
        practice's own: the form narrows the choices, this refuses the rest."""
        super().clean()
        if not self.path:
            return
        home = practice_home_path(self.path)
        errors = {}
        for name in self.practice_scoped_fields:
            foreign = [page.title for page in getattr(self, name).all()
                       if not page.path.startswith(home)]  # fmt: skip
            if foreign:
                errors[name] = f"Not pages of this practice: {', '.join(foreign)}."
        if errors:
            raise ValidationError(errors)

    def prepare_for_route_cache(self) -> None:
        """Kept with the routed page: its members (with card renditions) and posts."""
        from practices.places_selectors import service_related

        self._kept_related = service_related(self)

    def get_context(self, request, *args, **kwargs):
        from practices.places_selectors import service_related

        context = super().get_context(request, *args, **kwargs)
        preview = getattr(request, "is_preview", False)
        kept = None if preview else getattr(self, "_kept_related", None)
        context.update(kept if kept is not None else service_related(self))
        return context
