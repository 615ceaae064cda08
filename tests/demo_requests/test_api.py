"""JSON endpoint: POST /api/demo-requests/<page_id>/ (headless forms)."""

from __future__ import annotations

import json
import uuid

import pytest
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from wagtail.contrib.forms.models import FormSubmission

from demo_requests.models import Lead
from tests.demo_requests.conftest import HOST, OTHER_HOST, VALID, contact_page

pytestmark = pytest.mark.django_db

BODY = {**VALID, "i_agree_that_you_may_contact_me_about_my_request": True}


def url(page) -> str:
    return f"/api/demo-requests/{page.pk}/"


def token(client, page, host: str = HOST) -> str:
    response = client.get(url(page), HTTP_HOST=host)
    assert response.status_code == 200
    return response.json()["form_token"]


def post_json(client, page, body, host: str = HOST, **extra):
    payload = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(url(page), payload, content_type="application/json", HTTP_HOST=host, **extra)


@pytest.fixture
def page(practice):
    return contact_page(practice)


def test_get_describes_the_form(client, page) -> None:
    data = client.get(url(page), HTTP_HOST=HOST).json()
    names = [field["name"] for field in data["fields"]]
    assert names[:3] == ["your_name", "phone", "email"]
    provider = next(field for field in data["fields"] if field["type"] == "provider")
    assert provider["choices"] == []  # no team members yet: only "No preference"
    assert data["honeypot_field"] == "hp_website"
    assert data["form_token"]


def test_success_creates_one_lead(client, page, practice) -> None:
    body = {**BODY, "phone": "(512) 555-0100", "form_token": token(client, page)}
    response = post_json(client, page, {**body, "utm_source": "app"})
    assert response.status_code == 201
    lead = Lead.objects.get()
    assert response.json() == {"lead": lead.pk, "status": "received"}
    assert lead.practice == practice
    assert lead.utm == {"utm_source": "app"}
    assert lead.consented_at is not None
    assert lead.submission.form_data["phone"] == "+15125550100"
    assert "form_token" not in lead.submission.form_data
    assert "hp_website" not in lead.submission.form_data


