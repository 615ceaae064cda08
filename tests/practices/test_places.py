"""Services and locations through their real interfaces: public pages (content and
structured data), the admin (bad input refused with field-named errors, nothing
saved; choices only from the editor's practice) and the selectors."""

from __future__ import annotations

import json
import re
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page, Site
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from blog.models import BlogIndexPage
from practices.blocks.base import BlockContext
from practices.blocks.places import practice_locations
from practices.models import LocationPage, ServicePage, TeamMemberPage
from practices.selectors import location_choices
from tests.blog.factories import make_post
from tests.factories import ImageFactory
from tests.practices.places_fixtures import (
    add_location,
    add_service,
    locations_index,
    services_index,
)
from tests.practices.team_fixtures import add_member

pytestmark = pytest.mark.django_db
HOST_A = "alpha.example.test"


def get(client, path: str) -> str:
    response = client.get(path, HTTP_HOST=HOST_A)
    assert response.status_code == 200, path
    return response.content.decode()


def json_ld(html: str, kind: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    found = [json.loads(block) for block in blocks]
    return next(data for data in found if data["@type"] == kind)


# --- public pages ----------------------------------------------------------------------
def test_a_location_page_shows_its_office_people_and_medical_clinic_data(
    client, practice_a
) -> None:
    practice = practice_a.practice
    office = add_location(practice, "North Clinic", parking="Free lot behind the building.",
                          accessibility="Step-free entrance.")  # fmt: skip
    add_member(practice, "Dr Ann", locations=[office])
    add_member(practice, "Dr Elsewhere")
    html = get(client, "/locations/north-clinic/")
    assert "<address>1200 River Rd<br>Austin, TX 78704</address>" in html
    assert '<a class="location__phone" href="tel:+15125550142">Call +1 512 555 0142</a>' in html
    assert (
        'href="https://www.google.com/maps/dir/?api=1&amp;destination=1200+River+Rd%2C+Austin'
        '%2C+TX+78704"' in html
    )
    assert "<iframe" not in html
    assert "maps.googleapis" not in html
    assert "<dt>Monday, Tuesday, Wednesday, Thursday, Friday</dt><dd>8:00 AM – 5:30 PM</dd>" in html
    assert "Free lot behind the building." in html
    assert "Step-free entrance." in html
    assert ">Dr Ann, MD</a>" in html
    assert "Dr Elsewhere" not in html
    assert '<a href="/contact/?location=north-clinic">Request an appointment at' in html

    data = json_ld(html, "MedicalClinic")
    assert data["name"] == "Alpha Family Care – North Clinic"
    assert data["url"] == f"http://{HOST_A}/locations/north-clinic/"
    assert data["telephone"] == "+1 512 555 0142"
    assert data["address"]["streetAddress"] == "1200 River Rd"
    assert data["address"]["postalCode"] == "78704"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 30.248, "longitude": -97.751}
    assert data["openingHoursSpecification"][0]["opens"] == "08:00"
    assert data["openingHoursSpecification"][0]["closes"] == "17:30"
    assert data["parentOrganization"]["name"] == "Alpha Family Care"
    assert "aggregateRating" not in json.dumps(data)
    # Meta description derived from the office, canonical of its own.
    assert (
        '<meta name="description" content="North Clinic: 1200 River Rd, Austin, TX 78704">' in html
    )
    assert f'<link rel="canonical" href="http://{HOST_A}/locations/north-clinic/">' in html

    listing = get(client, "/locations/")
    assert '<a href="/locations/north-clinic/">North Clinic</a>' in listing
    assert 'href="tel:+15125550142"' in listing


