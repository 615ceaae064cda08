"""The request form embedded in cached pages: no shared tokens, and submissions work
with JavaScript (token endpoint) and without it (re-rendered with fresh tokens)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client

from demo_requests.form_tokens import MSG_SEND_AGAIN
from demo_requests.models import Lead
from tests.demo_requests.conftest import VALID
from tests.page_cache.conftest import ALPHA, get

pytestmark = [pytest.mark.django_db]
SECTION = re.compile(r'<section class="embedded-request".*?</section>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def hidden_fields(html: str) -> dict[str, str]:
    return {name: unescape(value) for name, value in HIDDEN.findall(html)}


def cached_form(client) -> tuple[str, dict[str, str], str]:
    """The embedded form of the home page as served from the cache: its section, its
    hidden fields and its token URL."""
    get(client, "/?utm_source=newsletter")
    response = get(client, "/")
    assert response["X-Cache"] == "HIT"
    (section,) = SECTION.findall(response.content.decode())
    url = re.search(r'data-form-tokens-url="([^"]+)"', section).group(1)
    return section, hidden_fields(section), url


def test_the_cached_page_carries_no_per_visitor_values(client, alpha):
    section, fields, url = cached_form(client)
    assert "csrfmiddlewaretoken" not in section
    assert fields["submission_key"] == ""
    assert fields["form_token"] == ""
    assert fields["landing_page"] == "/"
    assert "utm_source" not in fields  # the first visitor's campaign is not shared
    assert re.fullmatch(r"/api/demo-requests/\d+/tokens/", url)
    assert 'src="/static/demo_requests/form_tokens.js"' in section
    assert 'name="hp_website"' in section


def test_a_visitor_submits_with_tokens_from_the_endpoint(alpha):
    client = Client(enforce_csrf_checks=True)
    _, fields, url = cached_form(client)
    tokens = client.get(url, HTTP_HOST=ALPHA)
    assert tokens.status_code == 200
    assert "no-cache" in tokens["Cache-Control"]
    data = tokens.json()
    assert re.fullmatch(r"[0-9a-f]{32}", data["submission_key"])
    assert client.cookies["csrftoken"].value
    # What form_tokens.js does: fill in the tokens, the landing page and UTM values.
    posted = {
        **fields,
        "csrfmiddlewaretoken": data["csrf_token"],
        "form_token": data["form_token"],
        "submission_key": data["submission_key"],
        "landing_page": "/?utm_source=newsletter",
        "utm_source": "newsletter",
        **VALID,
    }
    response = client.post("/contact/", posted, HTTP_HOST=ALPHA)
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    lead = Lead.objects.get()
    assert lead.practice == alpha
    assert lead.idempotency_key == data["submission_key"]
    assert lead.landing_page == "/?utm_source=newsletter"
    assert lead.utm == {"utm_source": "newsletter"}
    # A second visitor of the same cached page gets their own key: two leads.
    other = Client(enforce_csrf_checks=True)
    _, fields, url = cached_form(other)
    data = other.get(url, HTTP_HOST=ALPHA).json()
    other.post(
        "/contact/",
        {**fields, **VALID, "csrfmiddlewaretoken": data["csrf_token"], **{
            "form_token": data["form_token"], "submission_key": data["submission_key"]}},
        HTTP_HOST=ALPHA,
    )  # fmt: skip
    assert Lead.objects.count() == 2


def test_without_javascript_the_form_comes_back_filled_in_and_then_goes_through(alpha):
    client = Client(enforce_csrf_checks=True)
    _, fields, _ = cached_form(client)
    first = client.post("/contact/", {**fields, **VALID}, HTTP_HOST=ALPHA)
    assert first.status_code == 403
    html = first.content.decode()
    assert MSG_SEND_AGAIN in unescape(html)
    assert 'value="Pat Doe"' in html
    assert '<option value="Check-up" selected>Check-up</option>' in html
    assert "X-Cache" not in first
    assert "no-cache" in first["Cache-Control"]
    assert not Lead.objects.exists()
    again = hidden_fields(html)
    assert again["csrfmiddlewaretoken"]
    assert again["form_token"]
    second = client.post("/contact/", {**again, **VALID}, HTTP_HOST=ALPHA)
    assert second.status_code == 200
    assert "Thank you" in second.content.decode()
    assert Lead.objects.get().landing_page == "/"


def test_other_csrf_failures_keep_djangos_403(alpha):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/blog/", {"x": "1"}, HTTP_HOST=ALPHA)
    assert response.status_code == 403
    assert "CSRF verification failed" in response.content.decode()


def test_the_token_endpoint_only_serves_this_practices_forms(client, alpha, bravo):
    from tests.demo_requests.conftest import contact_page

    bravo_form = contact_page(bravo)
    response = client.get(f"/api/demo-requests/{bravo_form.pk}/tokens/", HTTP_HOST=ALPHA)
    assert response.status_code == 404
    assert "No such form" in response.json()["errors"]["__all__"][0]


def test_editors_get_the_form_with_its_tokens(alpha):
    from tests.factories import editor_of

    client = Client()
    client.force_login(editor_of(alpha))
    (section,) = SECTION.findall(get(client, "/").content.decode())
    assert 'name="csrfmiddlewaretoken"' in section
    assert re.fullmatch(r"[0-9a-f]{32}", hidden_fields(section)["submission_key"])


def test_a_preselected_provider_never_reaches_a_visitor_without_it(client, alpha):
    """A member page's form pre-selects that member (one URL, one selection, so it may
    be cached); the contact page's `?provider=` is not a key parameter, so such a
    request bypasses the cache and the plain page never shows the selection."""
    from tests.practices.team_fixtures import add_member

    member_url = add_member(alpha, "Ana Ruiz").relative_url(alpha.site)
    selected = '<option value="ana-ruiz" selected>'
    get(client, member_url)
    member_page = get(client, member_url)
    assert member_page["X-Cache"] == "HIT"
    assert selected in member_page.content.decode()
    get(client, "/")
    home = get(client, "/")
    assert home["X-Cache"] == "HIT"
    assert '<option value="ana-ruiz">' in home.content.decode()
    assert selected not in home.content.decode()
    for _ in range(2):
        chosen = get(client, "/contact/?provider=ana-ruiz")
        assert chosen.get("X-Cache") != "HIT"
        assert selected in chosen.content.decode()
    plain = get(client, "/contact/")
    assert plain.get("X-Cache") != "HIT"
    assert selected not in plain.content.decode()
    assert '<option value="ana-ruiz">' in plain.content.decode()