def test_validation_errors_are_json_per_field(client, page) -> None:
    body = {
        **BODY,
        "email": "nope",
        "your_name": "",
        "phone": "1",
        "i_agree_that_you_may_contact_me_about_my_request": False,
        "form_token": token(client, page),
    }
    response = post_json(client, page, body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["email"] == ["Enter a valid email address."]
    assert errors["your_name"] == ["This field is required."]
    assert errors["phone"][0].startswith("Enter a valid phone number")
    assert errors["i_agree_that_you_may_contact_me_about_my_request"] == [
        "Please tick the box to agree that we may contact you about your request."
    ]
    assert Lead.objects.count() == FormSubmission.objects.count() == 0


def test_idempotency_key_gives_the_same_lead(client, page) -> None:
    key = uuid.uuid4().hex
    body = {**BODY, "form_token": token(client, page)}
    first = post_json(client, page, body, HTTP_IDEMPOTENCY_KEY=key)
    second = post_json(client, page, body, HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201
    assert second.status_code == 200
    assert first.json() == second.json()
    assert Lead.objects.get().idempotency_key == key
    third = post_json(client, page, body, HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)
    assert third.status_code == 201
    assert Lead.objects.count() == 2


@pytest.mark.parametrize("key", ["abc", "g" * 32, "a" * 33, "<script>"])
def test_a_malformed_idempotency_key_is_refused(client, page, key) -> None:
    body = {**BODY, "form_token": token(client, page)}
    response = post_json(client, page, body, HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert "idempotency_key" in response.json()["errors"]
    assert Lead.objects.count() == 0


def test_a_key_used_on_another_practices_form_is_a_conflict(client, page, other_practice) -> None:
    key = uuid.uuid4().hex
    post_json(client, page, {**BODY, "form_token": token(client, page)}, HTTP_IDEMPOTENCY_KEY=key)
    other_page = contact_page(other_practice)
    body = {**BODY, "form_token": token(client, other_page, OTHER_HOST)}
    response = post_json(client, other_page, body, OTHER_HOST, HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 409
    assert "lead" not in response.json()
    assert Lead.objects.count() == 1


def test_a_page_of_another_practice_is_not_found_on_this_host(client, page, other_practice) -> None:
    body = {**BODY, "form_token": token(client, page)}
    response = post_json(client, page, body, host=OTHER_HOST)
    assert response.status_code == 404
    assert client.get(url(page), HTTP_HOST=OTHER_HOST).status_code == 404
    assert Lead.objects.count() == 0


def test_unknown_page_is_404(client, practice) -> None:
    response = client.post(
        "/api/demo-requests/999999/", "{}", content_type="application/json", HTTP_HOST=HOST
    )
    assert response.status_code == 404


def test_json_content_type_is_required(client, page) -> None:
    body = {**BODY, "form_token": token(client, page)}
    response = client.post(url(page), body, HTTP_HOST=HOST)  # multipart form post
    assert response.status_code == 415
    response = client.post(url(page), json.dumps(body), content_type="text/plain", HTTP_HOST=HOST)
    assert response.status_code == 415
    assert Lead.objects.count() == 0


def test_origin_must_be_the_practice_host(client, page) -> None:
    body = {**BODY, "form_token": token(client, page)}
    response = post_json(client, page, body, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert Lead.objects.count() == 0
    response = post_json(client, page, body, HTTP_ORIGIN=f"https://{HOST}")
    assert response.status_code == 201


def test_csrf_is_not_required_for_json(page) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    body = {**BODY, "form_token": token(client, page)}
    assert post_json(client, page, body).status_code == 201


def test_spam_rules_apply(client, page, settings) -> None:
    fresh = token(client, page)
    response = post_json(client, page, {**BODY, "form_token": fresh, "hp_website": "x"})
    assert response.status_code == 400
    assert "Please leave the field labelled" in response.json()["errors"]["__all__"][0]
    response = post_json(client, page, {**BODY, "form_token": fresh[:-1] + "x"})
    assert response.status_code == 400
    response = post_json(client, page, BODY)  # no token
    assert response.status_code == 400
    settings.DEMO_REQUEST_MIN_FILL_SECONDS = 60
    response = post_json(client, page, {**BODY, "form_token": fresh})
    assert "quicker than we expected" in response.json()["errors"]["__all__"][0]
    assert Lead.objects.count() == 0


def test_rate_limit_is_429_with_retry_after(client, page, settings) -> None:
    settings.DEMO_REQUEST_RATE_LIMIT_PER_IP = "2/10m"
    body = {**BODY, "form_token": token(client, page)}
    assert [post_json(client, page, body).status_code for _ in range(3)] == [201, 201, 429]
    response = post_json(client, page, body)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "errors" in response.json()
    assert Lead.objects.count() == 2


@pytest.mark.parametrize(
    "raw",
    ["not json", "[]", "null", '"text"', "{" * 5000 + "}" * 5000, '{"a": {"b": 1}}', "\xff"],
)
def test_malformed_bodies_are_400(client, page, raw) -> None:
    response = post_json(client, page, raw.encode("latin-1"))
    assert response.status_code == 400
    assert "errors" in response.json()
    assert Lead.objects.count() == 0


def test_an_oversized_body_is_413(client, page) -> None:
    body = {**BODY, "message": "x" * 70_000, "form_token": token(client, page)}
    assert post_json(client, page, body).status_code == 413
    assert Lead.objects.count() == 0


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=300),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(), children),
    max_leaves=5,
)


@hsettings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    overrides=st.dictionaries(
        st.sampled_from(
            [
                "your_name",
                "email",
                "phone",
                "message",
                "number_of_providers",
                "specialty",
                "i_agree_that_you_may_contact_me_about_my_request",
                "hp_website",
                "extra",
            ]
        ),
        _json_values,
        max_size=5,
    )
)
def test_fuzzed_json_never_errors(client, page, settings, overrides) -> None:
    settings.DEMO_REQUEST_RATE_LIMIT_PER_IP = "100000/1m"
    settings.DEMO_REQUEST_RATE_LIMIT_PER_FORM = "100000/1m"
    if not hasattr(page, "_token"):
        page._token = token(client, page)
    before = Lead.objects.count(), FormSubmission.objects.count()
    response = post_json(client, page, {**BODY, "form_token": page._token, **overrides})
    assert response.status_code in (201, 400)
    event(f"status {response.status_code}")
    after = Lead.objects.count(), FormSubmission.objects.count()
    if response.status_code == 201:
        assert after == (before[0] + 1, before[1] + 1)
        assert response.json()["lead"] == Lead.objects.latest("pk").pk
    else:
        assert after == before
        assert isinstance(response.json()["errors"], dict)
