"""Wagtail's "Workflow tasks" report without one query per workflow task.

The report's Task filter marks each option with the workflows the task belongs to
(`FilteredModelChoiceField.get_filter_value`: `task.workflows.values_list("pk")`, one
query per task). Every practice has its own moderation task (provisioning), so that is
one query per practice on every view of the report: 1,000 at 1,000 practices. Here the
task -> workflows map is read once, in one query, for the whole list of options; the
report, its template, filters and export are otherwise Wagtail's. It is served at
Wagtail's URLs (platform/urls.py, before Wagtail's admin URLs) under names of its own,
which practices.isolation keeps agency-only like Wagtail's.
Upstream: no Wagtail issue found for this filter's per-option query (searched
2026-12-04); the fix there is to prefetch the workflows in the field's iterator.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.filters import FilteredModelChoiceField, FilteredModelChoiceFilter
from wagtail.admin.views.reports.workflows import (
    WorkflowTasksReportFilterSet,
    WorkflowTasksView,
)
from wagtail.models import Task, WorkflowTask

URL_NAMES = ("practice_workflow_tasks", "practice_workflow_tasks_results")


class TaskWithWorkflowsField(FilteredModelChoiceField):
    @cached_property
    def workflow_ids_by_task(self) -> dict[int, list[int]]:
        # The field is copied for each form, so this is read once per request.
        found: dict[int, list[int]] = defaultdict(list)
        for task_id, workflow_id in WorkflowTask.objects.values_list("task_id", "workflow_id"):
            found[task_id].append(workflow_id)
        return found

    def get_filter_value(self, obj: Task) -> list[int]:
        return self.workflow_ids_by_task.get(obj.pk, [])


class TaskWithWorkflowsFilter(FilteredModelChoiceFilter):
    field_class = TaskWithWorkflowsField


class PracticeWorkflowTasksFilterSet(WorkflowTasksReportFilterSet):
    task = TaskWithWorkflowsFilter(
        queryset=Task.objects.all(),
        filter_field="id_workflow",
        filter_accessor="workflows",
    )


class PracticeWorkflowTasksView(WorkflowTasksView):
    filterset_class = PracticeWorkflowTasksFilterSet


def _admin_view(view):
    # As Wagtail decorates its admin URLs.
    return never_cache(require_admin_access(view))


tasks = _admin_view(PracticeWorkflowTasksView.as_view())
task_results = _admin_view(PracticeWorkflowTasksView.as_view(results_only=True))
