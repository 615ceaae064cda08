"""The leads inbox: practice isolation, filters, search, detail, CSV export, read-only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from demo_requests.models import Lead
from practices.services.permissions import AGENCY_STAFF_GROUP
from tests.demo_requests.conftest import make_lead
from tests.factories import UserFactory, editor_of, moderator_of

pytestmark = pytest.mark.django_db
INDEX = "/admin/leads/"


@pytest.fixture
def leads(practice, other_practice):
    return {
        "a": make_lead(practice, "alice@a.test", message="Knee pain"),
        "a2": make_lead(practice, "amy@a.test"),
        "b": make_lead(other_practice, "bob@b.test", message="B's secret"),
    }


@pytest.fixture(params=["editor", "moderator"])
def a_user(request, practice):
    return editor_of(practice) if request.param == "editor" else moderator_of(practice)


def test_practice_users_list_only_their_leads(client, leads, a_user) -> None:
    client.force_login(a_user)
    response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "alice@a.test" in html
    assert "amy@a.test" in html
    assert "bob@b.test" not in html
    assert "Bravo" not in html  # no practice column, no other practice's form pages
    results = client.get(INDEX + "results/?q=bob@b.test").content.decode()
    assert "bob@b.test" not in results


def test_another_practices_lead_detail_is_404(client, leads, a_user) -> None:
    client.force_login(a_user)
    assert client.get(reverse("leads:inspect", args=[leads["b"].pk])).status_code == 404
    own = client.get(reverse("leads:inspect", args=[leads["a"].pk]))
    assert own.status_code == 200
    html = own.content.decode()
    assert "alice@a.test" in html
    assert "Knee pain" in html
    assert "+15125550100" in html


def test_csv_export_holds_only_own_leads(client, leads, a_user) -> None:
    client.force_login(a_user)
    response = client.get(INDEX + "?export=csv")
    assert response.status_code == 200
    assert "leads.csv" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    lines = body.strip().splitlines()
    assert lines[0].startswith("Lead,Received,Practice,Form page,Status,Name,Email,Phone,Message")
    assert len(lines) == 3
    assert "alice@a.test" in body
    assert "Knee pain" in body
    assert "bob@b.test" not in body
    assert "B's secret" not in body


def test_the_inbox_is_read_only(client, leads, a_user) -> None:
    client.force_login(a_user)
    for path in ("new/", f"edit/{leads['a'].pk}/", f"delete/{leads['a'].pk}/"):
        assert client.get(INDEX + path).status_code == 404
        assert client.post(INDEX + path, {"status": "delivered"}).status_code in (403, 404)
    assert Lead.objects.count() == 3


def test_search_by_email_and_submission_id(client, leads, practice) -> None:
    client.force_login(editor_of(practice))
    html = client.get(INDEX + "results/?q=alice@").content.decode()
    assert "alice@a.test" in html
    assert "amy@a.test" not in html
    submission_id = leads["a2"].submission_id
    html = client.get(INDEX + f"results/?q={submission_id}").content.decode()
    assert "amy@a.test" in html
    assert "alice@a.test" not in html


def test_filters(client, leads, practice) -> None:
    Lead.objects.filter(pk=leads["a2"].pk).update(status=Lead.Status.FAILED)
    client.force_login(editor_of(practice))
    html = client.get(INDEX + "results/?status=failed").content.decode()
    assert "amy@a.test" in html
    assert "alice@a.test" not in html
    page_id = leads["a"].form_page_id
    html = client.get(INDEX + f"results/?form_page={page_id}").content.decode()
    assert "alice@a.test" in html
    html = client.get(INDEX + "results/?created_at_from=2000-01-01&created_at_to=2000-01-02")
    assert "alice@a.test" not in html.content.decode()
    # The form page filter offers only the user's own pages.
    b_page = leads["b"].form_page_id
    response = client.get(INDEX + f"results/?form_page={b_page}")
    assert "bob@b.test" not in response.content.decode()


def test_agency_staff_see_all_with_a_practice_column(client, leads) -> None:
    staff = UserFactory(groups=[Group.objects.get(name=AGENCY_STAFF_GROUP)])
    client.force_login(staff)
    html = client.get(INDEX).content.decode()
    assert "alice@a.test" in html
    assert "bob@b.test" in html
    assert "Practice" in html
    assert "Bravo" in html
    assert client.get(reverse("leads:inspect", args=[leads["b"].pk])).status_code == 200
    body = b"".join(client.get(INDEX + "?export=csv").streaming_content).decode()
    assert len(body.strip().splitlines()) == 4


def test_users_without_a_practice_are_refused(client, leads) -> None:
    from django.contrib.auth.models import Permission

    nobody = UserFactory()
    nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(nobody)
    response = client.get(INDEX)
    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    home = client.get(response["Location"]).content.decode()
    assert "you do not have permission to access this area" in home
    # Out of scope (inbox.leads_in_scope): the lead does not exist for this user.
    assert client.get(reverse("leads:inspect", args=[leads["a"].pk])).status_code == 404


def test_lead_detail_shows_deliveries_and_staff_reach_retry_now(client, practice) -> None:
    from demo_requests.models import LeadDelivery

    lead = make_lead(practice)
    LeadDelivery.objects.create(lead=lead, destination="webhook", status="failed", attempts=3)
    url = reverse("leads:inspect", args=[lead.pk])

    client.force_login(editor_of(practice))
    editor_view = client.get(url).content.decode()
    assert "Delivery: " in editor_view
    assert "(3 attempt(s))" in editor_view
    assert "Retry now" not in editor_view

    client.force_login(UserFactory(groups=[Group.objects.get(name=AGENCY_STAFF_GROUP)]))
    staff_view = client.get(url).content.decode()
    assert reverse("demo_requests_lead_deliveries", args=[lead.pk]) in staff_view
    attempts_page = client.get(reverse("demo_requests_lead_deliveries", args=[lead.pk]))
    assert "Retry now" in attempts_page.content.decode()
