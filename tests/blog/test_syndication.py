"""Syndication of agency library posts: admin screens, a real Celery worker, sync, detach."""

from __future__ import annotations

import datetime
import time

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from blog.models import BlogIndexPage, BlogPostPage, PostType, SyndicationJob
from blog.services import syndication, syndication_jobs
from practices.models import Practice
from practices.services.permissions import AGENCY_STAFF_GROUP
from tests.conftest import transactional_db
from tests.factories import PracticeFactory, UserFactory, editor_of

LIBRARY_HOST = "library.example.test"
FINISHED = (SyndicationJob.Status.DONE, SyndicationJob.Status.FAILED)


def make_library() -> Practice:
    return PracticeFactory(
        name="Agency library", slug="library", hostname=LIBRARY_HOST, template="agency-library"
    )


def blog_of(practice: Practice) -> BlogIndexPage:
    return BlogIndexPage.objects.descendant_of(practice.site.root_page).get()


def publish_post(practice: Practice, *, title: str, slug: str, **fields) -> BlogPostPage:
    post = BlogPostPage(
        title=title,
        slug=slug,
        date=timezone.now() - datetime.timedelta(days=3),
        intro=fields.pop("intro", f"Intro of {title}."),
        body=fields.pop("body", "Wash your **hands**."),
        live=False,  # published below through a revision, as editors do
        audience=fields.pop("audience", "patients"),  # only patient posts are syndicated
        **fields,
    )
    blog_of(practice).add_child(instance=post)
    post.tags.add("prevention")
    post.post_types.set([PostType.objects.get_or_create(name="Advice")[0]])
    post.save_revision().publish()
    return BlogPostPage.objects.get(pk=post.pk)


def edit_and_publish(post: BlogPostPage, **changes) -> None:
    draft = post.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.save_revision().publish()


def agency_user():
    return UserFactory(groups=[Group.objects.get(name=AGENCY_STAFF_GROUP)])


def copy_in(practice: Practice, original: BlogPostPage) -> BlogPostPage:
    return BlogPostPage.objects.child_of(blog_of(practice)).get(syndicated_from=original)


def wait_for_job(job: SyndicationJob, timeout: float = 120) -> SyndicationJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in FINISHED:
            return job
        time.sleep(0.5)
    pytest.fail(f"job {job.pk} still {job.status} ({job.done}/{job.total}); see worker log")


