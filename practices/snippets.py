"""Snippets owned by a practice (e.g. blog authors): each practice lists, edits and
chooses only its own, plus the agency's shared ones (practice = NULL) read-only.

Wagtail scopes only a snippet's index listing through `SnippetViewSet.get_queryset`;
its edit, delete, history, usage and chooser views look objects up in the whole
table. `PracticeOwnedSnippetViewSet` gives every one of them the scoped queryset, and
`register_practice_owned_snippet` registers a permission policy with the same rule,
which Wagtail consults for menus, buttons, bulk actions and preview.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from practices.isolation import PracticeScopedPolicy, is_agency_staff, scope_for_user
from practices.models import Practice

READ_ACTIONS = {"view", "choose"}


def owned_queryset(model, user, *, include_shared: bool) -> QuerySet:
    """The rows a user may see (include_shared: also the agency's) or change."""
    rows = model._default_manager.all()
    if is_agency_staff(user):
        return rows
    condition = Q(practice__in=scope_for_user(user).practice_ids)
    if include_shared:
        condition |= Q(practice__isnull=True)
    return rows.filter(condition)


class PracticeOwnedPolicy(PracticeScopedPolicy):
    actions = frozenset({"add", "change", "delete", "view", "choose"})

    def scoped_queryset(self, user, actions: set[str]) -> QuerySet:
        # Shared (agency) rows may be viewed and chosen, never changed.
        include_shared = bool(actions & READ_ACTIONS)
        return owned_queryset(self.model, user, include_shared=include_shared)


class PracticeOwnedForm(WagtailAdminModelForm):
    """Practice users create and move rows only within their own practices."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if (
            self.for_user is not None
            and not is_agency_staff(self.for_user)
            and "practice" in self.fields
        ):
            field = self.fields["practice"]
            field.queryset = Practice.objects.filter(
                pk__in=scope_for_user(self.for_user).practice_ids
            )
            field.required = True
            field.empty_label = None


class _OwnedObjectMixin:
    """Edit, delete, history, usage: another practice's (or a shared) row is a 404."""

    def get_queryset(self):
        return owned_queryset(self.model, self.request.user, include_shared=False)

    def get_base_object_queryset(self):
        return self.get_queryset()


class _VisibleObjectsMixin:
    """Choosers: own rows plus the agency's shared ones."""

    def get_object_list(self):
        return owned_queryset(self.model_class, self.request.user, include_shared=True)


class _ChosenMixin:
    def get_object(self, pk):
        return owned_queryset(self.model_class, self.request.user, include_shared=True).get(pk=pk)

    def get_objects(self, pks):
        return owned_queryset(self.model_class, self.request.user, include_shared=True).filter(
            pk__in=pks
        )


class ScopedIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        return owned_queryset(self.model, self.request.user, include_shared=True)


class ScopedChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = type("ChooseView", (_VisibleObjectsMixin, snippet_chooser.ChooseView), {})
    choose_results_view_class = type(
        "ChooseResultsView", (_VisibleObjectsMixin, snippet_chooser.ChooseResultsView), {}
    )
    chosen_view_class = type("ChosenView", (_ChosenMixin, snippet_chooser.SnippetChosenView), {})
    chosen_multiple_view_class = type(
        "ChosenMultipleView", (_ChosenMixin, snippet_chooser.SnippetChosenMultipleView), {}
    )


class PracticeOwnedSnippetViewSet(SnippetViewSet):
    """Base viewset for snippets with a nullable `practice` foreign key."""

    index_view_class = ScopedIndexView
    edit_view_class = type("EditView", (_OwnedObjectMixin, snippet_views.EditView), {})
    delete_view_class = type("DeleteView", (_OwnedObjectMixin, snippet_views.DeleteView), {})
    usage_view_class = type("UsageView", (_OwnedObjectMixin, snippet_views.UsageView), {})
    history_view_class = type("HistoryView", (_OwnedObjectMixin, snippet_views.HistoryView), {})
    copy_view_enabled = False
    inspect_view_enabled = False
    chooser_viewset_class = ScopedChooserViewSet

    def get_form_class(self, for_update: bool = False):
        from django.forms import modelform_factory

        return modelform_factory(self.model, form=PracticeOwnedForm, fields=self.form_fields)

    def get_queryset(self, request):
        return owned_queryset(self.model, request.user, include_shared=True)


def register_practice_owned_snippet(viewset: type[PracticeOwnedSnippetViewSet]) -> None:
    """Register the model's policy (before Wagtail creates a fallback one) and the viewset."""
    from wagtail.permissions import register_permission_policy
    from wagtail.snippets.models import register_snippet

    register_permission_policy(viewset.model, PracticeOwnedPolicy(viewset.model), exact_class=True)
    register_snippet(viewset)
