"""Isolation matrix: an editor (and a moderator) of practice A tries every way into
practice B's objects and gets nothing: 403, or B is simply not listed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.models import Page

from practices.models import PracticeSettings
from tests.factories import UserFactory
from tests.practices.isolation_fixtures import build_tenant

pytestmark = pytest.mark.django_db

# (label, url builder taking B's tenant, method)
DENIED = [
    ("explore B's tree", lambda b: reverse("wagtailadmin_explore", args=[b.home.pk])),
    ("edit B's page", lambda b: reverse("wagtailadmin_pages:edit", args=[b.page.pk])),
    ("delete B's page", lambda b: reverse("wagtailadmin_pages:delete", args=[b.page.pk])),
    ("unpublish B's page", lambda b: reverse("wagtailadmin_pages:unpublish", args=[b.page.pk])),
    ("preview B's page", lambda b: reverse("wagtailadmin_pages:preview_on_edit", args=[b.page.pk])),
    ("B's page history", lambda b: reverse("wagtailadmin_pages:history", args=[b.page.pk])),
    ("copy B's page", lambda b: reverse("wagtailadmin_pages:copy", args=[b.page.pk])),
    ("move B's page", lambda b: reverse("wagtailadmin_pages:move", args=[b.page.pk])),
    (
        "move confirm naming B's page",
        lambda b: reverse("wagtailadmin_pages:move_confirm", args=[b.page.pk, b.home.pk]),
    ),
    (
        "compare B's revisions",
        lambda b: reverse(
            "wagtailadmin_pages:revisions_compare", args=[b.page.pk, "earliest", "latest"]
        ),
    ),
    (
        "B's workflow history",
        lambda b: reverse("wagtailadmin_pages:workflow_history", args=[b.page.pk]),
    ),
    (
        "page chooser inside B",
        lambda b: reverse("wagtailadmin_choose_page_child", args=[b.home.pk]),
    ),
    (
        "page chooser chosen B",
        lambda b: reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={b.page.pk}",
    ),
    ("admin API: B's page", lambda b: f"/admin/api/main/pages/{b.page.pk}/"),
    ("admin API: images", lambda b: "/admin/api/main/images/"),
    ("admin API: B's image", lambda b: f"/admin/api/main/images/{b.image.pk}/"),
    ("admin API: documents", lambda b: "/admin/api/main/documents/"),
    ("admin API: B's document", lambda b: f"/admin/api/main/documents/{b.document.pk}/"),
    ("bulk delete B's page", lambda b: f"/admin/bulk/wagtailcore/page/delete/?id={b.page.pk}"),
    ("bulk delete B's image", lambda b: f"/admin/bulk/wagtailimages/image/delete/?id={b.image.pk}"),
    (
        "bulk delete B's document",
        lambda b: f"/admin/bulk/wagtaildocs/document/delete/?id={b.document.pk}",
    ),
    ("edit B's image", lambda b: reverse("wagtailimages:edit", args=[b.image.pk])),
    ("delete B's image", lambda b: reverse("wagtailimages:delete", args=[b.image.pk])),
    ("B's image usage", lambda b: reverse("wagtailimages:image_usage", args=[b.image.pk])),
    ("choose B's image", lambda b: reverse("wagtailimages_chooser:chosen", args=[b.image.pk])),
    (
        "choose B's image (multiple)",
        lambda b: reverse("wagtailimages_chooser:chosen_multiple") + f"?id={b.image.pk}",
    ),
    ("edit B's document", lambda b: reverse("wagtaildocs:edit", args=[b.document.pk])),
    ("delete B's document", lambda b: reverse("wagtaildocs:delete", args=[b.document.pk])),
    ("choose B's document", lambda b: reverse("wagtaildocs_chooser:chosen", args=[b.document.pk])),
    (
        "B's form submissions",
        lambda b: reverse("wagtailforms:list_submissions", args=[b.form_page.pk]),
    ),
    (
        "export B's submissions",
        lambda b: reverse("wagtailforms:list_submissions", args=[b.form_page.pk]) + "?export=csv",
    ),
    (
        "delete B's submissions",
        lambda b: (
            reverse("wagtailforms:delete_submissions", args=[b.form_page.pk])
            + f"?selected-submissions={b.submission.pk}"
        ),
    ),
    (
        "B's practice settings",
        lambda b: reverse(
            "wagtailsettings:edit", args=["practices", "practicesettings", b.site_id]
        ),
    ),
    (
        "B's brand settings",
        lambda b: reverse("wagtailsettings:edit", args=["practices", "brandsettings", b.site_id]),
    ),
    ("page types report", lambda b: reverse("wagtailadmin_reports:page_types_usage")),
    ("locked pages report", lambda b: reverse("wagtailadmin_reports:locked_pages")),
    ("workflows report", lambda b: reverse("wagtailadmin_reports:workflow")),
    # Served by practices.workflow_reports under names of its own.
    ("workflow tasks report", lambda b: reverse("wagtailadmin_reports:workflow_tasks")),
    (
        "workflow tasks results",
        lambda b: reverse("wagtailadmin_reports:workflow_tasks_results"),
    ),
    ("users", lambda b: reverse("wagtailusers_users:index")),
    ("sites", lambda b: reverse("wagtailsites:index")),
]

# (label, url) screens A may open that must not mention B's objects.
LISTINGS = [
    ("explorer root", lambda b: reverse("wagtailadmin_explore_root")),
    ("page search", lambda b: reverse("wagtailadmin_pages:search") + "?q=privacy"),
    ("page chooser", lambda b: reverse("wagtailadmin_choose_page")),
    ("page chooser search", lambda b: reverse("wagtailadmin_choose_page_search") + "?q=privacy"),
    ("image listing", lambda b: reverse("wagtailimages:index")),
    ("image search", lambda b: reverse("wagtailimages:index") + "?q=portrait"),
    ("image chooser", lambda b: reverse("wagtailimages_chooser:choose")),
    (
        "image chooser search",
        lambda b: reverse("wagtailimages_chooser:choose_results") + "?q=portrait",
    ),
    ("document listing", lambda b: reverse("wagtaildocs:index")),
    ("document chooser", lambda b: reverse("wagtaildocs_chooser:choose")),
    ("form pages", lambda b: reverse("wagtailforms:index")),
    ("site history", lambda b: reverse("wagtailadmin_reports:site_history")),
    ("aging pages", lambda b: reverse("wagtailadmin_reports:aging_pages")),
    (
        "settings (no site given)",
        lambda b: reverse("wagtailsettings:edit", args=["practices", "practicesettings"]),
    ),
    ("admin API pages", lambda b: "/admin/api/main/pages/?limit=20"),
    ("admin API page search", lambda b: "/admin/api/main/pages/?search=privacy&limit=20"),
    ("dashboard", lambda b: reverse("wagtailadmin_home")),
]


@pytest.fixture
def tenants(db):
    return build_tenant("Alpha Family Care", "alpha", "Alpine"), build_tenant(
        "Bravo Dermatology", "bravo", "Bravo"
    )


@pytest.fixture(params=["editor", "moderator"])
def a_user(request, tenants):
    return getattr(tenants[0], request.param)


def refusal_problem(response, label: str) -> str | None:
    """Why this response is not a refusal that keeps B's data hidden, or None."""
    body = response.content.decode().lower()
    if "bravo" in body:
        return f"{label}: response mentions practice B"
    if response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home"):
        return None  # Wagtail's own refusal: back to the dashboard with an error
    if response.status_code not in (403, 404):
        return f"{label}: status {response.status_code}"
    return None


