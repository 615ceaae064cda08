"""The dashboard's "Awaiting your review" panel (practices/admin_panels.py): each
practice's moderators see their own practice's pages in moderation, nobody else's,
in a number of queries that does not grow with the number of practices."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog.models import BlogIndexPage
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
