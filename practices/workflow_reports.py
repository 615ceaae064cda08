"""Wagtail's "Workflows" and "Workflow tasks" reports without a query per row or task.

The report's Task filter marks each option with the workflows the task belongs to
(`FilteredModelChoiceField.get_filter_value`: `task.workflows.values_list("pk")`, one
query per task). Every practice has its own moderation task (provisioning), so that is
one query per practice on every view of the report: 1,000 at 1,000 practices. Here the
task -> workflows map is read once, in one query, for the whole list of options; the
report, its template, filters and export are otherwise Wagtail's.

The "Workflows" report draws each row's tasks with their status
(`WorkflowState.all_tasks_with_status()`, one query per row, up to the page size):
here the tasks and statuses of every row of the page are read in two queries and each
row answers from them, with Wagtail's rules (the latest task state of each task;
with WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT Wagtail's own per-row method is used).
Both reports are served at Wagtail's URLs (platform/urls.py, before Wagtail's admin
URLs) under names of their own (practice_workflows, practice_workflow_tasks and their
_results), which practices.isolation keeps agency-only like Wagtail's.
Upstream: no Wagtail issue found for either per-row query (searched 2026-12-04); the
fixes there are to prefetch the workflows in the field's iterator and the tasks with
their status in the report's queryset.
"""

from __future__ import annotations

import copy
from collections import defaultdict

from django.conf import settings
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.filters import FilteredModelChoiceField, FilteredModelChoiceFilter
from wagtail.admin.views.reports.workflows import (
    WorkflowTasksReportFilterSet,
    WorkflowTasksView,
    WorkflowView,
)
from wagtail.models import Task, TaskState, WorkflowState, WorkflowTask


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


def tasks_with_status(states: list[WorkflowState]) -> dict[int, list[Task]]:
    """What `all_tasks_with_status()` answers for each workflow state, in two queries:
    its workflow's tasks in order, each with `.status` (its latest task state in this
    workflow state, or None) and `.status_display`."""
    links = WorkflowTask.objects.filter(workflow_id__in={s.workflow_id for s in states})
    tasks_by_workflow: dict[int, list[Task]] = defaultdict(list)
    for link in links.select_related("task").order_by("sort_order"):
        tasks_by_workflow[link.workflow_id].append(link.task)
    latest: dict[tuple[int, int], str] = {}
    rows = TaskState.objects.filter(workflow_state_id__in=[s.pk for s in states])
    for state_id, task_id, status in rows.order_by("-started_at", "-id").values_list(
        "workflow_state_id", "task_id", "status"
    ):
        latest.setdefault((state_id, task_id), status)
    labels = dict(TaskState.STATUS_CHOICES)
    found = {}
    for state in states:
        found[state.pk] = []
        for task in tasks_by_workflow[state.workflow_id]:
            task = copy.copy(task)  # one status per row
            task.status = latest.get((state.pk, task.pk))
            task.status_display = labels.get(task.status, _("Not started"))
            found[state.pk].append(task)
    return found


class PracticeWorkflowView(WorkflowView):
    def decorate_paginated_queryset(self, object_list):
        rows = super().decorate_paginated_queryset(object_list)
        if getattr(settings, "WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT", False):
            return rows
        found = tasks_with_status(rows)
        for row in rows:
            # The template calls `all_tasks_with_status`: this row's answer, already read.
            row.all_tasks_with_status = found[row.pk]
        return rows


def _admin_view(view):
    # As Wagtail decorates its admin URLs.
    return never_cache(require_admin_access(view))


tasks = _admin_view(PracticeWorkflowTasksView.as_view())
task_results = _admin_view(PracticeWorkflowTasksView.as_view(results_only=True))
workflows = _admin_view(PracticeWorkflowView.as_view())
workflow_results = _admin_view(PracticeWorkflowView.as_view(results_only=True))
