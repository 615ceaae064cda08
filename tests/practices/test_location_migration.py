"""The data migration from team members' free-text location to location pages, run
on real rows: migrated back to before it, text written into the restored column, then
forward again (and back, which restores the text)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from practices.models import LocationPage, LocationsIndexPage, TeamMemberPage
from tests.factories import PracticeFactory
from tests.practices.team_fixtures import add_member

BEFORE = ("practices", "0006_location_and_service_pages")
# Forward to the latest migration, not just to 0008: the test reads the rows through
# today's models and leaves the schema as every other test expects it.
AFTER = ("practices", "0013_service_page_drop_faq")


def migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


def set_text(member, text: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE practices_teammemberpage SET location = %s WHERE page_ptr_id = %s",
            [text, member.pk],
        )


def texts() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.title, m.location FROM practices_teammemberpage m "
            "JOIN wagtailcore_page p ON p.id = m.page_ptr_id"
        )
        return dict(cursor.fetchall())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_location_text_becomes_linked_location_pages_and_comes_back(client) -> None:
    alpha = PracticeFactory(name="Alpha Care", slug="alpha", hostname="alpha.example.test")
    bravo = PracticeFactory(name="Bravo Care", slug="bravo", hostname="bravo.example.test")
    # An older practice: no locations page yet (the migration makes one).
    LocationsIndexPage.objects.child_of(bravo.site.root_page).get().delete()
    ann = add_member(alpha, "Dr Ann")
    ben = add_member(alpha, "Dr Ben")
    cat = add_member(alpha, "Dr Cat")
    dan = add_member(alpha, "Dr Dan")
    eve = add_member(bravo, "Dr Eve")

    migrate(BEFORE)
    set_text(ann, "North Clinic")
    set_text(ben, "  north   clinic ")  # the same office, typed differently
    set_text(cat, "South Clinic")
    set_text(eve, "North Clinic")  # another practice's office of the same name
    migrate(AFTER)

    alpha_offices = LocationPage.objects.descendant_of(alpha.site.root_page).order_by("path")
    assert [(o.title, o.slug, o.live) for o in alpha_offices] == [
        ("Main office", "main-office", False),  # the starter draft, untouched
        ("North Clinic", "north-clinic", True),
        ("South Clinic", "south-clinic", True),
    ]
    north = alpha_offices.get(slug="north-clinic")
    assert north.url_path == "/alpha/locations/north-clinic/"
    assert {m.title for m in north.team_members.all()} == {"Dr Ann", "Dr Ben"}
    assert [o.title for o in TeamMemberPage.objects.get(pk=cat.pk).locations.all()] == [
        "South Clinic"
    ]
    assert not TeamMemberPage.objects.get(pk=dan.pk).locations.exists()
    # Bravo got its own locations page and office, in its own tree.
    bravo_index = LocationsIndexPage.objects.child_of(bravo.site.root_page).get()
    assert (bravo_index.slug, bravo_index.live, bravo_index.show_in_menus) == (
        "locations",
        True,
        True,
    )
    bravo_north = LocationPage.objects.child_of(bravo_index).get()
    assert bravo_north.pk != north.pk
    assert list(bravo_north.team_members.values_list("title", flat=True)) == ["Dr Eve"]
    # The tree is consistent (treebeard's bookkeeping was done by hand).
    assert LocationsIndexPage.objects.child_of(alpha.site.root_page).get().numchild == 3
    assert bravo.site.root_page.get_children().filter(slug="locations").exists()
    # An editor opening the member sees the link (it is in the revision too).
    revision = TeamMemberPage.objects.get(pk=ann.pk).latest_revision
    assert revision.content["locations"] == [north.pk]
    assert [o.pk for o in revision.as_object().locations.all()] == [north.pk]
    # The public team page groups and filters by the new pages.
    html = client.get("/team/?location=north-clinic", HTTP_HOST="alpha.example.test")
    page = html.content.decode()
    assert ">Dr Ann, MD</a>" in page
    assert ">Dr Cat, MD</a>" not in page
    assert '<option value="south-clinic">South Clinic</option>' in page

    migrate(BEFORE)
    assert texts() == {
        "Dr Ann": "North Clinic",
        "Dr Ben": "North Clinic",
        "Dr Cat": "South Clinic",
        "Dr Dan": "",
        "Dr Eve": "North Clinic",
    }
    migrate(AFTER)
