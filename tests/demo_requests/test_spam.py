"""Spam and abuse: honeypot, minimum fill time (signed), rate limits."""

from __future__ import annotations

import time

import pytest
from django.core import signing
from wagtail.contrib.forms.models import FormSubmission

from demo_requests import spam
from demo_requests.models import Lead
from tests.demo_requests.conftest import HOST, VALID, contact_page, rendered_form

pytestmark = pytest.mark.django_db


def stored() -> tuple[int, int]:
    return Lead.objects.count(), FormSubmission.objects.count()


def test_the_honeypot_is_hidden_labelled_and_untabbable(client, practice) -> None:
    html = client.get("/contact/", HTTP_HOST=HOST).content.decode()
    assert '<div class="visually-hidden">' in html
    assert '<label for="id_hp_website">Leave this empty</label>' in html
    assert (
        '<input type="text" name="hp_website" id="id_hp_website" value="" tabindex="-1" '
        'autocomplete="off">'
    ) in html


def test_a_filled_honeypot_is_rejected_and_nothing_stored(client, practice) -> None:
    hidden = rendered_form(client)
    response = client.post(
        "/contact/", {**hidden, **VALID, "hp_website": "http://spam.test"}, HTTP_HOST=HOST
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please leave the field labelled" in html
    assert 'role="alert"' in html
    assert stored() == (0, 0)


def test_a_too_fast_submission_is_rejected(client, practice, settings) -> None:
    settings.DEMO_REQUEST_MIN_FILL_SECONDS = 3
    hidden = rendered_form(client)
    response = client.post("/contact/", {**hidden, **VALID}, HTTP_HOST=HOST)
    html = response.content.decode()
    assert "That was quicker than we expected" in html
    assert stored() == (0, 0)
    # The visitor's own token is kept on the re-rendered form: once the minimum time
    # has passed, resending it works.
    assert hidden["form_token"] in html


def test_a_submission_after_the_minimum_time_is_accepted(client, practice, settings) -> None:
    settings.DEMO_REQUEST_MIN_FILL_SECONDS = 1
    hidden = rendered_form(client)
    time.sleep(1.1)
    response = client.post("/contact/", {**hidden, **VALID}, HTTP_HOST=HOST)
    assert "Thank you" in response.content.decode()
    assert stored() == (1, 1)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token, page: token[:-2] + ("aa" if not token.endswith("aa") else "bb"),
        lambda token, page: "",
        lambda token, page: "garbage",
        # A genuine token for another page.
        lambda token, page: spam.make_fill_token(page.pk + 1000),
        # Signed with another salt (e.g. copied from elsewhere on the site).
        lambda token, page: signing.TimestampSigner(salt="other").sign(str(page.pk)),
    ],
)
def test_a_tampered_or_missing_token_is_rejected(client, practice, tamper) -> None:
    hidden = rendered_form(client)
    hidden["form_token"] = tamper(hidden["form_token"], contact_page(practice))
    response = client.post("/contact/", {**hidden, **VALID}, HTTP_HOST=HOST)
    html = response.content.decode()
    assert "This form has expired or was changed. Please reload the page" in html
    assert stored() == (0, 0)
    # A fresh, sound token is rendered so that the visitor can send again.
    assert rendered_form(client)["form_token"] != hidden["form_token"]


def test_an_expired_token_is_rejected(client, practice, monkeypatch) -> None:
    hidden = rendered_form(client)
    monkeypatch.setattr(spam, "TOKEN_MAX_AGE", -1)
    client.post("/contact/", {**hidden, **VALID}, HTTP_HOST=HOST)
    assert stored() == (0, 0)


def test_per_ip_rate_limit_answers_429_with_retry_after(client, practice, settings) -> None:
    settings.DEMO_REQUEST_RATE_LIMIT_PER_IP = "2/10m"
    for _ in range(2):
        response = client.post("/contact/", {**rendered_form(client), **VALID}, HTTP_HOST=HOST)
        assert "Thank you" in response.content.decode()
    response = client.post("/contact/", {**rendered_form(client), **VALID}, HTTP_HOST=HOST)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    html = response.content.decode()
    assert "Please try again in a few minutes" in html
    assert "Riverside" in html  # the practice's layout
    assert stored() == (2, 2)
    # Another client address is not limited.
    other = client.post(
        "/contact/", {**rendered_form(client), **VALID}, HTTP_HOST=HOST, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 200
    assert stored() == (3, 3)


def test_per_form_rate_limit(client, practice, settings) -> None:
    settings.DEMO_REQUEST_RATE_LIMIT_PER_FORM = "3/1h"
    statuses = [
        client.post(
            "/contact/",
            {**rendered_form(client), **VALID},
            HTTP_HOST=HOST,
            REMOTE_ADDR=f"10.0.0.{n}",
        ).status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    assert stored() == (3, 3)


def test_rate_settings_parse() -> None:
    assert spam.parse_rate("5/10m") == (5, 600)
    assert spam.parse_rate("100/1h") == (100, 3600)
    assert spam.parse_rate("7/30") == (7, 30)
    assert spam.parse_rate((3, 60)) == (3, 60)


def test_captcha_provider_is_checked(settings) -> None:
    from demo_requests.wagtail_hooks import check_captcha_provider

    assert check_captcha_provider() == []
    settings.DEMO_REQUEST_CAPTCHA_PROVIDER = "hcaptcha"
    assert [error.id for error in check_captcha_provider()] == ["demo_requests.E001"]
