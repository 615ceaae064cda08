"""create_practice: everything in one transaction, idempotent per slug, clear errors."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
    Site,
    WorkflowPage,
)

from blog.models import BlogIndexPage
from demo_requests.models import DemoRequestPage
from practices.models import (
    BrandSettings,
    LocationsIndexPage,
    Practice,
    PracticeHomePage,
    PracticeSettings,
    ServicesIndexPage,
    StandardPage,
    TeamIndexPage,
)

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_practice", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot() -> dict[str, int]:
    """Row counts of everything provisioning writes."""
    return {
        "practices": Practice.objects.count(),
        "sites": Site.objects.count(),
        "pages": Page.objects.count(),
        "collections": Collection.objects.count(),
        "groups": Group.objects.count(),
        "users": get_user_model().objects.count(),
        "page_perms": GroupPagePermission.objects.count(),
        "settings": PracticeSettings.objects.count(),
    }


RIVERSIDE = [
    "--name", "Riverside Family Medicine",
    "--slug", "riverside",
    "--hostname", "riverside.example.com",
    "--owner-email", "Owner@Riverside.example.com",
    "--template", "family-medicine",
    "--alias", "www.riverside.example.com",
]  # fmt: skip


def test_create_practice_builds_the_whole_tenant() -> None:
    output = run(*RIVERSIDE)

    practice = Practice.objects.select_related("site").get(slug="riverside")
    assert "Created practice 'riverside' at http://riverside.example.com/" in output
    assert practice.specialty == "family-medicine"
    assert practice.site.hostname == "riverside.example.com"
    assert practice.site.is_default_site is False
    assert [a.hostname for a in practice.aliases.all()] == ["www.riverside.example.com"]

    home = practice.site.root_page.specific
    assert isinstance(home, PracticeHomePage)
    assert home.title == "Riverside Family Medicine"
    assert home.hero_heading == "Your family's doctors, close to home"
    children = {type(p.specific) for p in home.get_children().live()}
    assert children == {
        BlogIndexPage, TeamIndexPage, DemoRequestPage, StandardPage, ServicesIndexPage,
        LocationsIndexPage,
    }  # fmt: skip
    services = ServicesIndexPage.objects.child_of(home).get().get_children().live()
    assert [page.title for page in services] == [
        "Annual physicals", "Same-day sick visits", "Chronic care management",
    ]  # fmt: skip
    form_page = DemoRequestPage.objects.child_of(home).get()
    # The hero's first button asks for an appointment on the contact page.
    hero = home.body[0]
    assert hero.block_type == "hero"
    assert hero.value["actions"][0]["page"].pk == form_page.pk
    assert hero.value["actions"][0]["label"] == "Request an appointment"
    labels = [f.label for f in form_page.form_fields.all()]
    assert labels[:3] == ["Your name", "Phone", "Email"]
    assert form_page.form_kind == "appointment"
    assert "Preferred provider" in labels
    assert "See our privacy policy: /privacy/" in form_page.form_fields.last().help_text

    assert practice.collection.name == "Riverside Family Medicine [riverside]"
    assert practice.editors_group.name == "Riverside Family Medicine editors"
    assert practice.moderators_group.name == "Riverside Family Medicine moderators"
    editor_page_perms = set(
        GroupPagePermission.objects.filter(group=practice.editors_group).values_list(
            "page_id", "permission__codename"
        )
    )
    assert editor_page_perms == {
        (home.pk, "add_page"),
        (home.pk, "change_page"),
        (home.pk, "lock_page"),
    }
    assert set(
        GroupCollectionPermission.objects.filter(group=practice.editors_group).values_list(
            "collection_id", flat=True
        )
    ) == {practice.collection_id}
    assert set(
        GroupSitePermission.objects.filter(group=practice.moderators_group).values_list(
            "site_id", "permission__codename"
        )
    ) == {
        (practice.site_id, "change_practicesettings"),
        (practice.site_id, "change_brandsettings"),
        (practice.site_id, "change_leadprivacysettings"),
        (practice.site_id, "change_blogsettings"),
    }
    workflow = WorkflowPage.objects.get(page=home).workflow
    (task,) = workflow.tasks
    assert list(task.specific.groups.all()) == [practice.moderators_group]

    assert PracticeSettings.for_site(practice.site).display_name == "Riverside Family Medicine"
    assert BrandSettings.for_site(practice.site).primary_colour == "#1f5f3a"

    owner = get_user_model().objects.get(username="owner@riverside.example.com")
    assert not owner.has_usable_password()
    assert list(owner.groups.all()) == [practice.moderators_group]
    assert "Owner password-set link: http://testserver/admin/password_reset/confirm/" in output


def test_running_again_with_the_same_slug_changes_nothing() -> None:
    run(*RIVERSIDE)
    before = snapshot()

    output = run(*RIVERSIDE)

    assert output.strip() == "Practice 'riverside' already exists; nothing changed."
    assert snapshot() == before


def test_same_slug_with_another_hostname_says_what_it_did_not_change() -> None:
    run(*RIVERSIDE)
    output = run("--name", "Riverside", "--slug", "riverside", "--hostname", "new.example.com")
    assert "already exists; nothing changed" in output
    assert (
        "requested hostname new.example.com differs from the existing riverside.example.com"
        in output
    )
    assert not Site.objects.filter(hostname="new.example.com").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--slug", "Bad_Slug"], "slug: Use 1-50 lowercase letters"),
        (["--slug", "trailing-"], "slug: Use 1-50 lowercase letters"),
        (
            ["--hostname", "riverside.example.com"],
            "hostname: 'riverside.example.com' is already used",
        ),
        (
            ["--hostname", "www.riverside.example.com"],
            "hostname: 'www.riverside.example.com' is already used",
        ),
        (["--hostname", "http://x.example.com/"], "hostname: Enter a lowercase hostname"),
        (
            ["--template", "spa"],
            "template: unknown template 'spa' (known: agency-marketing, dentistry",
        ),
        (["--specialty", "astrology"], "specialty: unknown specialty 'astrology'"),
        (["--owner-email", "not-an-email"], "owner_email: Enter a valid email address."),
        (["--timezone", "Mars/Olympus"], "timezone: 'Mars/Olympus' is not a known time zone"),
        (
            ["--alias", "other.example.com", "--alias", "other.example.com"],
            "aliases: an alias repeats",
        ),
        (["--name", "   "], "name: is required."),
    ],
)
def test_bad_input_names_the_field_exits_non_zero_and_writes_nothing(args, message) -> None:
    run(*RIVERSIDE)
    before = snapshot()
    base = {"--name": "Other Practice", "--slug": "other", "--hostname": "other.example.com"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    argv = [item for pair in base.items() for item in pair]
    if args.count("--alias") == 2:
        argv += ["--alias", "other.example.com"]

    with pytest.raises(CommandError) as excinfo:
        run(*argv)

    assert str(excinfo.value).startswith(message)
    assert "\n" not in str(excinfo.value)
    assert snapshot() == before


def test_a_failure_half_way_rolls_everything_back(monkeypatch) -> None:
    """A crash after pages, site and groups exist leaves no trace of them."""
    from practices.services import provisioning

    def explode(**kwargs):
        raise RuntimeError("database went away")

    before = snapshot()
    monkeypatch.setattr(provisioning, "create_moderation_workflow", explode)
    with pytest.raises(RuntimeError):
        run("--name", "Half Made", "--slug", "half", "--hostname", "half.example.com")
    assert snapshot() == before
    assert not Page.objects.filter(slug="half").exists()


def test_the_command_exits_non_zero_from_the_shell(tmp_path) -> None:
    import subprocess
    import sys

    from tests.conftest import REPO_ROOT, subprocess_env

    result = subprocess.run(
        [sys.executable, "manage.py", "create_practice", "--name", "X", "--slug", "Bad Slug",
         "--hostname", "x.example.com"],
        cwd=REPO_ROOT, env=subprocess_env(), capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("CommandError: slug: Use 1-50")
