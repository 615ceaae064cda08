"""Reads for services and locations: listings, a location's people, a service's
related members and posts, and the practice's locations for the request forms (the
locations block reads its own: practices.blocks.places).

Every read is a fixed number of queries whatever the number of locations, members
or posts (tests/practices/test_places_budgets.py).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from modelcluster.queryset import FakeQuerySet
from wagtail.images import get_image_model
from wagtail.models import Site

from practices.models import LocationPage, TeamMemberPage
from practices.team_selectors import CARD_RENDITIONS

LOCATION_FIELDS = ("title", "slug", "url_path", "path", "depth", "live")
RELATED_POSTS = 6


def _cards(queryset) -> list[TeamMemberPage]:
    """Members with their portraits and card renditions (two more queries), made now
    when missing so that a kept list never lacks them."""
    renditions = (
        get_image_model().get_rendition_model().objects.filter(filter_spec__in=CARD_RENDITIONS)
    )
    members = list(
        queryset.live()
        .order_by("path")
        .select_related("portrait")
        .prefetch_related(
            Prefetch("portrait__renditions", queryset=renditions, to_attr="prefetched_renditions")
        )
    )
    for number, member in enumerate(members):
        member.card_loading = "eager" if number < 4 else "lazy"
        member.shown_locations = []  # cards here need not name the offices
        if member.portrait is not None:
            member.portrait.get_renditions(*CARD_RENDITIONS)
    return members


def locations_under(index) -> list[LocationPage]:
    """The live locations of a locations index, in the explorer's order (one query)."""
    return list(LocationPage.objects.live().child_of(index).order_by("path"))


def location_members(location: LocationPage) -> list[TeamMemberPage]:
    """The live members linked to a location, in team order."""
    return _cards(TeamMemberPage.objects.filter(locations=location))


def _chosen(rows):
    """A ParentalManyToManyField's pages as a real queryset: in a preview, modelcluster
    holds the editor's choices as a FakeQuerySet (no live(), no joins)."""
    if isinstance(rows, FakeQuerySet):
        return rows.model.objects.filter(pk__in=[row.pk for row in rows])
    return rows


def service_related(service) -> dict:
    """`related_members` (cards) and `related_posts` (live, published, newest first)."""
    members = _cards(_chosen(service.related_members.all()))
    posts = list(
        _chosen(service.related_posts.all())
        .live()
        .filter(date__lte=timezone.now())
        .order_by("-date", "-pk")
        .only("title", "url_path", "path", "date")[:RELATED_POSTS]
    )
    return {"related_members": members, "related_posts": posts}


def location_choices(site: Site) -> list[tuple[str, str]]:
    """(slug, name) of the practice's published locations in tree order: the
    appointment form's "preferred location" choices. One query (two if the site's
    home page is not loaded yet)."""
    return location_choices_under(site.root_page.path)


def location_choices_under(home_path: str) -> list[tuple[str, str]]:
    """location_choices() for the practice whose home page has this tree path: one
    query, for callers that know the path but not the Site."""
    locations = LocationPage.objects.live().filter(path__startswith=home_path)
    return list(locations.order_by("path").values_list("slug", "title"))
