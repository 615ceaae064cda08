"""Blog pages: one index per practice and posts whose fields mirror the agency's
Markdown + YAML front-matter files (see blog/front_matter.py)."""

from __future__ import annotations

import math

from django.db import models
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.images import get_image_model_string
from wagtail.models import Page
from wagtail.search import index
from wagtailmarkdown.fields import MarkdownField

from blog.markdown import render_markdown
from blog.routes import BlogIndexRoutes
from practices.routing import PracticePageMixin

WORDS_PER_MINUTE = 230


class Audience(models.TextChoices):
    """Who a post is written for (the front matter's `audience` key). The library
    syndicates patient education only; marketing to practice owners stays on the
    agency's site; a post without one is offered to no practice until marked."""

    UNSET = "", "Not set"
    PATIENTS = "patients", "Patients"
    PRACTICE_OWNERS = "practice-owners", "Practice owners"


class BlogIndexPage(PracticePageMixin, BlogIndexRoutes, RoutablePageMixin, Page):
    """One per practice, child of its home page; lists, filters and feeds its posts."""

    intro = models.TextField(blank=True)
    posts_per_page = models.PositiveSmallIntegerField(default=10)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [*Page.settings_panels, FieldPanel("posts_per_page")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["practices.PracticeHomePage"]
    subpage_types = ["blog.BlogPostPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "blog index page"


class BlogPostTag(TaggedItemBase):
    content_object = ParentalKey(
        "blog.BlogPostPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class BlogPostPage(PracticePageMixin, Page):
    """A post. `body` is Markdown stored exactly as written, so it exports unchanged."""

    date = models.DateTimeField("publication date", db_index=True)
    author = models.ForeignKey(
        "blog.Author", null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    hero_image = models.ForeignKey(
        get_image_model_string(), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    intro = models.TextField(blank=True, help_text="Listing summary and default meta description.")
    highlight = models.TextField(blank=True, help_text="Shown as a pull quote.")
    post_types = ParentalManyToManyField("blog.PostType", blank=True, related_name="posts")
    products = ParentalManyToManyField("blog.Product", blank=True, related_name="posts")
    tags = ClusterTaggableManager(through=BlogPostTag, blank=True)
    body = MarkdownField(blank=True)
    show_table_of_contents = models.BooleanField(default=False)
    audience = models.CharField(
        max_length=20, choices=Audience.choices, blank=True, default=Audience.UNSET,
        help_text="Agency library: only posts for patients can be syndicated to practices.",
    )  # fmt: skip
    # What the source file said, kept so that export reproduces it exactly.
    source_image_path = models.CharField(max_length=255, blank=True, editable=False)
    extra_front_matter = models.JSONField(default=dict, blank=True, editable=False)
    # A syndicated copy follows its original (agency library post) until detached.
    syndicated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="syndicated_copies",
        editable=False,
    )  # fmt: skip

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("author"), FieldPanel("hero_image")],
            heading="Post details",
        ),
        FieldPanel("intro"),
        FieldPanel("highlight"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("post_types"), FieldPanel("products"), FieldPanel("tags")],
            heading="Taxonomy",
        ),
        FieldPanel("show_table_of_contents"),
        FieldPanel("audience"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
        index.FilterField("path"),
    ]
    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types: list[str] = []
    # Joined when a request is routed to a post (practices.routing): the header and
    # the hero need them, so they cost no query of their own.
    route_select_related = ("author", "hero_image")

    class Meta:
        verbose_name = "blog post"
        indexes = [models.Index(fields=["date"], name="blog_post_date")]

    @cached_property
    def rendered_body(self):
        return render_markdown(self.body)

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(len(self.body.split()) / WORDS_PER_MINUTE))

    @property
    def is_syndicated(self) -> bool:
        return self.syndicated_from_id is not None

    def get_meta_description(self) -> str:
        return self.search_description or self.intro

    def canonical_url(self, request=None) -> str:
        """A syndicated copy's canonical URL is its (published) original's; anything
        else, including a copy whose original was unpublished, is its own."""
        original = self.syndicated_from if self.syndicated_from_id else None
        target = original if original is not None and original.live else self
        return target.get_full_url(request=request)

    def prepare_for_route_cache(self) -> None:
        """Kept with the routed page (practices.routing), under the same invalidation:
        its surroundings and the hero's renditions, read on every view."""
        from blog import selectors

        # Specific without a query (deferred fields): its URLs come from the site
        # bundle (routing.PracticePageMixin), not from every site's root paths.
        index = self.get_parent().specific_deferred
        self._kept_surroundings = selectors.post_surroundings(self, index)
        if self.hero_image is not None:
            self.hero_image.get_renditions(*selectors.HERO_RENDITIONS)

    def get_context(self, request, *args, **kwargs):
        from blog import selectors

        context = super().get_context(request, *args, **kwargs)
        index = self.get_parent().specific_deferred
        kept = getattr(self, "_kept_surroundings", None)
        if getattr(request, "is_preview", False):
            # A preview shows the draft's own (unsaved) tags and products.
            surroundings = selectors.post_surroundings(self, index, draft=True)
        elif kept is not None:
            surroundings = kept
        else:
            surroundings = selectors.post_surroundings(self, index)
        if self.hero_image is not None:
            # Both of the template's renditions in one cache round trip.
            self.hero_image.get_renditions(*selectors.HERO_RENDITIONS)
        # Built once: the template links the feeds, the author and every topic under it.
        context.update(blog_index=index, blog_index_url=index.url, **surroundings)
        return context
