"""Admin views that replace Wagtail's where Wagtail has no per-practice scoping."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from taggit.models import Tag, TaggedItem
from wagtail import hooks
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.tags import TAGS_AUTOCOMPLETE_LIMIT
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from practices.isolation import is_agency_staff, scope_for_user


def _collection_member_ids(model, collection_paths: tuple[str, ...]):
    condition = Q()
    for path in collection_paths:
        condition |= Q(collection__path__startswith=path)
    return model.objects.filter(condition).values("pk")


def tags_in_practices(user):
    """Tags used on the user's practices' images and documents, and on whatever other
    apps register through the `practice_tag_ids` hook: fn(scope) -> tag id queryset."""
    scope = scope_for_user(user)
    if not scope.collection_paths:
        return Tag.objects.none()
    image_model, document_model = get_image_model(), get_document_model()
    tagged = TaggedItem.objects.filter(
        Q(
            content_type=ContentType.objects.get_for_model(image_model),
            object_id__in=_collection_member_ids(image_model, scope.collection_paths),
        )
        | Q(
            content_type=ContentType.objects.get_for_model(document_model),
            object_id__in=_collection_member_ids(document_model, scope.collection_paths),
        )
    )
    condition = Q(pk__in=tagged.values("tag_id"))
    for tag_ids in hooks.get_hooks("practice_tag_ids"):
        condition |= Q(pk__in=tag_ids(scope))
    return Tag.objects.filter(condition)


@require_admin_access
def tag_autocomplete(request: HttpRequest) -> JsonResponse:
    """Wagtail's /admin/tag-autocomplete/, offering a practice user only its own tags."""
    term = request.GET.get("term", "")
    if not term:
        return JsonResponse([], safe=False)
    tags = Tag.objects.all() if is_agency_staff(request.user) else tags_in_practices(request.user)
    names = tags.filter(name__istartswith=term).order_by("name").values_list("name", flat=True)
    return JsonResponse(list(names[:TAGS_AUTOCOMPLETE_LIMIT]), safe=False)
