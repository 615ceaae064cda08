"""What a new practice starts with comes from the features' registrations, in order."""

from __future__ import annotations

import ast
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from practices import starter_pages
from practices.models import LocationPage, Practice, ServicePage, StandardPage
from practices.starter_pages import StarterPage, register_starter_page
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.django_db


def provision(slug: str) -> Practice:
    call_command(
        "create_practice",
        *("--name", f"Practice {slug}", "--slug", slug, "--hostname", f"{slug}.example.com"),
        stdout=StringIO(),
    )
    return Practice.objects.select_related("site__root_page").get(slug=slug)


def test_every_feature_contributes_its_pages_in_position_order() -> None:
    home = provision("orderly").site.root_page.specific
    children = [
        (page.slug, type(page.specific).__name__, page.show_in_menus, page.live)
        for page in home.get_children()
    ]
    assert children == [
        ("services", "ServicesIndexPage", True, True),
        ("team", "TeamIndexPage", True, True),
        ("locations", "LocationsIndexPage", True, True),
        ("blog", "BlogIndexPage", True, True),
        ("privacy", "StandardPage", False, True),
        ("contact", "DemoRequestPage", True, True),
    ]
    # The hero's first button is the call-to-action starter page.
    assert home.body[0].value["actions"][0]["page"].slug == "contact"
    assert home.live
    assert not home.has_unpublished_changes


def test_a_newly_registered_starter_page_is_provisioned_where_its_position_says() -> None:
    def accessibility(context) -> StandardPage:
        return StandardPage(title="Accessibility", slug="accessibility", intro=context.name)

    saved = dict(starter_pages._pages)
    try:
        register_starter_page(StarterPage(key="a11y", position=25, build=accessibility))
        home = provision("extra").site.root_page
    finally:
        starter_pages._pages.clear()
        starter_pages._pages.update(saved)
    slugs = list(home.get_children().values_list("slug", flat=True))
    assert slugs == ["services", "team", "locations", "blog", "accessibility", "privacy",
                     "contact"]  # fmt: skip
    assert StandardPage.objects.get(slug="accessibility").intro == "Practice extra"


def test_two_features_cannot_both_claim_the_call_to_action() -> None:
    with pytest.raises(ValueError, match="already contact"):
        register_starter_page(
            StarterPage(key="other", position=50, build=lambda c: None, call_to_action=True)
        )


@pytest.mark.parametrize(
    "module", ["practices/services/provisioning.py", "practices/starter_pages.py"]
)
def test_provisioning_imports_no_feature_app(module: str) -> None:
    tree = ast.parse(Path(REPO_ROOT, module).read_text())
    imported = {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    } | {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not imported & {"blog", "demo_requests"}


def test_the_template_services_become_service_pages_and_an_office_waits_as_a_draft() -> None:
    call_command(
        "create_practice",
        *("--name", "Peak Skin", "--slug", "peak", "--hostname", "peak.example.com"),
        *("--template", "dermatology"),
        stdout=StringIO(),
    )
    home = Practice.objects.get(slug="peak").site.root_page
    services = ServicePage.objects.descendant_of(home).order_by("path")
    assert [(s.title, s.slug, s.live) for s in services] == [
        ("Skin cancer screening", "skin-cancer-screening", True),
        ("Acne treatment", "acne-treatment", True),
        ("Mohs surgery", "mohs-surgery", True),
    ]
    # The template's one-sentence summary (practices/starter_templates.py).
    assert services[0].summary == "A full-body skin check by a board-certified dermatologist."
    office = LocationPage.objects.descendant_of(home).get()
    # No address is known at provisioning: a draft for the editors, with a revision.
    assert (office.title, office.live, office.street_address) == ("Main office", False, "")
    assert office.latest_revision is not None
