"""The page builder in the admin: a block pointing at another practice's page, image
or document is refused on save with a message naming the block, nothing saved; an
FAQ without an answer is refused with a field-named error; choosers inside blocks
offer only the editor's own practice (the isolation matrix covers the chooser views)."""

from __future__ import annotations

import html
import json
import uuid

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from tests.practices.isolation_fixtures import build_tenant
from tests.practices.team_fixtures import add_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenants(db):
    return build_tenant("Alpha Family Care", "alpha", "Alpine"), build_tenant(
        "Bravo Dermatology", "bravo", "Bravo"
    )


def _list(*values) -> dict:
    data = {"count": str(len(values))}
    for index, value in enumerate(values):
        data[str(index)] = {
            "value": value,
            "deleted": "",
            "order": str(index),
            "id": str(uuid.uuid4()),
        }
    return data


def hero(image_pk: int | str = "") -> tuple[str, dict]:
    return ("hero", {"heading": "Welcome", "text": "", "image": str(image_pk),
                     "video": streamfield([]), "actions": _list()})  # fmt: skip


def services(*pages) -> tuple[str, dict]:
    return ("services", {"heading": "Our services", "intro": "",
                         "services": _list(*[str(page.pk) for page in pages])})  # fmt: skip


def save_blocks(client, page, blocks: list[tuple[str, object]]):
    """POST the edit form as the browser would: its own fields, and `blocks` as body."""
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    form = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    data = {key: form.getlist(key) for key in form if not key.startswith("body-")}
    data.update(nested_form_data({"body": streamfield(blocks)}))
    return client.post(url, data)


def shows(response, message: str) -> bool:
    """Whether the edit form shows the message: block errors travel to the stream
    editor as JSON in a data attribute (HTML-escaped, non-ASCII as \\u escapes)."""
    text = html.unescape(response.content.decode())
    return message in text or json.dumps(message)[1:-1] in text


def revisions(page) -> int:
    return Page.objects.get(pk=page.pk).revisions.count()


@pytest.mark.parametrize(
    ("blocks", "message"),
    [
        (lambda b: [services(b.page)],
         "Services grid (block 1): the page “Bravo privacy” belongs to another practice."),
        (lambda b: [hero(b.image.pk)],
         "Hero (block 1): the image “Bravo portrait” belongs to another practice."),
        (lambda b: [hero(), ("rich_text", rich_text(
            f'<p>See <a linktype="page" id="{b.page.pk}">this</a></p>'))],
         "Rich text (block 2): the page “Bravo privacy” belongs to another practice."),
        (lambda b: [hero(), ("rich_text", rich_text(
            f'<p>A <a linktype="document" id="{b.document.pk}">leaflet</a></p>'))],
         "Rich text (block 2): the document “Bravo leaflet” belongs to another practice."),
    ],
    ids=["page in services grid", "image in hero", "page link in text", "document link"],
)  # fmt: skip
def test_a_block_pointing_at_another_practice_is_refused(client, tenants, blocks, message) -> None:
    a, b = tenants
    client.force_login(a.editor)
    before = revisions(a.home)
    response = save_blocks(client, a.home, blocks(b))
    assert response.status_code == 200
    assert shows(response, message)
    assert shows(response, "The page could not be saved due to validation errors")
    assert revisions(a.home) == before  # nothing saved


def test_the_same_blocks_pointing_at_own_objects_are_saved(client, tenants) -> None:
    a, _ = tenants
    client.force_login(a.editor)
    response = save_blocks(client, a.home, [hero(a.image.pk), services(a.page)])
    assert response.status_code == 302, response.context["form"].errors
    draft = Page.objects.get(pk=a.home.pk).specific.get_latest_revision_as_object()
    assert [child.block_type for child in draft.body] == ["hero", "services"]
    assert draft.body[0].value["image"].pk == a.image.pk
    assert draft.body[1].value["services"][0].pk == a.page.pk


def figure(image_pk) -> tuple[str, dict]:
    image = {"image": str(image_pk), "alt_text": "A nurse", "decorative": ""}
    return ("image", {"image": image, "caption": ""})


def test_a_service_body_block_pointing_at_another_practice_is_refused(client, tenants) -> None:
    """A service page's body is the library's blocks: the same ownership check."""
    from tests.practices.places_fixtures import add_service

    a, b = tenants
    service = add_service(a.practice, "Flu shots")
    client.force_login(a.editor)
    before = revisions(service)
    response = save_blocks(client, service, [figure(b.image.pk)])
    assert response.status_code == 200
    assert shows(response, "Image with caption (block 1): the image “Bravo portrait” belongs to "
                           "another practice.")  # fmt: skip
    assert revisions(service) == before
    response = save_blocks(client, service, [figure(a.image.pk)])
    assert response.status_code == 302, response.context["form"].errors
    draft = Page.objects.get(pk=service.pk).specific.get_latest_revision_as_object()
    assert draft.body[0].value["image"].pk == a.image.pk


def test_a_question_without_an_answer_is_refused(client, tenants) -> None:
    a, _ = tenants
    client.force_login(a.editor)
    before = revisions(a.home)
    question = {"question": "Walk-ins?", "answer": rich_text("")}
    faq = ("faq", {"heading": "Questions", "questions": _list(question)})
    response = save_blocks(client, a.home, [hero(), faq])
    assert response.status_code == 200
    assert shows(response, "Every question needs an answer.")
    assert revisions(a.home) == before


def test_the_team_member_chooser_offers_only_own_members(client, tenants) -> None:
    a, b = tenants
    add_member(a.practice, "Dr. Alma Alpine")
    add_member(b.practice, "Dr. Bruno Bravo")
    client.force_login(a.editor)
    chooser = client.get(
        reverse("wagtailadmin_choose_page"), {"page_type": "practices.teammemberpage"}
    )
    search = client.get(
        reverse("wagtailadmin_choose_page_search"),
        {"page_type": "practices.teammemberpage", "q": "Dr."},
    )
    for response in (chooser, search):
        text = response.content.decode()
        assert "Bravo" not in text
    assert "Dr. Alma Alpine" in search.content.decode()
