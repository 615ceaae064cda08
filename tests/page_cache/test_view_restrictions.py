"""A page made private is never served from the page cache (issue 17's defect)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from tests.page_cache.conftest import get

pytestmark = [pytest.mark.django_db]
SECRET = "We never sell them"  # in the privacy page's body (provisioning)


def privacy_page(practice) -> Page:
    return practice.site.root_page.get_children().get(slug="privacy")


def test_a_password_set_in_the_admin_replaces_the_cached_page(client, admin_client, alpha):
    page = privacy_page(alpha)
    assert get(client, "/privacy/")["X-Cache"] == "MISS"
    cached = get(client, "/privacy/")
    assert cached["X-Cache"] == "HIT"
    assert SECRET in cached.content.decode()

    # The admin's privacy dialog, as an editor submits it.
    answer = admin_client.post(
        reverse("wagtailadmin_pages:set_privacy", args=[page.pk]),
        {"restriction_type": "password", "password": "s3cret-pass", "groups": []},
    )
    assert answer.status_code == 200, answer.content[:500]
    assert PageViewRestriction.objects.filter(page=page).exists()

    response = get(client, "/privacy/")
    html = response.content.decode()
    assert response.status_code == 200
    assert response.get("X-Cache") != "HIT"
    assert 'name="password"' in html
    assert SECRET not in html


def test_restriction_changes_and_groups_of_a_restricted_page_take_effect(client, alpha):
    page = privacy_page(alpha)
    staff = Group.objects.create(name="Clinic staff")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret-pass"
    )
    assert 'name="password"' in get(client, "/privacy/").content.decode()

    restriction.delete()  # public again: the page itself, then cached
    get(client, "/privacy/")
    assert get(client, "/privacy/")["X-Cache"] == "HIT"

    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(staff)
    response = get(client, "/privacy/")
    assert response.status_code == 302  # to the login page
    assert "login" in response["Location"]

    # Its groups and its type change: still never the cached page.
    restriction.groups.remove(staff)
    assert get(client, "/privacy/").status_code == 302
    restriction.restriction_type = PageViewRestriction.PASSWORD
    restriction.password = "s3cret-pass"
    restriction.save()
    response = get(client, "/privacy/")
    html = response.content.decode()
    assert (response.status_code, 'name="password"' in html, SECRET in html) == (200, True, False)
    assert response.get("X-Cache") != "HIT"
