"""Reads about media ownership."""

from __future__ import annotations

from wagtail.models import Collection

from .keys import ancestor_paths


def practice_id_for_collection(collection: Collection | None) -> int | None:
    """The practice owning ``collection`` (or an ancestor of it); None for the agency."""
    if collection is None:
        return None
    from practices.models import Practice

    return (
        Practice.objects.filter(collection__path__in=ancestor_paths(collection))
        .order_by("-collection__depth")
        .values_list("pk", flat=True)
        .first()
    )
