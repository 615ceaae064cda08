"""The embedded form's field rows are rendered once per published form: an edit of
the form shows on the next view, a draft does not, and each member keeps their own
pre-selected provider; a member published or unpublished changes the provider
choices on the next view."""

from __future__ import annotations

import pytest

from agency_platform.core import freshness
from demo_requests import embedded_form_cache
from demo_requests.models import DemoRequestPage
from tests.demo_requests.conftest import HOST, contact_page
from tests.demo_requests.test_embedded_form import blog_post, embedded_forms
from tests.practices.team_fixtures import add_member

pytestmark = pytest.mark.django_db


def relabel(page: DemoRequestPage, old: str, new: str, *, publish: bool = True) -> None:
    page = DemoRequestPage.objects.get(pk=page.pk)
    field = next(field for field in page.form_fields.all() if field.label == old)
    field.label = new
    page.form_fields = [field if f.pk == field.pk else f for f in page.form_fields.all()]
    revision = page.save_revision()
    if publish:
        revision.publish()


def test_a_published_label_shows_on_the_next_view_and_a_draft_does_not(client, practice) -> None:
    path = blog_post(practice)
    contact = contact_page(practice)
    label = contact.form_fields.first().label
    assert f">{label} <span" in embedded_forms(client, path)[0]

    relabel(contact, label, "Preferred name (draft)", publish=False)
    assert "Preferred name (draft)" not in embedded_forms(client, path)[0]

    relabel(contact, label, "Preferred name")
    section = embedded_forms(client, path)[0]
    assert ">Preferred name <span" in section
    assert f">{label} <span" not in section


def test_rows_are_kept_per_published_form_and_reused(client, practice) -> None:
    path = blog_post(practice)
    embedded_forms(client, path)
    contact = DemoRequestPage.objects.get(pk=contact_page(practice).pk)
    generation = freshness.read(None, HOST)[0]
    key = embedded_form_cache.rows_key(contact, "demo-request-1", ":", generation)
    cached = embedded_form_cache.cache.get(key)
    assert cached is not None
    assert 'name="email"' in cached
    # What is kept is what is shown: a marked entry appears as is.
    embedded_form_cache.cache.set(key, cached.replace("</label>", " [kept]</label>", 1))
    assert "[kept]</label>" in embedded_forms(client, path)[0]


def test_each_member_keeps_their_own_preselection(client, practice) -> None:
    ana = add_member(practice, "Ana Ruiz")
    ben = add_member(practice, "Ben Okafor")
    for member, other in ((ana, ben), (ben, ana), (ana, ben)):
        section = embedded_forms(client, member.relative_url(practice.site), HOST)[0]
        assert f'<option value="{member.slug}" selected>' in section
        assert f'<option value="{other.slug}">' in section  # offered, not selected
    home = embedded_forms(client, "/", HOST)[0]
    assert '<option value="" selected>No preference</option>' in home
    assert f'<option value="{ana.slug}">' in home


def test_provider_choices_follow_the_team_without_a_form_edit(client, practice) -> None:
    path = blog_post(practice)
    assert 'value="ana-ruiz"' not in embedded_forms(client, path)[0]
    ana = add_member(practice, "Ana Ruiz")
    assert '<option value="ana-ruiz">Ana Ruiz, MD</option>' in embedded_forms(client, path)[0]
    ana.unpublish()
    assert 'value="ana-ruiz"' not in embedded_forms(client, path)[0]
