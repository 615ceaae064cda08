"""`{% demo_request_form %}`: the practice's request form embedded on its home page,
blog posts and team member pages, posting to /contact/ with the full page's hidden
fields, so that the same checks and lead recording apply."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from demo_requests.models import Lead
from tests.blog.factories import make_post
from tests.demo_requests.conftest import HOST, VALID, contact_page
from tests.practices.team_fixtures import add_member

pytestmark = pytest.mark.django_db
SECTION = re.compile(r'<section class="embedded-request".*?</section>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def embedded_forms(client, path: str, host: str = HOST) -> list[str]:
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, path
    return SECTION.findall(response.content.decode())


def hidden_fields(section: str) -> dict:
    fields = {name: unescape(value) for name, value in HIDDEN.findall(section)}
    fields.pop("csrfmiddlewaretoken", None)
    return fields


def blog_post(practice):
    from blog.models import BlogIndexPage

    index = BlogIndexPage.objects.descendant_of(practice.site.root_page).get()
    post = make_post(index, title="Flu season is here")
    return post.relative_url(practice.site)


def team_member(practice):
    member = add_member(practice, "Ana Ruiz")
    return member.relative_url(practice.site)


def page_paths(practice) -> dict[str, str]:
    return {"home": "/", "blog post": blog_post(practice), "team member": team_member(practice)}


def assert_is_the_request_form(section: str) -> None:
    assert '<form action="/contact/" method="post"' in section
    fields = hidden_fields(section)
    assert re.fullmatch(r"[0-9a-f]{32}", fields["submission_key"])
    assert fields["form_token"]
    assert 'name="csrfmiddlewaretoken"' in section
    assert 'name="hp_website"' in section
    # Every visible control has a label pointing at its (prefixed) id.
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', section)
    labels = re.findall(r'<label for="([^"]+)"', section)
    assert ids
    assert set(labels) == set(ids)
    assert all(id_.startswith("demo-request-") for id_ in ids)


def test_home_blog_post_and_team_member_pages_embed_the_form(client, practice) -> None:
    for name, path in page_paths(practice).items():
        sections = embedded_forms(client, path)
        assert len(sections) == 1, name
        assert_is_the_request_form(sections[0])
        assert hidden_fields(sections[0])["landing_page"] == path, name


def test_the_team_member_form_asks_for_that_member(client, practice) -> None:
    path = team_member(practice)
    (section,) = embedded_forms(client, path)
    assert "Request an appointment with Ana Ruiz</h2>" in section
    # Pre-selected as the preferred provider, in the server-rendered HTML.
    provider = re.search(r'<select name="preferred_provider".*?</select>', section, re.S)[0]
    assert '<option value="ana-ruiz" selected>Ana Ruiz, MD</option>' in provider


@pytest.mark.parametrize("which", ["home", "blog post", "team member"])
def test_posting_the_embedded_form_records_one_lead_landing_on_that_page(
    client, practice, which
) -> None:
    path = page_paths(practice)[which]
    (section,) = embedded_forms(client, f"{path}?utm_source=newsletter")
    fields = hidden_fields(section)
    assert fields["utm_source"] == "newsletter"
    response = client.post("/contact/", {**fields, **VALID}, HTTP_HOST=HOST)
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    lead = Lead.objects.get()
    assert lead.practice == practice
    assert lead.landing_page == f"{path}?utm_source=newsletter"
    assert lead.utm == {"utm_source": "newsletter"}
    assert lead.submission.form_data["email"] == VALID["email"]
    # The same submission key again (a double click) is still one lead.
    client.post("/contact/", {**fields, **VALID}, HTTP_HOST=HOST)
    assert Lead.objects.count() == 1


def test_the_embedded_form_gets_the_same_spam_checks(client, practice) -> None:
    (section,) = embedded_forms(client, "/")
    fields = {**hidden_fields(section), "hp_website": "http://spam.example"}
    response = client.post("/contact/", {**fields, **VALID}, HTTP_HOST=HOST)
    assert "Please leave the field labelled" in response.content.decode()
    assert not Lead.objects.exists()


def test_two_forms_on_one_page_have_unique_ids(practice) -> None:
    request = RequestFactory().get("/", HTTP_HOST=HOST)
    request.user = AnonymousUser()
    html = Template(
        "{% load demo_request_tags %}{% demo_request_form %}{% demo_request_form %}"
    ).render(Context({"request": request}))
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(SECTION.findall(html)) == 2
    assert len(ids) == len(set(ids))
    keys = re.findall(r'name="submission_key" value="([^"]+)"', html)
    assert len(set(keys)) == 2


def test_a_practice_without_a_contact_page_renders_no_form(client, practice) -> None:
    paths = page_paths(practice)
    contact_page(practice).delete()
    for name, path in paths.items():
        response = client.get(path, HTTP_HOST=HOST)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert "embedded-request" not in html, name
        assert 'name="submission_key"' not in html, name