def wait_until(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    pytest.fail("the worker did not sync the copies in time; see var/test-celery-worker.log")


@transactional_db
def test_admin_syndicates_to_50_practices_through_a_worker(client, celery_worker_process) -> None:
    library = make_library()
    original = publish_post(library, title="Flu season is here", slug="flu-season")
    practices = PracticeFactory.create_batch(50)
    client.force_login(agency_user())

    form = client.get(reverse("blog_syndicate", args=[original.pk])).content.decode()
    assert "Flu season is here" in form
    assert practices[0].name in form
    assert "Agency library" not in form  # the library is never offered as a target

    started = timezone.now()
    response = client.post(reverse("blog_syndicate", args=[original.pk]), {"all_practices": "on"})
    job = SyndicationJob.objects.get()
    job_url = reverse("blog_syndication_job", args=[job.pk])
    assert response.status_code == 302
    assert response["Location"] == job_url
    assert job.total == 50
    assert job.requested_by.groups.filter(name=AGENCY_STAFF_GROUP).exists()
    running_page = client.get(job_url).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in running_page
    assert f'max="{job.total}"' in running_page

    job = wait_for_job(job)
    assert job.status == SyndicationJob.Status.DONE, job.error
    assert (job.done, job.total, job.error) == (50, 50, "")
    copies = BlogPostPage.objects.filter(syndicated_from=original)
    assert copies.count() == 50
    for practice in practices:
        copy = copy_in(practice, original)  # exactly one, under that practice's blog
        assert copy.live
        assert copy.slug == "flu-season"
        assert copy.title == "Flu season is here"
        assert copy.body == original.body
        assert started <= copy.date <= job.finished_at
        assert copy.date != original.date
        assert [tag.name for tag in copy.tags.all()] == ["prevention"]
        assert [t.name for t in copy.post_types.all()] == ["Advice"]
        assert copy.get_url_parts()[1] == f"http://{practice.site.hostname}"
    assert not BlogPostPage.objects.child_of(blog_of(library)).filter(syndicated_from=original)

    done_page = client.get(job_url).content.decode()
    assert "50/50" in done_page
    assert "Done" in done_page
    assert 'http-equiv="refresh"' not in done_page
    assert practices[-1].site.hostname in done_page

    revisions = Revision.objects.count()
    rerun = syndication_jobs.run_syndication_job(job.pk)
    assert (rerun.status, rerun.done, rerun.total) == (SyndicationJob.Status.DONE, 50, 50)
    assert BlogPostPage.objects.filter(syndicated_from=original).count() == 50
    assert Revision.objects.count() == revisions  # unchanged copies get no new revision


@transactional_db
def test_a_lost_job_is_resumed_and_edits_reach_every_copy(celery_worker_process) -> None:
    library = make_library()
    original = publish_post(library, title="Sun safety", slug="sun-safety")
    practices = PracticeFactory.create_batch(2)
    # A job whose message never reached the broker: only its row remains.
    job = SyndicationJob.objects.create(original=original, total=2)
    job.practices.set(practices)
    eleven_minutes_ago = timezone.now() - datetime.timedelta(minutes=11)
    SyndicationJob.objects.filter(pk=job.pk).update(created_at=eleven_minutes_ago)

    assert syndication_jobs.resume_stale_jobs() == 1
    assert wait_for_job(job).status == SyndicationJob.Status.DONE
    assert syndication_jobs.resume_stale_jobs() == 0
    before = {practice.pk: copy_in(practice, original) for practice in practices}

    edit_and_publish(
        original, title="Sun safety in summer", intro="Shade first.", body="Use **SPF 30**."
    )

    def all_synced() -> bool:
        titles = BlogPostPage.objects.filter(syndicated_from=original).values_list("title", flat=1)
        return set(titles) == {"Sun safety in summer"}

    wait_until(all_synced)
    for practice in practices:
        copy = copy_in(practice, original)
        assert (copy.intro, copy.body) == ("Shade first.", "Use **SPF 30**.")
        assert copy.date == before[practice.pk].date
        assert copy.slug == before[practice.pk].slug == "sun-safety"
        assert copy.live
        assert not copy.has_unpublished_changes


@transactional_db
def test_a_detached_copy_no_longer_follows_the_original(client, celery_worker_process) -> None:
    library = make_library()
    original = publish_post(library, title="Allergy tips", slug="allergy-tips")
    own, other = PracticeFactory.create_batch(2)
    job = syndication_jobs.request_syndication(original, [own, other], agency_user())
    assert wait_for_job(job).status == SyndicationJob.Status.DONE
    own_copy, other_copy = copy_in(own, original), copy_in(other, original)
    editor = editor_of(own)

    client.force_login(editor_of(other))
    forbidden = client.post(reverse("blog_detach", args=[own_copy.pk]))
    assert forbidden.status_code == 403
    assert BlogPostPage.objects.get(pk=own_copy.pk).syndicated_from_id == original.pk

    client.force_login(editor)
    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=[own_copy.pk])).content.decode()
    assert "the agency&#x27;s next update will replace your edits" in edit_page
    assert reverse("blog_detach", args=[own_copy.pk]) in edit_page
    confirmation = client.get(reverse("blog_detach", args=[own_copy.pk])).content.decode()
    assert "Yes, make it our own" in confirmation
    response = client.post(reverse("blog_detach", args=[own_copy.pk]))
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[own_copy.pk])
    detached = BlogPostPage.objects.get(pk=own_copy.pk)
    assert detached.syndicated_from_id is None
    assert detached.live
    assert not detached.has_unpublished_changes
    assert detached.get_latest_revision().as_object().syndicated_from_id is None
    assert detached.title == "Allergy tips"
    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=[own_copy.pk])).content.decode()
    assert "next update will replace" not in edit_page

    edit_and_publish(original, title="Allergy tips for spring")
    wait_until(lambda: BlogPostPage.objects.get(pk=other_copy.pk).title.endswith("spring"))
    assert BlogPostPage.objects.get(pk=own_copy.pk).title == "Allergy tips"

    synced = BlogPostPage.objects.get(pk=other_copy.pk)
    detached = BlogPostPage.objects.get(pk=own_copy.pk)
    assert syndication.canonical_url(synced) == f"http://{LIBRARY_HOST}/blog/allergy-tips/"
    assert syndication.canonical_url(detached) == f"http://{own.site.hostname}/blog/allergy-tips/"
    assert syndication.canonical_url(original) == f"http://{LIBRARY_HOST}/blog/allergy-tips/"


@pytest.mark.django_db
def test_practice_editors_cannot_syndicate(client) -> None:
    library = make_library()
    original = publish_post(library, title="Hydration", slug="hydration")
    practice = PracticeFactory()
    client.force_login(editor_of(practice))

    url = reverse("blog_syndicate", args=[original.pk])
    opened = client.get(url)
    posted = client.post(url, {"all_practices": "on"})
    assert opened.status_code == posted.status_code == 403
    assert "All practices" not in opened.content.decode()
    assert not SyndicationJob.objects.exists()


