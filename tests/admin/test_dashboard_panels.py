"""The dashboard's "Awaiting your review" panel (practices/admin_panels.py): each
practice's moderators see their own practice's pages in moderation, nobody else's,
in a number of queries that does not grow with the number of practices; and a
practice user's dashboard reads nothing of another practice (issue 18 item 2)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog.models import BlogIndexPage
from practices.models import Practice
from tests.blog.factories import make_post
from tests.factories import PracticeFactory, editor_of, moderator_of

pytestmark = pytest.mark.django_db


def submit_for_review(practice, title: str):
    blog = BlogIndexPage.objects.descendant_of(practice.site.root_page).get()
    post = make_post(blog, title=title, publish=False)
    post.get_workflow().start(post, editor_of(practice))
    return post


def dashboard(client, user) -> tuple[int, str]:
    client.force_login(user)
    client.get(reverse("wagtailadmin_home"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_moderators_see_only_their_practice_pages_awaiting_review(client) -> None:
    alpha = PracticeFactory(name="Alpha Care", slug="alpha")
    bravo = PracticeFactory(name="Bravo Skin", slug="bravo")
    submit_for_review(alpha, "Alpha flu shots")
    submit_for_review(bravo, "Bravo sun care")
    alpha_moderator = moderator_of(alpha)

    small, html = dashboard(client, alpha_moderator)
    assert "Awaiting your review" in html
    assert "Alpha flu shots" in html
    assert "Bravo sun care" not in html
    _, bravo_html = dashboard(client, moderator_of(bravo))
    assert "Bravo sun care" in bravo_html
    assert "Alpha flu shots" not in bravo_html

    for number in range(8):
        submit_for_review(PracticeFactory(slug=f"more-{number}"), f"Other post {number}")
    large, html = dashboard(client, alpha_moderator)
    assert "Alpha flu shots" in html
    assert "Other post" not in html
    assert large == small, f"{small} queries with 2 practices, {large} with 10"


# Columns through which a query names a group, workflow, task or page by id.
ID_COLUMNS = {
    "group": ('"auth_group"."id"', '"group_id"', '"editors_group_id"', '"moderators_group_id"'),
    "workflow": ('"wagtailcore_workflow"."id"', '"workflow_id"'),
    "task": ('"wagtailcore_task"."id"', '"task_id"', '"groupapprovaltask_id"', '"task_ptr_id"'),
    "page": ('"wagtailcore_page"."id"', '"page_id"', '"object_id"'),
}


def named_ids(sql: str, columns: tuple[str, ...]) -> set[int]:
    """The ids a query compares these columns with (`= 12`, `IN (12, 13)`)."""
    found: set[int] = set()
    for column in columns:
        pattern = re.escape(column) + r"\)?(?:::\w+)?\s*(?:=\s*'?(\d+)|IN\s*\(([\d,\s']+)\))"
        for match in re.finditer(pattern, sql):
            found |= {int(n) for n in re.findall(r"\d+", match.group(1) or match.group(2))}
    return found


def compared_paths(sql: str) -> set[tuple[str, str]]:
    """(table, path) for each tree path a query compares with (`LIKE '0001%'`, `= '0001'`),
    the table found through its alias (`"wagtailcore_page" U0`) where one is used."""
    found = set()
    pattern = r'([\w"]+)\."path"(?:::text)?\s*(?:LIKE|=)\s*\'(\w+)'
    for alias, path in re.findall(pattern, sql):
        table = alias.strip('"')
        aliased = re.search(rf'"(\w+)" {re.escape(alias)}\b', sql)
        found.add((aliased.group(1) if aliased else table, path))
    return found


def other_practice_ids(practice: Practice) -> dict[str, set[int]]:
    from wagtail.models import Page, Task, Workflow

    home, name = practice.site.root_page, practice.name
    return {
        "group": {practice.editors_group_id, practice.moderators_group_id},
        "workflow": set(
            Workflow.objects.filter(name__startswith=name).values_list("pk", flat=True)
        ),
        "task": set(Task.objects.filter(name__startswith=name).values_list("pk", flat=True)),
        "page": set(Page.objects.descendant_of(home, inclusive=True).values_list("pk", flat=True)),
    }


@pytest.mark.parametrize("role", [editor_of, moderator_of], ids=["editor", "moderator"])
def test_a_practice_users_dashboard_reads_nothing_of_another_practice(client, role) -> None:
    alpha = PracticeFactory(name="Alpha Care", slug="alpha")
    bravo = PracticeFactory(name="Bravo Skin", slug="bravo")
    submit_for_review(alpha, "Alpha flu shots")
    submit_for_review(bravo, "Bravo sun care")
    bravo_ids = other_practice_ids(bravo)
    assert all(bravo_ids.values()), bravo_ids  # each kind exists, so the check can fail
    bravo_trees = {
        ("wagtailcore_page", bravo.site.root_page.path),
        ("wagtailcore_collection", bravo.collection.path),
    }

    client.force_login(role(alpha))
    client.get(reverse("wagtailadmin_home"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert "Bravo" not in response.content.decode()
    problems, seen_own = [], {"page path": False, "group": False}
    alpha_groups = other_practice_ids(alpha)["group"]
    for query in queries.captured_queries:
        sql = query["sql"]
        for kind, columns in ID_COLUMNS.items():
            if named_ids(sql, columns) & bravo_ids[kind]:
                problems.append(f"names Bravo's {kind}: {sql[:300]}")
        seen_own["group"] |= bool(named_ids(sql, ID_COLUMNS["group"]) & alpha_groups)
        for table, path in compared_paths(sql):
            seen_own["page path"] |= table == "wagtailcore_page" and path.startswith(
                alpha.site.root_page.path
            )
            if any(table == t and path.startswith(p) for t, p in bravo_trees):
                problems.append(f"reads Bravo's {table} {path}: {sql[:300]}")
    assert not problems, "\n".join(problems)
    # The checks do see what the queries name: the practice's own tree and groups.
    assert all(seen_own.values()), seen_own