def test_members_link_to_their_locations_and_the_team_filters_by_them(client, practice_a) -> None:
    practice = practice_a.practice
    north = add_location(practice, "North Clinic")
    south = add_location(practice, "South Clinic", street_address="9 South St")
    add_member(practice, "Dr Both", locations=[north, south])
    add_member(practice, "Dr North", locations=[north])
    add_member(practice, "Dr South", locations=[south])
    member = get(client, "/team/dr-both/")
    assert (
        'Practises at <a href="/locations/north-clinic/">North Clinic</a> and '
        '<a href="/locations/south-clinic/">South Clinic</a>' in member
    )
    team = get(client, "/team/")
    # Sections in the explorer's order of the offices; a member of two is in both.
    assert team.index('id="team-location-north-clinic"') < team.index(
        'id="team-location-south-clinic"'
    )
    assert team.count(">Dr Both, MD</a>") == 2
    assert '<option value="north-clinic">North Clinic</option>' in team
    south_only = get(client, "/team/?location=south-clinic")
    assert ">Dr South, MD</a>" in south_only
    assert ">Dr Both, MD</a>" in south_only
    assert ">Dr North, MD</a>" not in south_only
    # A location that is not published is neither a link nor a filter.
    north.unpublish()
    assert "North Clinic" not in get(client, "/team/dr-both/")
    assert '<option value="north-clinic">' not in get(client, "/team/")


def test_a_service_page_shows_summary_body_faq_people_and_posts(client, practice_a) -> None:
    practice = practice_a.practice
    doctor = add_member(practice, "Dr Ann")
    blog = BlogIndexPage.objects.descendant_of(practice.site.root_page).get()
    post = make_post(blog, title="Five facts about flu shots", slug="flu-facts", days_ago=2)
    add_service(practice, "Flu shots", summary="Seasonal flu vaccines for everyone over 6 months.",
                members=[doctor], posts=[post],
                faq=[("Does it hurt?", "<p>A quick pinch.</p>")])  # fmt: skip
    html = get(client, "/services/flu-shots/")
    assert '<p class="lead">Seasonal flu vaccines for everyone over 6 months.</p>' in html
    assert "<p>All about Flu shots.</p>" in html
    assert "<summary>Does it hurt?</summary>" in html
    assert ">Dr Ann, MD</a>" in html
    assert '<a href="/blog/flu-facts/">Five facts about flu shots</a>' in html
    faq = json_ld(html, "FAQPage")
    assert faq["mainEntity"] == [
        {"@type": "Question", "name": "Does it hurt?",
         "acceptedAnswer": {"@type": "Answer", "text": "A quick pinch."}}
    ]  # fmt: skip
    service = json_ld(html, "Service")
    assert service["provider"] == {
        "@type": "MedicalClinic", "name": "Alpha Family Care", "url": f"http://{HOST_A}/"
    }  # fmt: skip
    assert service["url"] == f"http://{HOST_A}/services/flu-shots/"
    assert '<meta name="description" content="Seasonal flu vaccines for everyone over 6' in html
    listing = get(client, "/services/")
    assert '<a href="/services/flu-shots/">Flu shots</a>' in listing
    assert "<p>Seasonal flu vaccines for everyone over 6 months.</p>" in listing
    nav = re.search(r'<nav class="site-nav".*?</nav>', listing, re.S).group(0)
    assert '<a href="/services/"' in nav
    assert '<a href="/locations/"' in nav


def test_a_service_pages_captioned_images_carry_the_alt_text_of_their_use(
    client, practice_a
) -> None:
    """The alt text Wagtail's ImageBlock stored with the block, "" when the editor marked
    the image decorative, the image's own description when the block holds none (a
    draft: Wagtail defers the alt text check until publishing)."""
    practice = practice_a.practice
    image = ImageFactory(collection=practice.collection, description="Our waiting room")

    def figure(value, caption: str = "") -> dict:
        return {"type": "image", "value": {"image": value, "caption": caption},
                "id": str(uuid.uuid4())}  # fmt: skip

    add_service(practice, "Flu shots", body=[
        figure({"image": image.pk, "alt_text": "A nurse gives a flu shot", "decorative": False},
               caption="Quick and gentle."),
        figure({"image": image.pk, "alt_text": "", "decorative": True}),
        figure({"image": image.pk, "alt_text": "", "decorative": False}),
    ])  # fmt: skip
    html = get(client, "/services/flu-shots/")
    figures = re.findall(r'<figure class="pb-figure__inner">(.*?)</figure>', html, re.S)
    alts = [re.search(r'<img [^>]*alt="([^"]*)"', part).group(1) for part in figures]
    assert alts == ["A nurse gives a flu shot", "", "Our waiting room"]
    assert "<figcaption>Quick and gentle.</figcaption>" in figures[0]
    assert all('type="image/webp"' in part for part in figures)


