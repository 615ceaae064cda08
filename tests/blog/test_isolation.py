"""Blog objects a practice owns (authors, post tags, posts) stay within it in the admin."""

from __future__ import annotations

import pytest
from django.urls import reverse

from blog.models import Author, BlogIndexPage
from tests.blog.factories import AuthorFactory, make_post
from tests.factories import PracticeFactory, editor_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(riverside, riverside_blog):
    bravo = PracticeFactory(name="Bravo Skin", slug="bravo", hostname="bravo.example.test")
    bravo_blog = BlogIndexPage.objects.descendant_of(bravo.site.root_page).get()
    mine = AuthorFactory(name="Dr. Alpha Own", practice=riverside)
    theirs = AuthorFactory(name="Dr. Bravo Secret", practice=bravo)
    shared = AuthorFactory(name="Agency Writer", practice=None)
    make_post(riverside_blog, title="Riverside post", tags=["riverside-topic"], author=mine)
    make_post(bravo_blog, title="Bravo post", tags=["bravo-topic"], author=theirs)
    return riverside, bravo, mine, theirs, shared


def test_authors_are_scoped_to_the_practice(client, setup) -> None:
    riverside, _bravo, mine, theirs, shared = setup
    client.force_login(editor_of(riverside))
    index = client.get(reverse("wagtailsnippets_blog_author:list")).content.decode()
    assert "Dr. Alpha Own" in index
    assert "Agency Writer" in index
    assert "Bravo" not in index
    assert (
        client.get(reverse("wagtailsnippets_blog_author:edit", args=[theirs.pk])).status_code == 404
    )
    assert (
        client.get(reverse("wagtailsnippets_blog_author:edit", args=[shared.pk])).status_code == 404
    )
    assert (
        client.get(reverse("wagtailsnippets_blog_author:edit", args=[mine.pk])).status_code == 200
    )
    response = client.post(reverse("wagtailsnippets_blog_author:delete", args=[theirs.pk]))
    assert response.status_code == 404
    assert Author.objects.filter(pk=theirs.pk).exists()


def test_author_chooser_offers_own_and_agency_authors_only(client, setup) -> None:
    riverside, _, _mine, theirs, _shared = setup
    client.force_login(editor_of(riverside))
    chooser = client.get(reverse("wagtailsnippetchoosers_blog_author:choose")).content.decode()
    assert "Dr. Alpha Own" in chooser
    assert "Agency Writer" in chooser
    assert "Bravo" not in chooser
    chosen = client.get(reverse("wagtailsnippetchoosers_blog_author:chosen", args=[theirs.pk]))
    assert chosen.status_code == 404


def test_new_author_can_only_belong_to_own_practice(client, setup) -> None:
    riverside, bravo, *_ = setup
    client.force_login(editor_of(riverside))
    add_url = reverse("wagtailsnippets_blog_author:add")
    refused = client.post(add_url, {"name": "Intruder", "practice": bravo.pk})
    assert "Select a valid choice" in refused.content.decode()
    assert not Author.objects.filter(name="Intruder").exists()
    client.post(add_url, {"name": "Nurse Kim", "practice": riverside.pk})
    assert Author.objects.get(name="Nurse Kim").practice_id == riverside.pk


def test_post_tags_in_autocomplete_are_scoped(client, setup) -> None:
    riverside, *_ = setup
    client.force_login(editor_of(riverside))
    assert client.get("/admin/tag-autocomplete/?term=riverside").json() == ["riverside-topic"]
    assert client.get("/admin/tag-autocomplete/?term=bravo").json() == []


def test_b_post_is_refused_in_the_admin(client, setup) -> None:
    riverside, bravo, *_ = setup
    client.force_login(editor_of(riverside))
    post = BlogIndexPage.objects.descendant_of(bravo.site.root_page).get().get_children().get()
    assert client.get(reverse("wagtailadmin_pages:edit", args=[post.pk])).status_code == 403
    search = client.get(reverse("wagtailadmin_pages:search") + "?q=post").content.decode()
    assert "Riverside post" in search
    assert "Bravo post" not in search
