"""Agency staff provision, suspend, archive and delete practices from the admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Collection, Page, Site

from practices.models import Practice, PracticeStatus
from practices.services.permissions import AGENCY_STAFF_GROUP
from tests.factories import ImageFactory, PracticeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(groups=[Group.objects.get(name=AGENCY_STAFF_GROUP)]))
    return client


FORM = {
    "name": "Harbor Pediatrics",
    "slug": "harbor",
    "hostname": "harbor.example.test",
    "aliases": "www.harbor.example.test, kids.harbor.example.test",
    "owner_email": "owner@harbor.example.test",
    "template": "pediatrics",
    "specialty": "",
    "timezone": "America/New_York",
    "status": "live",
}


def test_agency_staff_provision_a_practice_from_the_admin(staff_client) -> None:
    response = staff_client.post(reverse("practices:add"), FORM, follow=True)

    html = response.content.decode()
    practice = Practice.objects.get(slug="harbor")
    assert "Practice &#x27;Harbor Pediatrics&#x27; provisioned." in html
    assert (
        "Send the owner this password-set link: http://testserver/admin/password_reset/confirm/"
        in html
    )
    assert practice.specialty == "pediatrics"
    assert practice.timezone == "America/New_York"
    assert sorted(a.hostname for a in practice.aliases.all()) == [
        "kids.harbor.example.test",
        "www.harbor.example.test",
    ]
    assert staff_client.get("/", HTTP_HOST="harbor.example.test").status_code == 200


def test_admin_form_shows_the_service_error_on_its_field(staff_client) -> None:
    PracticeFactory(slug="taken", hostname="taken.example.test")
    before = Page.objects.count()
    response = staff_client.post(
        reverse("practices:add"), {**FORM, "hostname": "taken.example.test"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "&#x27;taken.example.test&#x27; is already used by another site." in html
    assert not Practice.objects.filter(slug="harbor").exists()
    assert Page.objects.count() == before


def test_status_change_in_the_admin_suspends_the_site(staff_client) -> None:
    practice = PracticeFactory(hostname="sus.example.test")
    staff_client.post(
        reverse("practices:edit", args=[practice.pk]),
        {"name": practice.name, "specialty": practice.specialty, "timezone": practice.timezone,
         "status": "suspended"},
    )  # fmt: skip
    assert Practice.objects.get(pk=practice.pk).status == PracticeStatus.SUSPENDED
    assert staff_client.get("/", HTTP_HOST="sus.example.test").status_code == 503


def test_deleting_needs_archiving_and_the_slug_typed_again(staff_client) -> None:
    practice = PracticeFactory(slug="gone", hostname="gone.example.test")
    image = ImageFactory(collection=practice.collection)
    delete_url = reverse("practices:delete", args=[practice.pk])

    live = staff_client.post(delete_url, {"confirm": "gone"}, follow=True).content.decode()
    assert "archive the practice before deleting it" in live
    assert Practice.objects.filter(pk=practice.pk).exists()

    practice.status = PracticeStatus.ARCHIVED
    practice.save()
    wrong = staff_client.post(delete_url, {"confirm": "nope"}, follow=True).content.decode()
    assert "type the slug &#x27;gone&#x27; to confirm deletion" in wrong
    assert Practice.objects.filter(pk=practice.pk).exists()

    staff_client.post(delete_url, {"confirm": "gone"})
    assert not Practice.objects.filter(pk=practice.pk).exists()
    assert not Site.objects.filter(hostname="gone.example.test").exists()
    assert not Page.objects.filter(slug="gone").exists()
    assert not Collection.objects.filter(pk=practice.collection_id).exists()
    assert not type(image).objects.filter(pk=image.pk).exists()
    assert not Group.objects.filter(pk=practice.editors_group_id).exists()
