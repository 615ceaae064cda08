"""Posts have an audience (front matter `audience`): patient education is what the
agency library syndicates; marketing posts for practice owners stay on the agency's
site; a library post without one is not offered until it is marked for patients."""

from __future__ import annotations

import io
import time

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from wagtail.models import Page, Revision

from blog.front_matter import parse_post, serialize_post
from blog.models import BlogIndexPage, BlogPostPage, SyndicationJob
from blog.services import syndication, syndication_jobs
from blog.tasks import run_syndication_job
from practices.models import Practice, Specialty
from practices.services.permissions import AGENCY_STAFF_GROUP
from tests.blog.factories import make_post
from tests.conftest import transactional_db
from tests.factories import PracticeFactory, UserFactory

FOR_OWNERS = "written for practice owners: it stays on the agency's site"
NOT_MARKED = "Set this post's audience to “Patients” first"


def post_file(audience: str | None) -> str:
    line = "" if audience is None else f"audience: {audience}\n"
    return (
        "---\npost_title: Sun safety\ndate: 2026-06-01T12:00:00.000Z\n"
        f"post_intro: Shade first.\ntags:\n  - Prevention\n{line}---\n\nWear a hat.\n"
    )


def blog_of(practice: Practice) -> BlogIndexPage:
    return BlogIndexPage.objects.descendant_of(practice.site.root_page).get()


# --- Front matter, import and export -----------------------------------------------------


def test_the_audience_key_parses_and_is_written_back_where_it_was() -> None:
    doc = parse_post(post_file("patients"), path="sun.md")
    assert doc.audience == "patients"
    assert "audience" not in doc.extra
    assert serialize_post(doc) == post_file("patients")
    without = parse_post(post_file(None), path="sun.md")
    assert without.audience == ""
    assert serialize_post(without) == post_file(None)


@pytest.mark.django_db
def test_an_unknown_audience_is_refused_with_file_line_and_key(tmp_path) -> None:
    PracticeFactory(name="Riverside", slug="riverside", hostname="riverside.example.test")
    bad = tmp_path / "sun.md"
    bad.write_text(post_file("everyone"))
    before = (Page.objects.count(), Revision.objects.count())
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_posts", "--practice", "riverside", str(bad), stdout=io.StringIO(), stderr=err
        )
    assert err.getvalue() == (
        f"{bad}:7: audience: 'everyone' is not an audience (use patients or practice-owners)\n"
    )
    assert (Page.objects.count(), Revision.objects.count()) == before


@pytest.mark.django_db
@pytest.mark.parametrize("audience", [None, "patients", "practice-owners"])
def test_import_export_round_trip_keeps_the_key_or_its_absence(tmp_path, audience) -> None:
    practice = PracticeFactory(name="Riverside", slug="riverside", hostname="riverside.test")
    source = tmp_path / "in" / "sun.md"
    source.parent.mkdir()
    source.write_text(post_file(audience))
    call_command("import_posts", "--practice", "riverside", str(source), stdout=io.StringIO())
    post = BlogPostPage.objects.child_of(blog_of(practice)).get()
    assert post.audience == (audience or "")
    call_command(
        "export_posts", "--practice", "riverside", "--out", str(tmp_path / "out"),
        stdout=io.StringIO(),
    )  # fmt: skip
    assert (tmp_path / "out" / "sun.md").read_text() == post_file(audience)


# --- Syndication refuses what is not for patients ----------------------------------------


@pytest.fixture
def agency(db) -> Practice:
    return PracticeFactory(
        name="Agency", slug="agency", hostname="agency.test", template="agency-marketing"
    )


@pytest.fixture
def clinics(db) -> list[Practice]:
    return [
        PracticeFactory(name=f"Clinic {n}", slug=f"clinic-{n}", hostname=f"clinic-{n}.test")
        for n in (1, 2)
    ]


@pytest.fixture
def staff_client(client, db):
    staff = UserFactory(groups=[Group.objects.get(name=AGENCY_STAFF_GROUP)])
    client.force_login(staff)
    return client


