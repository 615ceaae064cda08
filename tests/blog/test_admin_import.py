"""The admin import screen: practice scoping, uploads, and the per-file report."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile

# Until blog/wagtail_hooks.py imports it, register the screen's hooks here (before
# the admin URLconf is first loaded).
from blog.models import BlogPostPage
from practices.services.permissions import AGENCY_STAFF_GROUP
from tests.factories import PracticeFactory, UserFactory, editor_of, moderator_of

URL = "/admin/blog/import/"
GOOD = b"---\npost_title: Open on Saturdays\ndate: 2024-02-01\npost_intro: New hours.\n---\n\nHi.\n"
BAD = b"---\npost_title: Broken\ndate: 2023-13-40\n---\n"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/markdown")


def titles(practice) -> list[str]:
    return sorted(p.title for p in BlogPostPage.objects.descendant_of(practice.site.root_page))


@pytest.fixture
def lakeside(db):
    return PracticeFactory(
        name="Lakeside Pediatrics", slug="lakeside", hostname="lakeside.example.test"
    )


@pytest.fixture
def staff(db):
    return UserFactory(groups=[Group.objects.get(name=AGENCY_STAFF_GROUP)])


def test_staff_upload_two_files_and_see_the_report(client, staff, riverside, lakeside):
    client.force_login(staff)
    page = client.get(URL).content.decode()
    assert "Riverside Family Medicine" in page
    assert "Lakeside Pediatrics" in page
    response = client.post(
        URL,
        {
            "practice": riverside.pk,
            "publish": "on",
            "files": [upload("open-saturdays.md", GOOD), upload("broken.md", BAD)],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Imported into Riverside Family Medicine: 1 created, 0 updated, 0 unchanged, 1 failed"
        in html
    )
    assert "open-saturdays.md" in html
    assert "created" in html
    assert "broken.md:3: date: not a valid date &#x27;2023-13-40&#x27;" in html
    assert "/tmp/" not in html
    assert titles(riverside) == ["Open on Saturdays"]
    assert BlogPostPage.objects.get(slug="open-saturdays").live
    assert titles(lakeside) == []


def test_zip_upload_with_dry_run_writes_nothing(client, staff, riverside):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.md", GOOD)
        archive.writestr("b.md", GOOD.replace(b"Saturdays", b"Sundays"))
    client.force_login(staff)
    response = client.post(
        URL,
        {
            "practice": riverside.pk,
            "dry_run": "on",
            "files": [SimpleUploadedFile("posts.zip", buffer.getvalue())],
        },
    )
    html = response.content.decode()
    assert "Dry run for Riverside Family Medicine: 2 created" in html
    assert "posts.zip/a.md" in html
    assert "posts.zip/b.md" in html
    assert titles(riverside) == []


def test_practice_user_sees_and_imports_only_their_practice(client, riverside, lakeside):
    editor = editor_of(riverside)
    client.force_login(editor)
    page = client.get(URL).content.decode()
    assert "Riverside Family Medicine" in page
    assert "Lakeside Pediatrics" not in page
    response = client.post(URL, {"practice": lakeside.pk, "files": [upload("x.md", GOOD)]})
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "Imported into" not in html
    assert titles(lakeside) == []
    assert titles(riverside) == []


def test_editor_imports_drafts_and_only_moderators_publish(client, riverside):
    client.force_login(editor_of(riverside))
    refused = client.post(
        URL, {"practice": riverside.pk, "publish": "on", "files": [upload("x.md", GOOD)]}
    )
    assert "Only the practice&#x27;s moderators can publish on import." in refused.content.decode()
    assert titles(riverside) == []
    drafted = client.post(URL, {"practice": riverside.pk, "files": [upload("x.md", GOOD)]})
    assert "1 created" in drafted.content.decode()
    post = BlogPostPage.objects.get(slug="x")
    assert not post.live
    client.force_login(moderator_of(riverside))
    client.post(URL, {"practice": riverside.pk, "publish": "on", "files": [upload("x.md", GOOD)]})
    post.refresh_from_db()
    assert post.live


def test_users_without_a_practice_are_refused_and_see_no_menu_item(client, staff, riverside):
    outsider = UserFactory()
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    # Wagtail turns the view's PermissionDenied into a redirect with a message.
    refused = client.get(URL, follow=True)
    assert refused.redirect_chain == [("/admin/", 302)]
    assert "Sorry, you do not have permission to access this area." in refused.content.decode()
    assert client.post(URL, {"files": [upload("x.md", GOOD)]}).status_code == 302
    assert "Import posts" not in client.get("/admin/").content.decode()
    client.force_login(staff)
    assert "Import posts" in client.get("/admin/").content.decode()