def listing_problem(response, label: str) -> str | None:
    if response.status_code != 200:
        return f"{label}: status {response.status_code}"
    if "bravo" in response.content.decode().lower():
        return f"{label}: lists practice B"
    return None


# The matrix runs every URL in one test per role, reporting every failure at once:
# building two practices per URL would make it thirty times slower.
def test_practice_user_is_refused_every_b_object(client, tenants, a_user) -> None:
    _, b = tenants
    client.force_login(a_user)
    problems = [refusal_problem(client.get(url(b)), label) for label, url in DENIED]
    assert [p for p in problems if p] == []


def test_listings_never_mention_b(client, tenants, a_user) -> None:
    _, b = tenants
    client.force_login(a_user)
    problems = [listing_problem(client.get(url(b), follow=True), label) for label, url in LISTINGS]
    assert [p for p in problems if p] == []


def test_a_sees_its_own_objects_in_the_same_screens(client, tenants) -> None:
    a, _ = tenants
    client.force_login(a.moderator)
    images = client.get(reverse("wagtailimages:index")).content.decode()
    documents = client.get(reverse("wagtaildocs:index")).content.decode()
    chooser = client.get(reverse("wagtailadmin_choose_page")).content.decode()
    forms = client.get(reverse("wagtailforms:index"), follow=True).content.decode()
    settings_page = client.get(
        reverse("wagtailsettings:edit", args=["practices", "practicesettings", a.site_id])
    )
    assert "Alpine portrait" in images
    assert "Alpine leaflet" in documents
    assert "Alpha Family Care" in chooser
    assert "Request an appointment" in forms
    assert settings_page.status_code == 200
    assert 'value="Alpha Family Care"' in settings_page.content.decode()


