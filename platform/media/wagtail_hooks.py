"""Documents are served only on their own practice's hostnames.

Wagtail's document view already applies collection privacy (its own
``before_serve_document`` hook); this adds the tenant rule: a practice's document
is not served under another practice's hostname, unless the user may manage it
(editors open documents from the admin, which runs on the agency host).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from wagtail import hooks

from practices.isolation import is_agency_staff, scope_for_user

from .selectors import practice_id_for_collection


@hooks.register("before_serve_document")
def serve_documents_on_their_practice_only(document, request: HttpRequest) -> None:
    owner = practice_id_for_collection(document.collection)
    if owner is None:
        return None  # the agency library is shared by every practice
    entry = getattr(request, "host_entry", None)
    if entry is not None and entry.practice_id == owner:
        return None
    user = request.user
    if user.is_authenticated and (
        is_agency_staff(user) or scope_for_user(user).has_collection_path(document.collection.path)
    ):
        return None
    raise Http404("No document here.")
