"""Syndication never forgets a copy: a practice whose copy cannot be saved is recorded
on the job, retried by the worker with backoff, shown on the job page and retried
from there. The failure is a real one: a PostgreSQL trigger refuses the copy's row in
one practice (as a constraint would), until the test drops it."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.db import connection
from django.urls import reverse

from blog.models import BlogPostPage, SyndicationFailure, SyndicationJob
from practices.models import Practice
from tests.blog.test_syndication import (
    agency_user,
    copy_in,
    edit_and_publish,
    make_library,
    publish_post,
    wait_for_job,
)
from tests.conftest import transactional_db
from tests.factories import PracticeFactory

REFUSE = "copies refused in this practice"
REFUSING_TRIGGER = """
    CREATE OR REPLACE FUNCTION test_refuse_copy() RETURNS trigger AS $$
    BEGIN
        IF (SELECT path FROM wagtailcore_page WHERE id = NEW.page_ptr_id) LIKE 'ROOT_PATH%' THEN
            RAISE EXCEPTION 'copies refused in this practice' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    DROP TRIGGER IF EXISTS test_refuse_copy ON blog_blogpostpage;
    CREATE TRIGGER test_refuse_copy BEFORE INSERT OR UPDATE ON blog_blogpostpage
        FOR EACH ROW EXECUTE FUNCTION test_refuse_copy();
"""


@pytest.fixture
def refuse_copies_in() -> Iterator:
    """refuse_copies_in(practice): its blog post rows can no longer be written."""

    def install(practice: Practice) -> None:
        root = practice.site.root_page.path
        assert root.isalnum()  # a tree path: safe inside the function's body
        with connection.cursor() as cursor:
            # DDL takes no parameters; the path is checked above.
            cursor.execute(REFUSING_TRIGGER.replace("ROOT_PATH", root))

    yield install
    drop_trigger()


def drop_trigger() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS test_refuse_copy ON blog_blogpostpage")


def wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    pytest.fail("the worker did not get there in time; see var/test-celery-worker-*.log")


def retries_used_up(job: SyndicationJob) -> bool:
    failure = job.failures.first()
    return failure is not None and failure.next_retry_at is None


@transactional_db
def test_a_copy_that_cannot_be_saved_is_retried_shown_and_retried_from_the_job_page(
    client, celery_worker_process, refuse_copies_in
) -> None:
    library = make_library()
    original = publish_post(library, title="Hay fever", slug="hay-fever")
    fine, refusing = PracticeFactory.create_batch(2)
    refuse_copies_in(refusing)
    client.force_login(agency_user())

    client.post(reverse("blog_syndicate", args=[original.pk]), {"all_practices": "on"})
    job = wait_for_job(SyndicationJob.objects.get())
    assert (job.status, job.done, job.total) == (SyndicationJob.Status.FAILED, 1, 2)
    assert copy_in(fine, original).live
    # Two automatic retries (test settings: 1 s, then 2 s later), each failing again.
    wait_for(lambda: retries_used_up(job))
    failure = SyndicationFailure.objects.get(job=job)
    assert failure.practice == refusing
    assert failure.attempts == 3
    assert failure.error.startswith(f"IntegrityError: {REFUSE}")
    assert not BlogPostPage.objects.filter(syndicated_from=original, path__startswith=(
        refusing.site.root_page.path
    )).exists()  # fmt: skip

    job_url = reverse("blog_syndication_job", args=[job.pk])
    page = client.get(job_url).content.decode()
    assert "Failed practices" in page
    assert refusing.site.hostname in page
    assert REFUSE in page
    assert "none left" in page
    assert f'name="failure" value="{failure.pk}"' in page
    assert "1/2" in page

    drop_trigger()  # the cause is fixed; the agency retries from the job page
    response = client.post(
        reverse("blog_syndication_retry", args=[job.pk]), {"failure": failure.pk}
    )
    assert response["Location"] == job_url
    wait_for(lambda: not SyndicationFailure.objects.filter(job=job).exists())
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (SyndicationJob.Status.DONE, 2, 2)
    assert copy_in(refusing, original).title == "Hay fever"
    page = client.get(job_url).content.decode()
    assert "Failed practices" not in page
    assert "2/2" in page
    assert "Retrying 1 practice(s) now." in page


@transactional_db
def test_a_copy_whose_sync_fails_is_retried_automatically_until_it_follows(
    celery_worker_process, refuse_copies_in
) -> None:
    library = make_library()
    original = publish_post(library, title="Sleep", slug="sleep")
    fine, refusing = PracticeFactory.create_batch(2)
    job = SyndicationJob.objects.create(original=original, total=2)
    job.practices.set([fine, refusing])
    from blog.services.syndication_jobs import run_syndication_job

    run_syndication_job(job.pk)
    refuse_copies_in(refusing)

    edit_and_publish(original, title="Sleep well")  # the worker re-syncs both copies
    wait_for(lambda: SyndicationJob.objects.filter(kind=SyndicationJob.Kind.RESYNC).exists())
    resync = wait_for_job(SyndicationJob.objects.get(kind=SyndicationJob.Kind.RESYNC))
    assert (resync.status, resync.done, resync.total) == (SyndicationJob.Status.FAILED, 1, 2)
    assert copy_in(fine, original).title == "Sleep well"
    assert copy_in(refusing, original).title == "Sleep"
    failure = resync.failures.get()
    assert failure.practice == refusing
    assert REFUSE in failure.error

    drop_trigger()  # the next automatic retry (1 s later) succeeds
    wait_for(lambda: copy_in(refusing, original).title == "Sleep well")
    wait_for(lambda: not resync.failures.exists())
    resync.refresh_from_db()
    assert (resync.status, resync.done) == (SyndicationJob.Status.DONE, 2)