@pytest.mark.django_db
def test_selection_by_specialty_never_includes_the_library_or_offline_practices(client) -> None:
    library = make_library()
    original = publish_post(library, title="Acne myths", slug="acne-myths")
    skin = PracticeFactory(specialty="dermatology")
    onboarding_skin = PracticeFactory(specialty="dermatology", status="onboarding")
    PracticeFactory(specialty="dermatology", status="suspended")
    teeth = PracticeFactory(specialty="dentistry")

    by_specialty = syndication.practices_for_selection(specialty="dermatology")
    assert set(by_specialty) == {skin, onboarding_skin}
    assert set(syndication.practices_for_selection(all_practices=True)) == {
        skin, onboarding_skin, teeth,
    }  # fmt: skip
    assert library not in syndication.practices_for_selection(practice_ids=[library.pk])

    client.force_login(agency_user())
    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=[original.pk])).content.decode()
    assert reverse("blog_syndicate", args=[original.pk]) in edit_page
    response = client.post(
        reverse("blog_syndicate", args=[original.pk]),
        {"specialty": "dermatology", "practices": [teeth.pk, library.pk]},
    )
    assert response.status_code == 200  # the library is not a valid choice
    assert "Select a valid choice" in response.content.decode()
    client.post(
        reverse("blog_syndicate", args=[original.pk]),
        {"specialty": "dermatology", "practices": [teeth.pk]},
    )
    job = SyndicationJob.objects.get()
    assert set(job.practices.all()) == {skin, onboarding_skin, teeth}
    assert (job.total, job.status) == (3, SyndicationJob.Status.PENDING)

    with pytest.raises(syndication.SyndicationError):
        syndication_jobs.request_syndication(original, [], agency_user())


@pytest.mark.django_db
def test_only_published_library_originals_can_be_syndicated(client) -> None:
    library = make_library()
    original = publish_post(library, title="Sleep", slug="sleep")
    practice = PracticeFactory()
    own_post = publish_post(practice, title="Our new clinic", slug="new-clinic")
    copy = syndication.syndicate_to_practice(original, practice)

    for post in (own_post, copy):
        with pytest.raises(syndication.SyndicationError):
            syndication_jobs.request_syndication(post, [practice], agency_user())
    client.force_login(agency_user())
    response = client.get(reverse("blog_syndicate", args=[own_post.pk]), follow=True)
    assert "Only a published post of the agency library" in response.content.decode()
    assert not SyndicationJob.objects.exists()


@pytest.mark.django_db
def test_copy_takes_a_free_slug_keeps_its_own_and_is_created_once() -> None:
    library = make_library()
    original = publish_post(library, title="Vaccines", slug="vaccines")
    practice = PracticeFactory()
    publish_post(practice, title="Our vaccine clinic", slug="vaccines")

    copy = syndication.syndicate_to_practice(original, practice)
    again = syndication.syndicate_to_practice(original, practice)
    assert again.pk == copy.pk
    assert (copy.slug, copy.title) == ("vaccines-2", "Vaccines")
    assert BlogPostPage.objects.filter(syndicated_from=original).count() == 1

    edit_and_publish(original, title="Vaccines for adults")
    assert syndication_jobs.sync_copies(original.pk) == 1
    synced = BlogPostPage.objects.get(pk=copy.pk)
    assert (synced.title, synced.slug, synced.date) == (
        "Vaccines for adults",
        "vaccines-2",
        copy.date,
    )


@pytest.mark.django_db
def test_job_records_a_failing_practice_and_carries_on(client) -> None:
    library = make_library()
    original = publish_post(library, title="Heart health", slug="heart-health")
    broken, fine = PracticeFactory.create_batch(2)
    job = SyndicationJob.objects.create(original=original, total=2)
    job.practices.set([broken, fine])
    blog_of(broken).delete()  # a practice whose blog was removed cannot take a copy

    job = syndication_jobs.run_syndication_job(job.pk)
    assert (job.status, job.done, job.total) == (SyndicationJob.Status.FAILED, 1, 2)
    (failure,) = job.failures.all()
    assert (failure.practice, failure.error, failure.attempts) == (
        broken,
        "This practice has no blog.",
        1,
    )
    assert failure.next_retry_at is not None
    assert copy_in(fine, original).live

    client.force_login(agency_user())
    page = client.get(reverse("blog_syndication_job", args=[job.pk])).content.decode()
    assert "1/2" in page
    assert "This practice has no blog." in page
    assert "Failed" in page