def test_the_sitemap_lists_services_and_locations(client, practice_a) -> None:
    add_location(practice_a.practice, "North Clinic")
    add_service(practice_a.practice, "Flu shots")
    xml = get(client, "/sitemap.xml")
    for path in ("/services/", "/services/flu-shots/", "/locations/", "/locations/north-clinic/"):
        assert f"<loc>http://{HOST_A}{path}</loc>" in xml, path


# --- admin: bad input ------------------------------------------------------------------
def location_form(**fields) -> dict:
    values = {
        "title": "East Clinic", "slug": "east-clinic", "intro": "", "street_address": "1 East St",
        "locality": "Austin", "region": "TX", "postal_code": "78701", "country": "US",
        "latitude": "", "longitude": "", "phone": "", "parking": "", "accessibility": "",
        "opening_hours": streamfield([]), "comments": inline_formset([]),
        "seo_title": "", "search_description": "", "go_live_at": "", "expire_at": "",
        **fields,
    }  # fmt: skip
    return nested_form_data(values)


def post_location(client, practice_a, action: str, **fields):
    client.force_login(practice_a.moderator)
    index = locations_index(practice_a.practice)
    url = reverse("wagtailadmin_pages:add", args=["practices", "locationpage", index.pk])
    return client.post(url, {**location_form(**fields), action: action}, HTTP_HOST=HOST_A)


@pytest.mark.parametrize("action", ["action-publish", "action-save"])
def test_a_location_without_an_address_is_refused_even_as_a_draft(
    client, practice_a, action
) -> None:
    response = post_location(client, practice_a, action, street_address="", postal_code="")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["street_address"] == ["This field is required."]
    assert errors["postal_code"] == ["This field is required."]
    assert not LocationPage.objects.filter(slug="east-clinic").exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"latitude": "91", "longitude": "10"}, "latitude", "less than or equal to 90"),
        ({"latitude": "10", "longitude": "-180.5"}, "longitude", "greater than or equal to -180"),
        ({"latitude": "30.25", "longitude": ""}, "longitude", "Give both latitude and longitude"),
        ({"latitude": "", "longitude": "-97.7"}, "latitude", "Give both latitude and longitude"),
    ],
)
def test_invalid_coordinates_are_refused_by_field(client, practice_a, fields, field, message):
    response = post_location(client, practice_a, "action-publish", **fields)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not LocationPage.objects.filter(slug="east-clinic").exists()


def test_a_valid_location_is_published_from_the_admin(client, practice_a) -> None:
    response = post_location(
        client, practice_a, "action-publish", latitude="30.25", longitude="-97.75"
    )
    assert response.status_code == 302
    office = LocationPage.objects.get(slug="east-clinic")
    assert office.live
    assert office.latitude == Decimal("30.250000")


def _questions(*pairs) -> dict:
    """A ListBlock's form data: each (question, answer HTML) an item."""
    data = {"count": str(len(pairs))}
    for index, (question, answer) in enumerate(pairs):
        value = {"question": question, "answer": rich_text(answer)}
        data[str(index)] = {"value": value, "deleted": "", "order": str(index), "id": ""}
    return data


