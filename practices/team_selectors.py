"""Reads for the team showcase: the team grid (filters, groups) and a member's page.

The team grid costs a constant number of queries whatever the team size: one for the
members (in tree order, i.e. the order editors give them in the explorer), one for
their portraits and one for the portraits' card renditions. Filters run in Python
over that one list: a practice's team is tens of people, the filter options need the
whole list anyway, and the lists being filtered are StreamFields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Page

from agency_platform.core import private_apis
from practices.models.places import LocationPage
from practices.models.team import TeamIndexPage, TeamMemberPage
from practices.models.team_blocks import LANGUAGE_NAMES, RoleGroup
from practices.settings_cache import CONTACT_PAGE_MODELS

# Portrait crops (4:5, cropped around the image's focal point). The card template's
# {% picture ... fill-{320x400,480x600,640x800} format-{webp,jpeg} %} expands to exactly
# these specs (keep them in step), so the renditions are prefetched with the members.
CARD_RENDITIONS = [
    f"fill-{size}|format-{fmt}"
    for size in ("320x400", "480x600", "640x800")
    for fmt in ("webp", "jpeg")
]
# Cards in the first row or two load eagerly; the rest wait until scrolled near.
EAGER_CARDS = 4
FILTER_PARAMS = ("role", "specialty", "language", "location")
MEMBER_POSTS = 5


@dataclass
class TeamGroup:
    heading: str
    slug: str
    members: list[TeamMemberPage]


@dataclass
class TeamSection:
    """One location (or the whole team when there is one location) and its groups."""

    heading: str
    slug: str
    groups: list[TeamGroup] = field(default_factory=list)


@dataclass
class FilterOptions:
    roles: list[tuple[str, str]]
    specialties: list[tuple[str, str]]
    languages: list[tuple[str, str]]
    locations: list[tuple[str, str]]


def members_with_cards(members: QuerySet[TeamMemberPage] | None) -> QuerySet[TeamMemberPage]:
    """Members in the explorer's order, portraits joined, their card renditions and
    live locations prefetched (three queries for any number of members)."""
    if members is None:
        return TeamMemberPage.objects.none()
    renditions = (
        get_image_model().get_rendition_model().objects.filter(filter_spec__in=CARD_RENDITIONS)
    )
    locations = (
        LocationPage.objects.live().order_by("path").only("title", "slug", "url_path", "path")
    )
    return (
        members.order_by("path")
        .select_related("portrait")
        .prefetch_related(
            Prefetch("portrait__renditions", queryset=renditions, to_attr="prefetched_renditions"),
            Prefetch("locations", queryset=locations, to_attr="shown_locations"),
        )
    )


def make_card_renditions(members: list[TeamMemberPage]) -> None:
    """Card renditions not made yet are made now: kept members never lack them."""
    for member in members:
        if member.portrait is not None:
            member.portrait.get_renditions(*CARD_RENDITIONS)


def team_members(index: TeamIndexPage) -> QuerySet[TeamMemberPage]:
    """Live members of one team, with their cards (members_with_cards)."""
    return members_with_cards(TeamMemberPage.objects.live().child_of(index))


def team_index_for(practice) -> TeamIndexPage | None:
    """The practice's team page (every provisioned practice has one)."""
    return TeamIndexPage.objects.descendant_of(practice.site.root_page).first()


def _member_slugs(member: TeamMemberPage) -> dict[str, set[str]]:
    return {
        "role": {member.role_group},
        "specialty": {slugify(value) for value in member.specialty_list},
        "language": {slugify(name) for name in member.language_list},
        "location": {location.slug for location in member.location_list},
    }


def filter_options(members: list[TeamMemberPage]) -> FilterOptions:
    """The values present on this team (a filter never offers an empty result)."""
    present_roles = {member.role_group for member in members}
    specialties: dict[str, str] = {}
    languages: dict[str, str] = {}
    locations: dict[str, tuple[str, str]] = {}  # slug -> (tree path, name)
    for member in members:
        for value in member.specialty_list:
            specialties.setdefault(slugify(value), value)
        for code in member.language_codes:
            name = LANGUAGE_NAMES.get(code, code)
            languages.setdefault(slugify(name), name)
        for location in member.location_list:
            locations.setdefault(location.slug, (location.path, location.title))

    def by_label(values: dict[str, str]) -> list[tuple[str, str]]:
        return sorted(values.items(), key=lambda item: item[1].lower())

    return FilterOptions(
        roles=[(value, label) for value, label in RoleGroup.choices if value in present_roles],
        specialties=by_label(specialties),
        languages=by_label(languages),
        # Offices in the explorer's order, as the locations page lists them.
        locations=[
            (slug, name)
            for slug, (_path, name) in sorted(locations.items(), key=lambda item: item[1][0])
        ]
        if len(locations) > 1
        else [],
    )


