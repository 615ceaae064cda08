"""Team showcase: a practice's "Meet the team" page and one page per team member."""

from __future__ import annotations

from collections import Counter

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model_string
from wagtail.images.models import Filter
from wagtail.models import Page
from wagtail.search import index

from practices.models.page_forms import PracticeScopedPageForm
from practices.models.team_blocks import (
    CERTIFICATION_BLOCKS,
    CLINICIAN_GROUPS,
    CREDENTIAL_BLOCKS,
    EDUCATION_BLOCKS,
    GALLERY_BLOCKS,
    LANGUAGE_BLOCKS,
    LANGUAGE_NAMES,
    LONG_BIO_FEATURES,
    OTHER_CREDENTIAL_PATTERN,
    QA_BLOCKS,
    SPECIALTY_BLOCKS,
    VIDEO_BLOCKS,
    RoleGroup,
    normalise_credential,
    validate_captions_document,
    validate_video_document,
)
from practices.routing import PracticePageMixin

ALT_TEXT_MISSING = (
    "This photo has no alt text: edit the image and fill in its description "
    "(screen readers read it to patients)."
)


class TeamIndexPage(PracticePageMixin, Page):
    """The practice's "Meet the team" page (/team/): members are its child pages, in the
    order editors give them in the explorer ("Sort menu order"), grouped by role and,
    when the practice has several, by location. Filters are plain GET parameters
    (?role=&specialty=&language=&location=) so they work without JavaScript."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["practices.PracticeHomePage"]
    subpage_types = ["practices.TeamMemberPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "team index page"

    def prepare_for_route_cache(self) -> None:
        """Kept with the routed page (practices.routing): the members with their
        portraits and card renditions, and the filter options they offer. Filtering
        and grouping still run per request (they depend on the query string)."""
        from practices import team_selectors

        self._kept_team = team_selectors.team_with_options(self)

    def get_context(self, request, *args, **kwargs):
        from practices import team_selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(team_selectors.team_index_context(self, request))
        return context


class TeamMemberPage(PracticePageMixin, Page):
    """One person of the practice's team (the page title is their name).

    A page rather than a snippet because a profile needs what Wagtail gives pages for
    free: its own public URL (/team/<slug>/) with SEO fields, revisions, the practice's
    moderation workflow, preview, scheduled publishing, ordering by tree position
    (drag-and-drop in the explorer), and the platform's page isolation (a profile lives
    in its practice's tree, so other practices' editors can neither see nor choose it).
    """

    route_select_related = ("portrait",)

    role_title = models.CharField(
        "job title", max_length=120, help_text="As patients see it, e.g. Family physician."
    )
    role_group = models.CharField(
        max_length=30,
        choices=RoleGroup.choices,
        default=RoleGroup.PHYSICIANS,
        help_text="Groups and filters the team page.",
    )
    # Several offices are common (a physician at two sites on different days); only
    # this practice's location pages are offered (PracticeScopedPageForm).
    locations = ParentalManyToManyField(
        "practices.LocationPage",
        blank=True,
        related_name="team_members",
        help_text="The offices this person practises at.",
    )
    accepting_new_patients = models.BooleanField(default=True)
    credentials = StreamField(CREDENTIAL_BLOCKS, blank=True, use_json_field=True)
    portrait = models.ForeignKey(
        get_image_model_string(),
        null=True,
        blank=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Portrait photo; the image's description is its alt text and is required. "
        "Set its focal point on the face: every crop keeps it.",
    )
    short_bio = models.TextField(max_length=300, blank=True, help_text="Shown on the team page.")
    long_bio = RichTextField(blank=True, features=LONG_BIO_FEATURES)
    specialties = StreamField(SPECIALTY_BLOCKS, blank=True, use_json_field=True)
    languages = StreamField(LANGUAGE_BLOCKS, blank=True, use_json_field=True)
    education = StreamField(EDUCATION_BLOCKS, blank=True, use_json_field=True)
    certifications = StreamField(CERTIFICATION_BLOCKS, blank=True, use_json_field=True)
    qa = StreamField(QA_BLOCKS, blank=True, use_json_field=True, verbose_name="Q&A")
    gallery = StreamField(GALLERY_BLOCKS, blank=True, use_json_field=True)
    videos = StreamField(VIDEO_BLOCKS, blank=True, use_json_field=True)
    author = models.ForeignKey(
        "blog.Author",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Their blog author profile: their posts are listed on this page.",
    )

    content_panels = [
        FieldPanel("title", heading="Name"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("role_title"), FieldPanel("role_group")]),
                FieldPanel("accepting_new_patients"),
                FieldPanel("locations", widget=forms.CheckboxSelectMultiple),
                FieldPanel("credentials"),
            ],
            heading="Role",
        ),
        MultiFieldPanel([FieldPanel("portrait"), FieldPanel("short_bio")], heading="Card"),
        MultiFieldPanel(
            [
                FieldPanel("specialties"),
                FieldPanel("languages"),
                FieldPanel("education"),
                FieldPanel("certifications"),
            ],
            heading="Expertise",
        ),
        FieldPanel("qa"),
        MultiFieldPanel(
            [
                FieldPanel("long_bio"),
                FieldPanel("gallery"),
                FieldPanel("videos"),
                FieldPanel("author"),
            ],
            heading="More about them",
            classname="collapsed",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("role_title"),
        index.SearchField("short_bio"),
        index.SearchField("long_bio"),
        index.FilterField("role_group"),
    ]
    parent_page_types = ["practices.TeamIndexPage"]
    subpage_types: list[str] = []
    base_form_class = PracticeScopedPageForm
    practice_scoped_fields = ("locations",)

    class Meta:
        verbose_name = "team member"

    # --- values the templates, filters and structured data share ----------------------
    @property
    def credential_list(self) -> list[str]:
        return [str(block.value) for block in self.credentials]

    @property
    def display_name(self) -> str:
        """'Ana Ruiz, MD, FAAFP'."""
        return ", ".join([self.title, *self.credential_list])

    @property
    def specialty_list(self) -> list[str]:
        return [str(block.value) for block in self.specialties]

    @property
    def language_codes(self) -> list[str]:
        return [block.value for block in self.languages]

    @property
    def language_list(self) -> list[str]:
        return [LANGUAGE_NAMES.get(code, code) for code in self.language_codes]

    @property
    def location_list(self) -> list:
        """The live offices this person practises at, in tree order: prefetched by the
        team grid, kept with the routed page, read from the revision in a preview."""
        for attr in ("shown_locations", "_kept_locations"):
            found = getattr(self, attr, None)
            if found is not None:
                return found
        return sorted((loc for loc in self.locations.all() if loc.live), key=lambda p: p.path)

    @property
    def is_clinician(self) -> bool:
        return self.role_group in CLINICIAN_GROUPS

    def get_meta_description(self) -> str:
        return self.search_description or self.short_bio or self.role_title

    # --- validation ------------------------------------------------------------------
    def clean(self) -> None:
        """Rules that hold however the page is saved (admin, CSV import, shell): Wagtail
        validates StreamField blocks only in the admin form, so lists are checked here."""
        super().clean()
        errors: dict[str, list[str]] = {}
        # A missing portrait is already "This field cannot be blank." (blank=False).
        if self.portrait_id is not None and not (self.portrait.description or "").strip():
            errors.setdefault("portrait", []).append(ALT_TEXT_MISSING)
        for message in self._credential_errors():
            errors.setdefault("credentials", []).append(message)
        for block in self.gallery:
            image = block.value["image"]
            if image is not None and not (image.description or "").strip():
                errors.setdefault("gallery", []).append(f"'{image.title}': {ALT_TEXT_MISSING}")
        for message in self._video_errors():
            errors.setdefault("videos", []).append(message)
        if errors:
            raise ValidationError(errors)

    def _credential_errors(self) -> list[str]:
        messages = []
        for block in self.credentials:
            value = str(block.value or "").strip()
            listed = normalise_credential(value)
            if block.block_type == "credential" and listed != value:
                messages.append(f"'{value}' is not a known credential.")
            elif block.block_type == "other" and listed:
                messages.append(f"'{value}' is in the list: choose it as a credential.")
            elif block.block_type == "other" and not OTHER_CREDENTIAL_PATTERN.match(value):
                messages.append(f"'{value}': use letters, dots and hyphens only.")
        counts = Counter(value.upper() for value in self.credential_list)
        messages += [f"'{value}' is listed twice." for value, n in counts.items() if n > 1]
        return messages

    def _video_errors(self) -> list[str]:
        messages = []
        for block in self.videos:
            if block.block_type != "video_file":
                continue
            for key, validate in (
                ("video", validate_video_document),
                ("captions", validate_captions_document),
            ):
                document = block.value[key]
                if document is None:
                    continue
                try:
                    validate(document)
                except ValidationError as exc:
                    messages += [f"{document.title}: {message}" for message in exc.messages]
        return messages

    # The portrait's renditions in team_member_page.html ({% image %} for the social
    # card, {% picture %} for the page): keep both lists in step with the template.
    PORTRAIT_RENDITIONS = (
        "fill-1200x630",
        *Filter.expand_spec("fill-{480x600,720x900,960x1200} format-{webp,jpeg}"),
    )

    def prepare_for_route_cache(self) -> None:
        """Kept with the routed page (practices.routing): the portrait's renditions,
        which every view reads."""
        if self.portrait is not None:
            self.portrait.get_renditions(*self.PORTRAIT_RENDITIONS)
        self._kept_locations = list(
            self.locations.live().order_by("path").only("title", "slug", "url_path", "path")
        )

    def get_context(self, request, *args, **kwargs):
        from practices import team_selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(team_selectors.member_context(self, request))
        return context