@pytest.mark.parametrize(
    ("pair", "field", "message"),
    [
        (("Does it hurt?", ""), "answer", "Every question needs an answer."),
        (("  ", "<p>A quick pinch.</p>"), "question", "Every question needs its text."),
    ],
    ids=["no answer", "no question"],
)
def test_a_faq_question_without_its_answer_or_text_is_refused_even_as_a_draft(
    client, practice_a, pair, field, message
) -> None:
    """The service body's FAQ block (the library's): the error names the question's
    field, on a draft save too, and nothing is saved."""
    client.force_login(practice_a.moderator)
    index = services_index(practice_a.practice)
    url = reverse("wagtailadmin_pages:add", args=["practices", "servicepage", index.pk])
    faq = {"heading": "Questions", "questions": _questions(("Is it quick?", "<p>Yes.</p>"), pair)}
    data = nested_form_data({
        "title": "Flu shots", "slug": "flu-shots", "summary": "Vaccines.",
        "body": streamfield([("rich_text", rich_text("<p>Flu shots.</p>")), ("faq", faq)]),
        "comments": inline_formset([]), "seo_title": "", "search_description": "",
        "go_live_at": "", "expire_at": "",
    })  # fmt: skip
    response = client.post(url, {**data, "action-save": "action-save"}, HTTP_HOST=HOST_A)
    assert response.status_code == 200
    body_errors = response.context["form"].errors["body"].as_data()[0]
    questions = body_errors.block_errors[1].block_errors["questions"]
    assert list(questions.block_errors) == [1]  # the second question only
    errors = questions.block_errors[1].block_errors
    assert list(errors) == [field]
    assert message in str(errors[field])
    assert not ServicePage.objects.filter(slug="flu-shots").exists()


def test_a_service_preview_shows_the_editors_blocks_not_the_kept_ones(client, practice_a) -> None:
    service = add_service(practice_a.practice, "Flu shots", faq=[("Live question?", "<p>Yes.</p>")])
    assert "<summary>Live question?</summary>" in get(client, "/services/flu-shots/")  # kept
    client.force_login(practice_a.moderator)
    edit = reverse("wagtailadmin_pages:edit", args=[service.pk])
    form = querydict_from_html(get(client, edit), form_id="page-edit-form")
    data = {key: form.getlist(key) for key in form if not key.startswith("body-")}
    faq = {"heading": "Questions", "questions": _questions(("Draft question?", "<p>Maybe.</p>"))}
    data.update(nested_form_data({"body": streamfield([("faq", faq)])}))
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[service.pk])
    assert client.post(url, data, HTTP_HOST=HOST_A).json()["is_valid"]
    preview = get(client, url)
    assert "<summary>Draft question?</summary>" in preview
    assert "Live question?" not in preview
    assert json_ld(preview, "FAQPage")["mainEntity"][0]["name"] == "Draft question?"
    assert "Draft question?" not in get(client, "/services/flu-shots/")


