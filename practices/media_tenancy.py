"""Practices and their media: which practice owns a collection (for platform/media,
through `agency_platform.core.tenancy`), a practice's files following a new slug, and
the rule that a practice's documents are served only on its own hostnames.

Wagtail's document view already applies collection privacy (its own
``before_serve_document`` hook); the tenant rule is added here: a practice's document
is not served under another practice's hostname, unless the user may manage it
(editors open documents from the admin, which runs on the agency host).
"""

from __future__ import annotations

from django.db.models.signals import post_init, post_save
from django.http import Http404, HttpRequest
from wagtail.models import Collection

from agency_platform.core.tenancy import CollectionOwner, owner_of_collection
from agency_platform.media import services as media_services
from practices.isolation import is_agency_staff, scope_for_user
from practices.models import Practice

# treebeard's materialised path step for Wagtail's Collection tree.
_STEP = Collection.steplen


def ancestor_paths(collection: Collection) -> list[str]:
    """Materialised paths of ``collection`` and all its ancestors."""
    return [collection.path[:end] for end in range(_STEP, len(collection.path) + 1, _STEP)]


class PracticeDirectory:
    """Answers `agency_platform.core.tenancy` from the Practice rows."""

    def owner_of_collection(self, collection: Collection) -> CollectionOwner | None:
        # The nearest practice: a practice's sub-collections belong to it.
        row = (
            Practice.objects.filter(collection__path__in=ancestor_paths(collection))
            .order_by("-collection__depth")
            .values_list("pk", "slug")
            .first()
        )
        return CollectionOwner(practice_id=row[0], slug=row[1]) if row else None

    def has_practice(self, slug: str) -> bool:
        return Practice.objects.filter(slug=slug).exists()


def serve_documents_on_their_practice_only(document, request: HttpRequest) -> None:
    """`before_serve_document` hook: 404 for another practice's document."""
    owner = owner_of_collection(document.collection)
    if owner is None:
        return None  # the agency library is shared by every practice
    entry = getattr(request, "host_entry", None)
    if entry is not None and entry.practice_id == owner.practice_id:
        return None
    user = request.user
    if user.is_authenticated and (
        is_agency_staff(user) or scope_for_user(user).has_collection_path(document.collection.path)
    ):
        return None
    raise Http404("No document here.")


def practice_loaded(sender, instance: Practice, **kwargs) -> None:
    # Remember the slug as loaded (no query; a deferred slug is simply not tracked).
    instance._media_loaded_slug = instance.__dict__.get("slug")


def practice_saved(sender, instance: Practice, created: bool, raw: bool = False, **kwargs) -> None:
    """A renamed practice's objects move to its new key prefix (after the commit)."""
    old_slug = getattr(instance, "_media_loaded_slug", None)
    instance._media_loaded_slug = instance.slug
    if created or raw or not old_slug or old_slug == instance.slug:
        return
    media_services.schedule_practice_move(old_slug, instance.slug)


def connect() -> None:
    post_init.connect(practice_loaded, sender=Practice, dispatch_uid="media-practice-slug-loaded")
    post_save.connect(practice_saved, sender=Practice, dispatch_uid="media-practice-slug-after")