def selected_filters(params: QueryDict, options: FilterOptions) -> dict[str, str]:
    """The valid filters in the query string; unknown values are ignored, not errors."""
    allowed = {
        "role": {value for value, _ in options.roles},
        "specialty": {value for value, _ in options.specialties},
        "language": {value for value, _ in options.languages},
        "location": {value for value, _ in options.locations},
    }
    selected = {}
    for name in FILTER_PARAMS:
        value = params.get(name, "").strip().lower()
        if value and value in allowed[name]:
            selected[name] = value
    return selected


def apply_filters(members: list[TeamMemberPage], selected: dict[str, str]) -> list[TeamMemberPage]:
    if not selected:
        return members
    kept = []
    for member in members:
        slugs = _member_slugs(member)
        if all(value in slugs[name] for name, value in selected.items()):
            kept.append(member)
    return kept


def group_members(
    members: list[TeamMemberPage], *, locations: list[tuple[str, str]]
) -> list[TeamSection]:
    """Sections by location (only when the team has several: `locations`, in tree
    order; a member of several offices is in each of them; members of none last), then
    groups by role in RoleGroup order; members keep their tree order inside a group.
    Each member gets `card_loading`: "eager" for the first EAGER_CARDS cards in display
    order (above the fold on most screens), "lazy" below."""
    if locations:
        sections = {slug: TeamSection(name, slug) for slug, name in locations}
        sections[OTHER_LOCATIONS] = TeamSection("Other locations", OTHER_LOCATIONS)
    else:
        sections = {"": TeamSection("", "")}
    for key, section in sections.items():
        in_section = [member for member in members if not locations or key in _sections_of(member)]
        for value, label in RoleGroup.choices:
            group = [member for member in in_section if member.role_group == value]
            if group:
                section.groups.append(TeamGroup(label, value, group))
    shown = [section for section in sections.values() if section.groups]
    position = 0
    for section in shown:
        for group in section.groups:
            for member in group.members:
                member.card_loading = "eager" if position < EAGER_CARDS else "lazy"
                position += 1
    return shown


OTHER_LOCATIONS = "other-locations"


def _sections_of(member: TeamMemberPage) -> set[str]:
    return {location.slug for location in member.location_list} or {OTHER_LOCATIONS}


def contact_page_for(team_page: Page) -> Page | None:
    """The practice's live contact page (a type registered by a feature, see
    settings_cache.register_contact_page): a sibling of the team index."""
    for model in CONTACT_PAGE_MODELS:
        contact = model.objects.live().sibling_of(team_page).only("url_path").first()
        if contact is not None:
            return contact
    return None


def contact_url_for(team_page: Page | None, request: HttpRequest) -> str:
    """The contact page's URL, from the cached site bundle when the request has one."""
    bundle = getattr(request, "site_bundle", None)
    home = bundle.site.root_page if bundle is not None else None
    if home is not None and team_page is not None and team_page.path.startswith(home.path):
        return bundle.contact_url
    contact = contact_page_for(team_page) if team_page is not None else None
    return contact.get_url(request) if contact else ""


def team_with_options(index: TeamIndexPage) -> tuple[list[TeamMemberPage], FilterOptions]:
    """The whole team and the filter options it offers (what routing keeps). Card
    renditions not made yet are made now, so that a kept team never lacks them."""
    members = list(team_members(index))
    make_card_renditions(members)
    return members, filter_options(members)


def team_index_context(index: TeamIndexPage, request: HttpRequest) -> dict:
    kept = None if getattr(request, "is_preview", False) else getattr(index, "_kept_team", None)
    members, options = kept if kept is not None else team_with_options(index)
    selected = selected_filters(request.GET, options)
    shown = apply_filters(members, selected)
    return {
        "members": shown,
        "team_size": len(members),
        "sections": group_members(shown, locations=options.locations),
        "filter_options": options,
        "selected_filters": selected,
        "contact_url": contact_url_for(index, request),
    }


# A member's posts: the blog registers how to find them (blog.selectors.posts_by_member),
# as practices/ imports no feature. Given the member's author id, the path of their
# practice's home and a limit, it returns live posts, newest first.
PostsFinder = Callable[[int, str, int], list]
_posts_finder: PostsFinder | None = None


def register_posts_finder(find: PostsFinder) -> None:
    global _posts_finder
    _posts_finder = find


def member_posts(member: TeamMemberPage, limit: int = MEMBER_POSTS) -> list:
    """Live, published posts by the member's author profile, in their practice only."""
    if member.author_id is None or _posts_finder is None:
        return []
    home_path = member.path[: -2 * Page.steplen]  # member -> team index -> home
    return _posts_finder(member.author_id, home_path, limit)


def member_context(member: TeamMemberPage, request: HttpRequest) -> dict:
    if private_apis.has_parent(member):
        # Set by routing (no query); specific without a query either, so that its URL
        # comes from the site bundle (routing.PracticePageMixin).
        index = member.get_parent().specific_deferred
    else:
        index = TeamIndexPage.objects.filter(path=member.path[: -Page.steplen]).first()
    return {
        "team_index": index,
        "contact_url": contact_url_for(index, request),
        "posts": member_posts(member),
    }