def test_posting_to_b_objects_changes_nothing(client, tenants) -> None:
    a, b = tenants
    client.force_login(a.moderator)
    edit = client.post(
        reverse("wagtailadmin_pages:edit", args=[b.page.pk]),
        {"title": "Hijacked", "slug": "privacy", "action-publish": "publish"},
    )
    delete = client.post(reverse("wagtailadmin_pages:delete", args=[b.page.pk]))
    settings_post = client.post(
        reverse("wagtailsettings:edit", args=["practices", "practicesettings", b.site_id]),
        {"display_name": "Hijacked", "country": "US"},
    )
    image_delete = client.post(reverse("wagtailimages:delete", args=[b.image.pk]))
    problems = [
        refusal_problem(response, label)
        for label, response in [
            ("edit", edit),
            ("delete", delete),
            ("settings", settings_post),
            ("image delete", image_delete),
        ]
    ]
    assert [p for p in problems if p] == []
    assert Page.objects.get(pk=b.page.pk).title == "Bravo privacy"
    assert PracticeSettings.for_site(b.practice.site).display_name == "Bravo Dermatology"
    assert type(b.image).objects.filter(pk=b.image.pk).exists()


def test_tag_autocomplete_offers_only_own_tags(client, tenants) -> None:
    a, _ = tenants
    client.force_login(a.editor)
    mine = client.get("/admin/tag-autocomplete/?term=alpha").json()
    theirs = client.get("/admin/tag-autocomplete/?term=bravo").json()
    assert mine == ["alpha-staff"]
    assert theirs == []


def test_agency_staff_see_every_practice(client, tenants) -> None:
    from django.contrib.auth.models import Group

    from practices.services.permissions import AGENCY_STAFF_GROUP

    _a, b = tenants
    staff = UserFactory(groups=[Group.objects.get(name=AGENCY_STAFF_GROUP)])
    client.force_login(staff)
    images = client.get(reverse("wagtailimages:index")).content.decode()
    assert "Alpine portrait" in images
    assert "Bravo portrait" in images
    assert client.get(reverse("wagtailadmin_pages:edit", args=[b.page.pk])).status_code == 200
    tags = client.get("/admin/tag-autocomplete/?term=bravo").json()
    assert tags == ["bravo-staff"]
    settings_page = client.get(
        reverse("wagtailsettings:edit", args=["practices", "practicesettings", b.site_id])
    )
    assert settings_page.status_code == 200
