"""Scope the choices that Wagtail's admin filters offer to a practice user.

Wagtail builds several listing filters from whole tables: every Site in the page
explorer's "Site" filter, every page owner or editor in "Owner"/"Edited by", every
locker or workflow requester in the reports, and the ten most popular tags of all
images or documents. Each would show a practice's editors the names of other
practices and their staff. Wagtail offers no hook for filter choices, so
`install()` narrows them on `WagtailFilterSet` (the one class every admin listing
filterset derives from) just before its form is first built. The isolation
tests open each of these screens and fail if another practice's name appears.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django_filters import ModelMultipleChoiceFilter
from django_filters.filterset import BaseFilterSet
from wagtail.admin.filters import MultipleUserFilter, PopularTagsFilter, WagtailFilterSet
from wagtail.models import Site

from practices.isolation import is_agency_staff, scope_for_user


def _users_in_scope(scope):
    groups = Q(groups__practice_as_editors__in=scope.practice_ids) | Q(
        groups__practice_as_moderators__in=scope.practice_ids
    )
    return get_user_model().objects.filter(groups).distinct()


def scope_filters(filterset: WagtailFilterSet, request) -> None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or is_agency_staff(user):
        return
    scope = scope_for_user(user)
    for name, filter_ in filterset.filters.items():
        if isinstance(filter_, MultipleUserFilter):
            filter_.queryset = _users_in_scope(scope)
        elif isinstance(filter_, ModelMultipleChoiceFilter) and _filters_model(filter_, Site):
            filter_.queryset = Site.objects.filter(practice__in=scope.practice_ids)
        elif isinstance(filter_, PopularTagsFilter):
            from practices.admin_views import tags_in_practices

            allowed = set(tags_in_practices(user).values_list("name", flat=True))
            filter_.extra["choices"] = [
                choice for choice in filter_.extra.get("choices", []) if choice[0] in allowed
            ]
            if not filter_.extra["choices"]:
                filterset.filters[name] = None
        filter_.__dict__.pop("_field", None)
    for name in [name for name, value in filterset.filters.items() if value is None]:
        del filterset.filters[name]


def _filters_model(filter_, model) -> bool:
    queryset = filter_.queryset
    return getattr(queryset, "model", None) is model


def install() -> None:
    """Scope filters the first time a filterset's form is built (after every subclass
    __init__ has added its filters, e.g. the media listings' popular tags)."""
    if getattr(WagtailFilterSet, "_practice_scoped_form", False):
        return
    original_form = BaseFilterSet.form

    def form(self):
        if not getattr(self, "_practice_filters_scoped", False):
            self._practice_filters_scoped = True
            scope_filters(self, getattr(self, "request", None))
        return original_form.fget(self)

    WagtailFilterSet.form = property(form)
    WagtailFilterSet._practice_scoped_form = True


def scoped_popular_tags(model, user) -> list:
    """The image chooser's "popular tags" row, limited to the user's practices."""
    from wagtail.admin.models import popular_tags_for_model

    tags = list(popular_tags_for_model(model))
    if is_agency_staff(user):
        return tags
    from practices.admin_views import tags_in_practices

    allowed = set(tags_in_practices(user).values_list("name", flat=True))
    return [tag for tag in tags if tag.name in allowed]


def install_image_chooser() -> None:
    """Swap the image chooser's view class before Wagtail builds its URLs."""
    from wagtail.images.views import chooser

    class PracticeImageChooseView(chooser.ImageChooseView):
        def get_context_data(self, **kwargs):
            context = super().get_context_data(**kwargs)
            context["popular_tags"] = scoped_popular_tags(self.model, self.request.user)
            return context

    chooser.viewset.choose_view_class = PracticeImageChooseView