def copies_of(post: BlogPostPage) -> int:
    return BlogPostPage.objects.filter(syndicated_from=post).count()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("audience", "message"), [("practice-owners", FOR_OWNERS), ("", NOT_MARKED)]
)
def test_the_syndicate_view_refuses_posts_not_for_patients(
    staff_client, agency, clinics, audience, message
) -> None:
    post = make_post(blog_of(agency), title="Grow your practice", audience=audience)
    edit = reverse("wagtailadmin_pages:edit", args=[post.pk])
    url = reverse("blog_syndicate", args=[post.pk])
    for response in (
        staff_client.get(url),
        staff_client.post(url, {"all_practices": "on"}),
    ):
        assert response.status_code == 302
        assert response["Location"] == edit
        shown = [str(m) for m in get_messages(response.wsgi_request)]
        assert shown
        assert all(message in text for text in shown), shown
    assert not SyndicationJob.objects.exists()
    assert copies_of(post) == 0
    # Nor is it offered: the edit page has no Syndicate button.
    assert reverse("blog_syndicate", args=[post.pk]) not in staff_client.get(edit).content.decode()


@pytest.mark.django_db
def test_a_patient_post_is_offered_and_syndicated_from_the_admin(
    staff_client, agency, clinics
) -> None:
    post = make_post(blog_of(agency), title="Sun safety", audience="patients")
    edit = reverse("wagtailadmin_pages:edit", args=[post.pk])
    assert reverse("blog_syndicate", args=[post.pk]) in staff_client.get(edit).content.decode()
    response = staff_client.post(reverse("blog_syndicate", args=[post.pk]), {"all_practices": "on"})
    job = SyndicationJob.objects.get()
    assert response["Location"] == reverse("blog_syndication_job", args=[job.pk])
    syndication_jobs.run_syndication_job(job.pk)  # what the worker runs
    assert copies_of(post) == 2
    copies = BlogPostPage.objects.filter(syndicated_from=post)
    assert set(copies.values_list("audience", flat=True)) == {"patients"}


@pytest.mark.django_db
def test_the_service_refuses_marketing_and_unmarked_posts(agency, clinics) -> None:
    marketing = make_post(blog_of(agency), title="Grow", audience="practice-owners")
    unmarked = make_post(blog_of(agency), title="Old post")
    for post, message in ((marketing, FOR_OWNERS), (unmarked, NOT_MARKED)):
        with pytest.raises(syndication.SyndicationError, match=message):
            syndication_jobs.request_syndication(post, clinics, user=None)
        with pytest.raises(syndication.SyndicationError, match=message):
            syndication.syndicate_to_practice(post, clinics[0])
        assert copies_of(post) == 0
    assert not SyndicationJob.objects.exists()


@transactional_db
def test_a_queued_job_for_a_marketing_post_fails_in_the_worker_with_the_reason(
    celery_worker_process,
) -> None:
    agency = PracticeFactory(
        name="Agency", slug="agency", hostname="agency.test", specialty=Specialty.AGENCY
    )
    clinic = PracticeFactory(name="Clinic", slug="clinic", hostname="clinic.test")
    post = make_post(blog_of(agency), title="Sun safety", audience="patients")
    job = syndication_jobs.request_syndication(post, [clinic], user=None)
    wait_for(lambda: SyndicationJob.objects.get(pk=job.pk).status == SyndicationJob.Status.DONE)
    assert copies_of(post) == 1
    # Marked for practice owners after it went out: a job queued for it (here by hand,
    # as a stale message would be) is refused by the worker, and no copy follows it.
    draft = post.get_latest_revision_as_object()
    draft.audience = "practice-owners"
    draft.title = "Sun safety for your patients' sake"
    draft.save_revision().publish()
    refused = SyndicationJob.objects.create(original=post, total=1)
    refused.practices.set([clinic])
    run_syndication_job.delay(refused.pk)
    wait_for(lambda: SyndicationJob.objects.get(pk=refused.pk).status != "pending")
    wait_for(lambda: SyndicationJob.objects.get(pk=refused.pk).finished_at is not None)
    refused.refresh_from_db()
    assert refused.status == SyndicationJob.Status.FAILED
    assert FOR_OWNERS in refused.error
    copy = BlogPostPage.objects.get(syndicated_from=post)
    assert copy.title == "Sun safety"  # the publish synced nothing either
    assert SyndicationJob.objects.filter(kind=SyndicationJob.Kind.RESYNC).count() == 0


def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the worker")
