"""The agency dashboard lists every practice with its figures in constant queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practices.models import PracticeHostname
from tests.factories import PracticeFactory, UserFactory, editor_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency_user(db):
    from django.contrib.auth.models import Group

    from practices.services.permissions import AGENCY_STAFF_GROUP

    return UserFactory(groups=[Group.objects.get(name=AGENCY_STAFF_GROUP)])


def dashboard_queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_dashboard_query_count_is_constant_from_3_to_50_practices(client, agency_user) -> None:
    practices = [PracticeFactory() for _ in range(3)]
    for practice in practices:
        PracticeHostname.objects.create(practice=practice, hostname=f"www.{practice.slug}.test")
    client.force_login(agency_user)
    url = reverse("practices:index") + "?ordering=-page_count"
    dashboard_queries(client, url)  # warm per-process caches (content types, settings)
    small, small_html = dashboard_queries(client, url)

    practices += [PracticeFactory() for _ in range(47)]
    for practice in practices[3:]:
        PracticeHostname.objects.create(practice=practice, hostname=f"www.{practice.slug}.test")
    large, large_html = dashboard_queries(client, url)

    assert small == large, f"{small} queries with 3 practices, {large} with 50"
    assert "3 practices" in small_html
    assert "50 practices" in large_html
    rows = re.findall(r'<a href="/admin/practices/edit/\d+/">\s*(.*?)\s*</a>', large_html)
    assert len(rows) == 50
    assert f"www.{practices[-1].slug}.test" in large_html
    # 8 pages per provisioned practice (home, services, team, locations and its draft
    # office, blog, privacy, contact), no posts,
    # no leads: pages, posts, leads, awaiting, failed.
    assert re.findall(r"<td >\s*(\d+)\s*</td>", large_html)[:5] == ["8", "0", "0", "0", "0"]


def test_dashboard_counts_posts_of_the_last_30_days(client, agency_user) -> None:
    from blog.models import BlogIndexPage
    from tests.blog.factories import make_post

    practice = PracticeFactory(name="Counting Clinic")
    blog = BlogIndexPage.objects.descendant_of(practice.site.root_page).get()
    make_post(blog, title="Recent", days_ago=3)
    make_post(blog, title="Old", days_ago=45)
    make_post(blog, title="Draft", days_ago=1, publish=False)
    client.force_login(agency_user)
    html = client.get(reverse("practices:index")).content.decode()
    row = html[html.index("Counting Clinic") :]
    assert re.findall(r"<td >\s*(\d+)\s*</td>", row)[:2] == ["11", "1"]


def test_dashboard_counts_leads_by_delivery_status(client, agency_user) -> None:
    from wagtail.contrib.forms.models import FormSubmission

    from demo_requests.models import DemoRequestPage, Lead

    practice = PracticeFactory(name="Leads Clinic")
    form_page = DemoRequestPage.objects.descendant_of(practice.site.root_page).get()
    for number, status in enumerate(["pending", "pending", "failed", "delivered"]):
        submission = FormSubmission.objects.create(page=form_page, form_data={"n": number})
        Lead.objects.create(
            practice=practice, form_page=form_page, submission=submission,
            idempotency_key=f"{number:032x}", status=status,
        )  # fmt: skip
    client.force_login(agency_user)
    html = client.get(reverse("practices:index")).content.decode()
    row = html[html.index("Leads Clinic") :]
    # pages, posts, leads (30 days), awaiting delivery, failed delivery
    assert re.findall(r"<td >\s*(\d+)\s*</td>", row)[:5] == ["8", "0", "4", "2", "1"]


def test_dashboard_search_filter_and_sort(client, agency_user) -> None:
    PracticeFactory(name="Riverside Family Medicine", slug="riverside", hostname="riverside.test")
    PracticeFactory(
        name="Lakeside Dental", slug="lakeside", hostname="lakeside.test", status="onboarding"
    )
    client.force_login(agency_user)

    found = client.get(reverse("practices:index") + "?q=riverside").content.decode()
    assert "Riverside Family Medicine" in found
    assert "Lakeside Dental" not in found

    onboarding = client.get(reverse("practices:index") + "?status=onboarding").content.decode()
    assert "Lakeside Dental" in onboarding
    assert "Riverside Family Medicine" not in onboarding

    page = client.get(reverse("practices:index") + "?ordering=-name").content.decode()
    by_name_desc = page[page.index('<table class="listing') :]
    assert by_name_desc.index("Riverside Family Medicine") < by_name_desc.index("Lakeside Dental")


def test_practice_editors_cannot_open_the_dashboard(client) -> None:
    practice = PracticeFactory()
    client.force_login(editor_of(practice))
    response = client.get(reverse("practices:index"))
    # Wagtail's permission denial: back to the admin home, with its message.
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    home = client.get(response["Location"]).content.decode()
    assert "you do not have permission to access this area" in home
    assert (
        practice.name
        not in client.get(reverse("wagtailadmin_home")).content.decode().split("<main")[0]
    )
