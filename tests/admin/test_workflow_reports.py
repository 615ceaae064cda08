"""The workflow reports (practices/workflow_reports.py) show what Wagtail's show: each
row's tasks with their status, read for the whole page at once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import WorkflowState

from blog.models import BlogIndexPage
from practices.services.permissions import AGENCY_STAFF_GROUP
from practices.workflow_reports import tasks_with_status
from tests.blog.factories import make_post
from tests.factories import PracticeFactory, UserFactory, editor_of, moderator_of

pytestmark = pytest.mark.django_db


def submitted(practice, title: str) -> WorkflowState:
    blog = BlogIndexPage.objects.descendant_of(practice.site.root_page).get()
    post = make_post(blog, title=title, publish=False)
    return post.get_workflow().start(post, editor_of(practice))


def shown(task) -> tuple:
    return task.pk, task.name, task.status, str(task.status_display)


def test_each_rows_tasks_and_statuses_are_wagtails() -> None:
    alpha = PracticeFactory(name="Alpha Care", slug="alpha")
    bravo = PracticeFactory(name="Bravo Skin", slug="bravo")
    submitted(alpha, "Waiting post")
    approved = submitted(alpha, "Approved post")
    approved.current_task_state.approve(user=moderator_of(alpha))
    rejected = submitted(bravo, "Rejected post")
    rejected.current_task_state.reject(user=moderator_of(bravo))
    # Rejected, then resubmitted: two states of one task, the latest counts.
    resubmitted = submitted(bravo, "Resubmitted post")
    resubmitted.current_task_state.reject(user=moderator_of(bravo))
    WorkflowState.objects.get(pk=resubmitted.pk).resume(user=editor_of(bravo))
    states = list(WorkflowState.objects.all())
    assert len(states) == 4
    found = tasks_with_status(states)
    for state in states:
        expected = [shown(task) for task in state.all_tasks_with_status()]
        assert [shown(task) for task in found[state.pk]] == expected
    assert {shown(t)[2] for s in states for t in found[s.pk]} >= {"approved", "rejected"}


def test_the_workflows_report_shows_each_rows_task_status(client) -> None:
    alpha = PracticeFactory(name="Alpha Care", slug="alpha")
    for n in range(3):
        submitted(alpha, f"Post {n}")
    client.force_login(UserFactory(groups=[Group.objects.get(name=AGENCY_STAFF_GROUP)]))
    url = reverse("wagtailadmin_reports:workflow")
    client.get(url)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert all(f"Post {n}" in html for n in range(3))
    assert "Alpha Care approval: In progress" in html  # the task's tooltip and status
