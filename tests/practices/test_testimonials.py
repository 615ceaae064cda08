"""Testimonials: collected by editors, shown on the home page only once a moderator of
the practice approved them, isolated per practice, fresh on the next anonymous view
with the page cache on, imported from CSV all or nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse

from practices.models import Testimonial, TestimonialStatus
from tests.factories import PracticeFactory, UserFactory, editor_of, moderator_of

pytestmark = pytest.mark.django_db
HOST = "alpha.example.test"
QUOTE = "Dr Ruiz listened, explained everything and we were seen the same day."


@pytest.fixture
def alpha(settings):
    settings.PAGE_CACHE_ENABLED = True  # freshness is checked with every cache layer on
    return PracticeFactory(name="Alpha Family Care", slug="alpha", hostname=HOST)


def add_url() -> str:
    return reverse("wagtailsnippets_practices_testimonial:add")


def edit_url(testimonial: Testimonial) -> str:
    return reverse("wagtailsnippets_practices_testimonial:edit", args=[testimonial.pk])


def form_data(practice, **overrides) -> dict:
    data = {
        "practice": practice.pk,
        "quote": QUOTE,
        "display_name": "Maria G.",
        "source": "in-person",
        "given_on": "2026-10-14",
        "consent_recorded": "on",
        "consent_note": "Signed form in the patient's file",
        "status": TestimonialStatus.PENDING,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def home(client) -> tuple[str, str]:
    response = client.get("/", HTTP_HOST=HOST)
    assert response.status_code == 200
    return response.content.decode(), response.get("X-Cache", "")


def test_an_editors_testimonial_shows_only_after_a_moderator_approves_it(client, alpha) -> None:
    home(client)
    page, state = home(client)
    assert state == "HIT"
    assert "What our patients say" not in page

    client.force_login(editor_of(alpha))
    # An editor cannot approve: the status field is disabled, a posted value is ignored.
    response = client.post(add_url(), form_data(alpha, status=TestimonialStatus.APPROVED))
    assert response.status_code == 302
    testimonial = Testimonial.objects.get()
    assert testimonial.status == TestimonialStatus.PENDING
    client.logout()
    assert QUOTE not in home(client)[0]

    moderator = moderator_of(alpha)
    client.force_login(moderator)
    response = client.post(edit_url(testimonial), form_data(alpha, status="approved"))
    assert response.status_code == 302
    testimonial.refresh_from_db()
    assert testimonial.status == TestimonialStatus.APPROVED
    assert testimonial.reviewed_by == moderator
    client.logout()
    page, state = home(client)
    assert state != "HIT"  # the approval made the practice's cached pages stale
    assert "What our patients say" in page
    assert QUOTE in page
    assert '<time datetime="2026-10-14">October 2026</time>' in page

    # An editor's change to the words needs a new approval: it leaves the home page.
    client.force_login(editor_of(alpha))
    changed = form_data(alpha, quote="Changed words.", status=None)
    assert client.post(edit_url(testimonial), changed).status_code == 302
    testimonial.refresh_from_db()
    assert testimonial.status == TestimonialStatus.PENDING
    assert testimonial.reviewed_by is None
    client.logout()
    page, _ = home(client)
    assert "Changed words." not in page
    assert QUOTE not in page


def test_a_testimonial_without_consent_is_refused_naming_the_field(client, alpha) -> None:
    client.force_login(moderator_of(alpha))
    response = client.post(add_url(), form_data(alpha, consent_recorded=None))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["consent_recorded"] == [
        "A testimonial is published only with the patient's recorded consent."
    ]
    assert not Testimonial.objects.exists()


def test_another_practices_testimonials_are_invisible_and_unchangeable(client, alpha) -> None:
    bravo = PracticeFactory(name="Bravo Dermatology", slug="bravo", hostname="bravo.example.test")
    theirs = Testimonial.objects.create(
        practice=bravo, quote="Bravo's words", display_name="B.", source="email",
        consent_recorded=True, status=TestimonialStatus.APPROVED,
    )  # fmt: skip
    client.force_login(moderator_of(alpha))
    listing = client.get(reverse("wagtailsnippets_practices_testimonial:list"))
    assert listing.status_code == 200
    assert "Bravo&#x27;s words" not in listing.content.decode()
    assert client.get(edit_url(theirs)).status_code == 404
    response = client.post(edit_url(theirs), form_data(bravo, quote="Hijacked"))
    assert response.status_code == 404
    # Nor can a testimonial be filed under another practice.
    response = client.post(add_url(), form_data(bravo))
    assert "practice" in response.context["form"].errors
    theirs.refresh_from_db()
    assert theirs.quote == "Bravo's words"
    assert Testimonial.objects.count() == 1
    assert "Bravo&#x27;s words" not in home(client)[0]
    # A moderator of another practice cannot approve this one's either.
    own = Testimonial.objects.create(
        practice=alpha, quote=QUOTE, display_name="M.", source="email", consent_recorded=True
    )
    client.force_login(UserFactory(groups=[alpha.editors_group, bravo.moderators_group]))
    client.post(edit_url(own), form_data(alpha, status="approved"))
    own.refresh_from_db()
    assert own.status == TestimonialStatus.PENDING


def test_the_home_page_keeps_its_testimonials_in_a_constant_number_of_queries(
    client, alpha, settings, django_assert_max_num_queries
) -> None:
    settings.PAGE_CACHE_ENABLED = False  # a real render: routing keeps the testimonials
    counts = []
    for total in (1, 6):
        for number in range(Testimonial.objects.count(), total):
            Testimonial.objects.create(
                practice=alpha, quote=f"Words {number}", display_name=f"P{number}",
                source="survey", consent_recorded=True, status=TestimonialStatus.APPROVED,
                given_on=date(2026, 1, 1 + number),
            )  # fmt: skip
        cache.clear()
        # Cold: routing and the site bundle, then every block of the provisioned home
        # page loads its data (tests/practices/test_page_builder_budgets.py).
        # A provisioned home's blocks, the request form and the location pages among
        # them (29 since both were added to new homes; 30 since the latest posts read
        # when the blog's next post is due).
        with django_assert_max_num_queries(30) as cold:
            page, _ = home(client)
        with django_assert_max_num_queries(0):
            page, _ = home(client)
        counts.append(len(cold))
        newest = f"Words {total - 1}"
        assert newest in page
    assert counts[0] == counts[1]
    # Three at most, newest first.
    assert page.index("Words 5") < page.index("Words 4") < page.index("Words 3")
    assert "Words 2" not in page


CSV_HEADER = "quote,display_name,source,given_on,consent_recorded,consent_note\n"


def test_csv_import_creates_pending_testimonials_once(tmp_path: Path, alpha, capsys) -> None:
    path = tmp_path / "testimonials.csv"
    path.write_text(
        CSV_HEADER
        + '"Kind, quick, thorough.",J. P.,survey,2026-09-01,yes,Survey form 12\n'
        + "Always on time.,Ann,email,2026-09-03,yes,\n"
    )
    call_command("import_testimonials", "--practice", "alpha", str(path))
    assert "2 testimonial(s) imported" in capsys.readouterr().out
    rows = list(Testimonial.objects.order_by("given_on").values_list("quote", "status"))
    assert rows == [("Kind, quick, thorough.", "pending"), ("Always on time.", "pending")]
    call_command("import_testimonials", "--practice", "alpha", str(path))
    assert "0 testimonial(s) imported" in capsys.readouterr().out
    assert Testimonial.objects.count() == 2


def test_csv_import_with_bad_rows_writes_nothing_and_names_each_problem(
    tmp_path: Path, alpha, capsys
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        CSV_HEADER
        + "Fine words.,Ann,email,2026-09-03,yes,\n"
        + "No consent.,Bob,email,2026-09-03,no,\n"
        + "Bad date.,Cy,email,03/09/2026,yes,\n"
        + "Odd source.,Di,tiktok,2026-09-03,maybe,\n"
        + ",Ed,email,2026-09-03,yes,\n"
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_testimonials", "--practice", "alpha", str(path))
    errors = capsys.readouterr().err
    assert f"{path}:3: consent_recorded: A testimonial is published only" in errors
    assert f"{path}:4: given_on: '03/09/2026' is not a date (YYYY-MM-DD)" in errors
    assert f"{path}:5: consent_recorded: 'maybe' is not yes or no" in errors
    assert f"{path}:5: source: Value 'tiktok' is not a valid choice." in errors
    assert f"{path}:6: quote: This field cannot be blank." in errors
    assert ":2:" not in errors
    assert not Testimonial.objects.exists()

    (tmp_path / "columns.csv").write_text("quote,name\nHi,Ann\n")
    with pytest.raises(CommandError, match=r"columns\.csv:1: missing column\(s\): display_name"):
        call_command("import_testimonials", "--practice", "alpha", str(tmp_path / "columns.csv"))
    with pytest.raises(CommandError, match="practice: no practice with slug 'nope'"):
        call_command("import_testimonials", "--practice", "nope", str(path))