# --- admin: isolation ------------------------------------------------------------------
def test_an_editor_can_only_choose_their_own_practices_locations_members_and_posts(
    client, practice_a, practice_b
) -> None:
    own_office = add_location(practice_a.practice, "Alpha Office")
    foreign_office = add_location(practice_b.practice, "Secret Bravo Office")
    member = add_member(practice_a.practice, "Alpha Doctor")
    foreign_member = add_member(practice_b.practice, "Secret Bravo Doctor")
    blog_b = BlogIndexPage.objects.descendant_of(practice_b.practice.site.root_page).get()
    foreign_post = make_post(blog_b, title="Secret Bravo Post", slug="secret")
    service = add_service(practice_a.practice, "Alpha Service")

    client.force_login(practice_a.editor)
    edit_member = get_admin(client, reverse("wagtailadmin_pages:edit", args=[member.pk]))
    assert "Alpha Office" in edit_member
    assert "Secret Bravo" not in edit_member
    edit_service = get_admin(client, reverse("wagtailadmin_pages:edit", args=[service.pk]))
    assert "Alpha Doctor" in edit_service
    assert "Secret Bravo" not in edit_service

    # A crafted POST naming another practice's page is an invalid choice on that field.
    member_form = (
        type(member)
        .get_edit_handler()
        .get_form_class()(
            instance=member, parent_page=member.get_parent(), for_user=practice_a.editor
        )
    )
    offered = list(member_form.fields["locations"].queryset)
    assert own_office in offered
    assert foreign_office not in offered
    assert all(page.path.startswith(practice_a.practice.site.root_page.path) for page in offered)
    with pytest.raises(ValidationError, match="valid choice"):
        member_form.fields["locations"].clean([foreign_office.pk])
    service_form = ServicePage.get_edit_handler().get_form_class()(
        instance=service, parent_page=service.get_parent(), for_user=practice_a.editor
    )
    with pytest.raises(ValidationError, match="valid choice"):
        service_form.fields["related_members"].clean([foreign_member.pk])
    with pytest.raises(ValidationError, match="valid choice"):
        service_form.fields["related_posts"].clean([foreign_post.pk])
    # Outside the admin (shell, imports) the model refuses them too, by field.
    service.related_members = [foreign_member]
    with pytest.raises(ValidationError) as refused:
        service.full_clean()
    assert "Secret Bravo Doctor" in str(refused.value.message_dict["related_members"])


def get_admin(client, url: str) -> str:
    response = client.get(url, HTTP_HOST=HOST_A)
    assert response.status_code == 200, url
    return response.content.decode()


# --- selectors -------------------------------------------------------------------------
def test_location_choices_and_summaries_in_tree_order_with_constant_queries(practice_a) -> None:
    practice = practice_a.practice
    add_location(practice, "North Clinic", phone="")
    add_location(practice, "Draft Clinic", publish=False)

    def measure():
        site = Site.objects.get(pk=practice.site_id)  # its home page not loaded yet
        home = Page.objects.get(pk=site.root_page_id)
        with CaptureQueriesContext(connection) as queries:
            choices = location_choices(site)
            summaries = practice_locations(BlockContext(page=home))
        return len(queries), choices, summaries

    small, choices, summaries = measure()
    assert choices == [("north-clinic", "North Clinic")]
    north = summaries[0]
    assert north.url == "/locations/north-clinic/"
    assert north.address_lines == ["1200 River Rd", "Austin, TX 78704"]
    assert north.directions_url == (
        "https://www.google.com/maps/dir/?api=1&destination=1200+River+Rd%2C+Austin%2C+TX+78704"
    )
    assert north.hours[0][0].startswith("Monday")
    for number in range(5):
        add_location(practice, f"Clinic {number}")
    large, choices, summaries = measure()
    assert large == small
    assert [value for value, _ in choices] == ["north-clinic", *[f"clinic-{n}" for n in range(5)]]
    assert [s.name for s in summaries][-1] == "Clinic 4"
    assert summaries[1].phone == "+1 512 555 0142"
    assert summaries[1].tel_href == "tel:+15125550142"  # dialable on every phone
    assert TeamMemberPage.objects.count() == 0


def test_a_location_pages_appointment_link_pre_selects_it_on_the_form(client, practice_a) -> None:
    practice = practice_a.practice
    add_location(practice, "North Clinic")
    add_location(practice, "South Clinic")
    page = get(client, "/locations/south-clinic/")
    link = re.search(r'<a href="([^"]+)">Request an appointment at South Clinic</a>', page)[1]
    assert link == "/contact/?location=south-clinic"
    form = get(client, link)
    # The form's choices are the practice's live locations, this one selected.
    assert '<option value="north-clinic">North Clinic</option>' in form
    assert '<option value="south-clinic" selected>South Clinic</option>' in form
    plain = get(client, "/contact/")
    assert '<option value="south-clinic">South Clinic</option>' in plain
    assert "selected>South Clinic" not in plain
