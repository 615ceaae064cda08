"""Each practice manages only its own site's redirects."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect

from practices.services.permissions import AGENCY_STAFF_GROUP
from tests.factories import PracticeFactory, UserFactory, editor_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(db):
    a = PracticeFactory(name="Alpha Care", slug="alpha", hostname="alpha.example.test")
    b = PracticeFactory(name="Bravo Skin", slug="bravo", hostname="bravo.example.test")
    a_redirect = Redirect.objects.create(
        old_path="/old-a", site=a.site, redirect_link="https://a.example.test/"
    )
    b_redirect = Redirect.objects.create(
        old_path="/old-bravo", site=b.site, redirect_link="https://b.example.test/"
    )
    return a, b, a_redirect, b_redirect


def test_editor_lists_and_edits_only_own_redirects(client, setup) -> None:
    a, _, a_redirect, b_redirect = setup
    client.force_login(editor_of(a))

    listing = client.get(reverse("practice_redirects:index")).content.decode()
    assert "/old-a" in listing
    assert "/old-bravo" not in listing
    assert client.get(reverse("practice_redirects:edit", args=[a_redirect.pk])).status_code == 200
    assert client.get(reverse("practice_redirects:edit", args=[b_redirect.pk])).status_code == 404
    response = client.post(reverse("practice_redirects:delete", args=[b_redirect.pk]))
    assert response.status_code == 404
    assert Redirect.objects.filter(pk=b_redirect.pk).exists()


def test_editor_creates_a_redirect_for_own_site_only(client, setup) -> None:
    a, b, _, _ = setup
    client.force_login(editor_of(a))
    form = {"old_path": "/new-services", "is_permanent": "on", "redirect_link": "https://x.test/"}

    refused = client.post(reverse("practice_redirects:add"), {**form, "site": b.site_id})
    assert "Select a valid choice" in refused.content.decode()
    assert not Redirect.objects.filter(old_path="/new-services").exists()

    client.post(reverse("practice_redirects:add"), {**form, "site": a.site_id})
    assert Redirect.objects.get(old_path="/new-services").site_id == a.site_id
    served = client.get("/new-services", HTTP_HOST="alpha.example.test")
    assert served.status_code == 301
    assert served["Location"] == "https://x.test/"
    assert client.get("/new-services/", HTTP_HOST="bravo.example.test").status_code == 404


def test_agency_staff_see_every_redirect(client, setup) -> None:
    staff = UserFactory(groups=[Group.objects.get(name=AGENCY_STAFF_GROUP)])
    client.force_login(staff)
    listing = client.get(reverse("practice_redirects:index")).content.decode()
    assert "/old-a" in listing
    assert "/old-bravo" in listing
