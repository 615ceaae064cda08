"""A practice provisioned on a hostname that was asked for before it existed serves at
once: provisioning mutes the per-save freshness rules (its pages have no site yet) and
invalidates the new practice once, which is what retires the kept "unknown host"."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db
HOST = "newcomer.example.test"


def test_a_hostname_asked_for_before_it_is_provisioned_serves_the_new_practice(client) -> None:
    assert client.get("/", HTTP_HOST=HOST).status_code == 404
    assert client.get("/", HTTP_HOST=HOST).status_code == 404  # the kept answer
    call_command(
        "create_practice",
        *("--name", "Newcomer Clinic", "--slug", "newcomer", "--hostname", HOST),
        stdout=StringIO(),
    )
    response = client.get("/", HTTP_HOST=HOST)
    assert response.status_code == 200
    assert "<title>Newcomer Clinic" in response.content.decode()
