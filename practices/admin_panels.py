"""Dashboard panels whose cost does not grow with the number of practices.

Wagtail's "Awaiting your review" panel (WorkflowObjectsToModeratePanel) asks
`TaskState.objects.reviewable_by(user)`, which loads every active task and asks each
GroupApprovalTask, in its own query, whether the user is in one of its groups. Every
practice has its own moderation workflow and task (provisioning), so that is one query
per practice on every dashboard view, for every user: 1,002 of the 1,023 queries of
`/admin/` at 1,000 practices (issue 18; Wagtail #8410 is the same family). The panel
below is Wagtail's, with the reviewable task states found in one query; it replaces
Wagtail's through the `construct_homepage_panels` hook (practices/wagtail_hooks.py).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.models import GroupApprovalTask, Page, Revision, Task, TaskState


def reviewable_task_states(user) -> QuerySet[TaskState]:
    """In-progress task states the user may moderate: what Wagtail's
    `reviewable_by` answers, without one query per task.

    Plain GroupApprovalTasks (the practices' own) are matched by group in the query;
    any other active task type keeps its own rule (`get_task_states_user_can_moderate`),
    one query per such task: there are a few of them, not one per practice."""
    group_type = ContentType.objects.get_for_model(GroupApprovalTask)
    in_progress = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS, task__active=True, task__content_type=group_type
    )
    if not user.is_superuser:
        mine = GroupApprovalTask.objects.filter(groups__in=user.groups.all()).values("pk")
        in_progress = in_progress.filter(task_id__in=mine)
    states = TaskState.objects.filter(pk__in=in_progress.values("pk"))
    others = Task.objects.filter(active=True).exclude(content_type=group_type).specific()
    for task in others:
        states = states | task.get_task_states_user_can_moderate(user=user)
    return states


class PracticeWorkflowObjectsToModeratePanel(WorkflowObjectsToModeratePanel):
    """Wagtail's panel and template; only the query for the task states differs."""

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        context = Component.get_context_data(self, parent_context)
        context.update(states=[], request=request, csrf_token=parent_context["csrf_token"])
        if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            return context
        states = (
            reviewable_task_states(request.user)
            .select_related(
                "task", "revision", "revision__user", "workflow_state", "workflow_state__workflow"
            )
            .prefetch_related(
                "revision__content_object", "revision__content_object__latest_revision"
            )
            .order_by("-started_at")
            .annotate(previous_revision_id=Revision.objects.previous_revision_id_subquery())
        )
        context["states"] = [row for row in (_row(state, request.user) for state in states) if row]
        return context


def _row(state: TaskState, user) -> dict | None:
    """One entry of the panel, as Wagtail's panel builds it."""
    obj = state.revision.content_object
    if not obj:  # the revision's object was deleted
        return None
    names = {
        "action": "wagtailadmin_pages:workflow_action",
        "preview": "wagtailadmin_pages:workflow_preview",
        "compare": "wagtailadmin_pages:revisions_compare",
    }
    if not isinstance(obj, Page):
        viewset = obj.snippet_viewset
        names = {
            "action": viewset.get_url_name("workflow_action"),
            "preview": viewset.get_url_name("workflow_preview"),
            "compare": viewset.get_url_name("revisions_compare"),
        }
    previewable = getattr(obj, "is_previewable", False)
    return {
        "obj": obj,
        "revision": state.revision,
        "previous_revision_id": state.previous_revision_id,
        "live_revision_id": obj.live_revision_id,
        "task_state": state,
        "actions": state.task.specific.get_actions(obj, user),
        "workflow_tasks": state.workflow_state.all_tasks_with_status(),
        "workflow_action_url_name": names["action"],
        "workflow_preview_url_name": names["preview"] if previewable else None,
        "revisions_compare_url_name": names["compare"],
    }


def replace_homepage_panels(request, panels: list) -> None:
    panels[:] = [
        PracticeWorkflowObjectsToModeratePanel()
        if type(panel) is WorkflowObjectsToModeratePanel
        else panel
        for panel in panels
    ]
