"""Delete and Move stay exactly as Wagtail allows them (practices/page_permissions.py
answers without a query per row): an editor without publish permission may delete or
move only pages whose whole subtree is unpublished; a moderator may."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page, PagePermissionTester

from blog.models import BlogIndexPage
from practices.models import StandardPage
from practices.page_permissions import ListingPagePermissionTester, annotate_subtree_live
from tests.blog.factories import make_post
from tests.factories import PracticeFactory, UserFactory, editor_of, moderator_of

pytestmark = pytest.mark.django_db


def standard_page(parent, title: str, *, live: bool) -> StandardPage:
    page = StandardPage(title=title, live=False)
    parent.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    return StandardPage.objects.get(pk=page.pk)


@pytest.fixture
def tree():
    """Under the home: a live post and a draft post in the blog; a draft page with a
    live child (its subtree is live) and a draft page with a draft child (it is not)."""
    practice = PracticeFactory(name="Permission Clinic", slug="perm", hostname="perm.test")
    home = practice.site.root_page.specific
    blog = BlogIndexPage.objects.descendant_of(home).get()
    live_post = make_post(blog, title="Live advice")
    draft_post = make_post(blog, title="Draft advice", publish=False)
    covers_live = standard_page(home, "Draft with live child", live=False)
    standard_page(covers_live, "Live child", live=True)
    covers_drafts = standard_page(home, "Draft with draft child", live=False)
    standard_page(covers_drafts, "Draft child", live=False)
    return {
        "practice": practice,
        "home": home,
        "blog": blog,
        "pages": {
            "live post": live_post,
            "draft post": draft_post,
            "draft with live child": covers_live,
            "draft with draft child": covers_drafts,
            "blog": blog,
        },
    }


def answers(tester_class, user, page) -> tuple[bool, bool]:
    tester = tester_class(user, page)
    return tester.can_delete(), tester.can_move()


@pytest.mark.parametrize("role", ["editor", "moderator", "owner-editor", "inactive"])
def test_delete_and_move_are_wagtails_answers(tree, role) -> None:
    practice = tree["practice"]
    user = {
        "editor": lambda: editor_of(practice),
        "moderator": lambda: moderator_of(practice),
        "owner-editor": lambda: editor_of(practice),
        "inactive": lambda: editor_of(practice, is_active=False),
    }[role]()
    if role == "owner-editor":  # the "add"-only rules look at the owner
        Page.objects.filter(pk__in=[p.pk for p in tree["pages"].values()]).update(owner=user)
    annotated = {
        page.pk: page
        for page in annotate_subtree_live(Page.objects.descendant_of(tree["home"]).specific())
    }
    for label, page in tree["pages"].items():
        fresh = Page.objects.get(pk=page.pk).specific
        expected = answers(PagePermissionTester, user, fresh)
        assert answers(ListingPagePermissionTester, user, fresh) == expected, label
        assert answers(ListingPagePermissionTester, user, annotated[page.pk]) == expected, label
        # The page types hand out the listing tester.
        assert isinstance(fresh.permissions_for_user(user), ListingPagePermissionTester)


def test_an_editor_never_gets_delete_or_move_for_a_live_subtree(tree) -> None:
    editor = editor_of(tree["practice"])
    expected = {
        # (can delete, can move)
        "live post": (False, False),
        "draft post": (True, True),
        "draft with live child": (False, False),  # a page with children: no bulk delete
        "draft with draft child": (False, True),
        "blog": (False, False),
    }
    for label, page in tree["pages"].items():
        assert answers(ListingPagePermissionTester, editor, page) == expected[label], label


def test_the_explorer_shows_an_editor_delete_and_move_only_where_allowed(client, tree) -> None:
    pages = tree["pages"]
    client.force_login(editor_of(tree["practice"]))
    blog = client.get(reverse("wagtailadmin_explore", args=[tree["blog"].pk])).content.decode()
    home = client.get(reverse("wagtailadmin_explore", args=[tree["home"].pk])).content.decode()

    def shown(html: str, action: str, page) -> bool:
        return reverse(f"wagtailadmin_pages:{action}", args=[page.pk]) in html

    assert shown(blog, "delete", pages["draft post"])
    assert shown(blog, "move", pages["draft post"])
    assert not shown(blog, "delete", pages["live post"])
    assert not shown(blog, "move", pages["live post"])
    assert not shown(home, "move", pages["draft with live child"])
    assert shown(home, "move", pages["draft with draft child"])


def test_the_explorer_asks_nothing_per_row_with_children(client, tree) -> None:
    """Rows with children are answered by the listing's own query (the annotation)."""
    client.force_login(editor_of(tree["practice"]))
    url = reverse("wagtailadmin_explore", args=[tree["home"].pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(3):
        parent = standard_page(tree["home"], f"Section {n}", live=False)
        standard_page(parent, f"Section {n} child", live=n % 2 == 0)
    client.get(url)
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert "Section 2" in response.content.decode()
    assert len(after) == len(before), [q["sql"][:120] for q in after.captured_queries]


def test_a_superuser_keeps_every_button(tree) -> None:
    admin = UserFactory(is_superuser=True)
    for label, page in tree["pages"].items():
        assert answers(ListingPagePermissionTester, admin, page) == (True, True), label
