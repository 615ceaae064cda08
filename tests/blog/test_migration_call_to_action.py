"""blog 0006 grants existing practices' moderators the new post call-to-action
setting on their own site (new practices get it from provisioning), run on real rows."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from wagtail.models import GroupSitePermission

from tests.factories import PracticeFactory, editor_of, moderator_of

pytestmark = pytest.mark.django_db
MIGRATION = importlib.import_module("blog.migrations.0006_post_audience_and_call_to_action")


def grants() -> set[tuple[int, int]]:
    rows = GroupSitePermission.objects.filter(permission__codename="change_blogsettings")
    return set(rows.values_list("group_id", "site_id"))


def test_existing_moderators_get_the_setting_on_their_own_site_only(client) -> None:
    alpha = PracticeFactory(slug="alpha", hostname="alpha.test")
    bravo = PracticeFactory(slug="bravo", hostname="bravo.test")
    # As before the migration: practices provisioned without the permission.
    GroupSitePermission.objects.filter(permission__codename="change_blogsettings").delete()
    moderator = moderator_of(alpha)
    client.force_login(moderator)
    url = reverse("wagtailsettings:edit", args=["blog", "blogsettings", alpha.site_id])
    assert client.get(url).status_code != 200

    MIGRATION.grant_call_to_action_setting(apps, None)
    MIGRATION.grant_call_to_action_setting(apps, None)  # idempotent

    assert grants() == {
        (alpha.moderators_group_id, alpha.site_id),
        (bravo.moderators_group_id, bravo.site_id),
    }
    assert client.get(url).status_code == 200
    other = reverse("wagtailsettings:edit", args=["blog", "blogsettings", bravo.site_id])
    assert client.get(other).status_code != 200
    client.force_login(editor_of(alpha))
    assert client.get(url).status_code != 200  # editors change posts, not the CTA
