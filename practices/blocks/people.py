"""Blocks about the practice's care and people: services, team, testimonials.

Each reads only the practice of the page it is on (the page's tree), whatever was
chosen: a chosen page of another practice is refused on save
(practices.blocks.ownership), and would not be shown anyway.
"""

from __future__ import annotations

from wagtail import blocks

from agency_platform.core.seo import plain_text, summarise
from practices.blocks.base import BlockContext, LoadingBlock, page_url, specific_pages

SERVICE_SUMMARY_LENGTH = 160
MAX_MEMBERS = 12
MAX_TESTIMONIALS = 9


def page_summary(page) -> str:
    """A card's text: the page's own summary, else its search description, else its
    introduction (ServicePage.summary, StandardPage.intro, any page's description)."""
    for name in ("summary", "search_description", "intro"):
        text = plain_text(getattr(page, name, "") or "")
        if text:
            return summarise(text, SERVICE_SUMMARY_LENGTH)
    return ""


class ServicesGridBlock(LoadingBlock, blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Our services")
    intro = blocks.TextBlock(required=False)
    services = blocks.ListBlock(
        blocks.PageChooserBlock(label="Service page"),
        min_num=1,
        help_text="Pages of this practice; each shows its title and summary.",
    )

    def load(self, value, context: BlockContext) -> dict:
        chosen = [page.pk for page in value["services"] if page is not None]
        pages = specific_pages(chosen)
        home = context.home_path
        cards = [
            {"title": page.title, "summary": page_summary(page), "url": page_url(page)}
            for pk in chosen
            if (page := pages.get(pk)) is not None and home and page.path.startswith(home)
        ]
        return {"heading": value["heading"], "intro": value["intro"], "services": cards}

    class Meta:
        icon = "list-ul"
        label = "Services grid"
        template = "practices/blocks/services_grid.html"


class TeamHighlightBlock(LoadingBlock, blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Meet our team")
    intro = blocks.TextBlock(required=False)
    members = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="practices.TeamMemberPage", label="Team member"),
        min_num=0,
        max_num=MAX_MEMBERS,
        help_text="Leave empty to show the first members of the team, in the team's order.",
    )
    count = blocks.IntegerBlock(
        default=3, min_value=1, max_value=MAX_MEMBERS, help_text="When no member is chosen."
    )

    def load(self, value, context: BlockContext) -> dict:
        from practices import team_selectors
        from practices.models.team import TeamIndexPage, TeamMemberPage

        home = context.home_path
        members = team_selectors.members_with_cards(
            TeamMemberPage.objects.live().filter(path__startswith=home) if home else None
        )
        chosen = [page.pk for page in value["members"] if page is not None]
        if chosen:
            by_id = {member.pk: member for member in members.filter(pk__in=chosen)}
            shown = [by_id[pk] for pk in chosen if pk in by_id]
        else:
            shown = list(members[: value["count"]])
        team_selectors.make_card_renditions(shown)
        team = TeamIndexPage.objects.live().filter(path__startswith=home).first() if home else None
        return {
            "heading": value["heading"],
            "intro": value["intro"],
            "members": shown,
            "team_url": page_url(team),
        }

    class Meta:
        icon = "group"
        label = "Team highlight"
        template = "practices/blocks/team_highlight.html"


class TestimonialsBlock(LoadingBlock, blocks.StructBlock):
    """The newest approved testimonials of the practice (moderated snippets)."""

    heading = blocks.CharBlock(max_length=120, default="What our patients say")
    count = blocks.IntegerBlock(default=3, min_value=1, max_value=MAX_TESTIMONIALS)

    def load(self, value, context: BlockContext) -> dict:
        from practices.models.testimonials import Testimonial

        home = context.home_path
        shown = Testimonial.objects.shown().filter(practice__site__root_page__path=home)
        return {
            "heading": value["heading"],
            "testimonials": list(shown[: value["count"]]) if home else [],
        }

    class Meta:
        icon = "openquote"
        label = "Testimonials"
        template = "practices/blocks/testimonials.html"
