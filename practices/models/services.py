"""Services: what the practice offers, one `ServicePage` each under its "Services" page.

A service page has a summary (the services listing and the meta description), a body
built from the shared block library's service subset (practices.blocks.library:
text, pictures, video, FAQ with its FAQPage data, testimonials, a call to action),
rendered and kept like the page builder's pages, the members who provide it and
related posts.
Related posts are named by the string "blog.BlogPostPage": the tenancy core of
practices/ imports no feature app (import-linter), Django resolves the model lazily.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from practices.blocks.library import ServiceBodyBlock
from practices.blocks.ownership import PageBuilderPageForm
from practices.blocks.rendering import PageBuilderMixin
from practices.models.page_forms import PracticeScopedPageForm, practice_home_path
from practices.routing import PracticePageMixin

BODY_HELP = "Explain the service: text, pictures, a video, questions and answers, a button…"


class ServicePageForm(PageBuilderPageForm, PracticeScopedPageForm):
    """Related members and posts, and the body's choosers, stay in the practice."""


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


class ServicePage(PageBuilderMixin, PracticePageMixin, Page):
    """One service (the page title is its name, e.g. "Skin cancer screening")."""

    summary = models.TextField(
        max_length=300, help_text="Two or three sentences: the services list shows them."
    )
    body = StreamField(ServiceBodyBlock, blank=True, use_json_field=True, help_text=BODY_HELP)
    related_members = ParentalManyToManyField(
        "practices.TeamMemberPage",
        blank=True,
        related_name="services",
        verbose_name="who provides it",
    )
    related_posts = ParentalManyToManyField(
        "blog.BlogPostPage", blank=True, related_name="+", verbose_name="related posts"
    )

    base_form_class = ServicePageForm
    practice_scoped_fields = ("related_members", "related_posts")
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
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
        """Kept with the routed page: its blocks' data (PageBuilderMixin), its
        members (with card renditions) and posts."""
        from practices.places_selectors import service_related

        super().prepare_for_route_cache()
        self._kept_related = service_related(self)

    def get_context(self, request, *args, **kwargs):
        from practices.places_selectors import service_related

        context = super().get_context(request, *args, **kwargs)
        preview = getattr(request, "is_preview", False)
        kept = None if preview else getattr(self, "_kept_related", None)
        context.update(kept if kept is not None else service_related(self))
        return context
