"""Retention purge and one person's export/delete (management commands)."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from demo_requests.models import Lead, LeadPrivacySettings
from demo_requests.privacy import purge_expired_leads
from tests.demo_requests.conftest import make_lead

pytestmark = pytest.mark.django_db


def age(lead: Lead, days: int) -> Lead:
    when = timezone.now() - timedelta(days=days)
    Lead.objects.filter(pk=lead.pk).update(created_at=when)
    FormSubmission.objects.filter(pk=lead.submission_id).update(submit_time=when)
    return lead


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_purge_deletes_leads_older_than_each_practices_retention(practice, other_practice) -> None:
    LeadPrivacySettings.objects.create(site=other_practice.site, retention_days=30)
    old_a = age(make_lead(practice, "old@a.test"), 400)
    kept_a = age(make_lead(practice, "recent@a.test"), 100)  # default 365 days
    old_b = age(make_lead(other_practice, "old@b.test"), 31)
    kept_b = age(make_lead(other_practice, "new@b.test"), 5)

    out, _ = run("purge_leads", "--dry-run")
    assert "Would delete 2 submission(s) and 2 lead(s)." in out
    assert "riverside: would delete 1 submission(s), 1 lead(s) older than 365 days" in out
    assert "bravo: would delete 1 submission(s), 1 lead(s) older than 30 days" in out
    assert Lead.objects.count() == 4

    out, _ = run("purge_leads")
    assert "Deleted 2 submission(s) and 2 lead(s)." in out
    assert set(Lead.objects.values_list("pk", flat=True)) == {kept_a.pk, kept_b.pk}
    for lead in (old_a, old_b):  # the personal data goes with the lead
        assert not FormSubmission.objects.filter(pk=lead.submission_id).exists()
    assert FormSubmission.objects.count() == 2

    out, _ = run("purge_leads")
    assert "Deleted 0 submission(s) and 0 lead(s)." in out


def test_purge_also_removes_old_submissions_without_a_lead(practice) -> None:
    from tests.demo_requests.conftest import contact_page

    orphan = FormSubmission.objects.create(page=contact_page(practice), form_data={"x": 1})
    FormSubmission.objects.filter(pk=orphan.pk).update(
        submit_time=timezone.now() - timedelta(days=366)
    )
    result = purge_expired_leads()
    assert (result.submissions, result.leads) == (1, 0)
    assert not FormSubmission.objects.exists()


def test_export_person_data(practice, other_practice) -> None:
    mine = make_lead(practice, "Pat@Example.test", message="Back pain")
    make_lead(other_practice, "pat@example.test")
    make_lead(practice, "someone@else.test")

    out, err = run("export_person_data", "--email", "pat@example.test")
    rows = json.loads(out)
    assert len(rows) == 2
    assert "2 submission(s) found." in err

    out, _ = run("export_person_data", "--email", "pat@example.test", "--practice", "riverside")
    (row,) = json.loads(out)
    assert row["submission_id"] == mine.submission_id
    assert row["fields"]["message"] == "Back pain"
    assert row["lead"]["id"] == mine.pk
    assert row["lead"]["practice"] == "riverside"

    out, err = run("export_person_data", "--email", "nobody@example.test")
    assert json.loads(out) == []
    assert "0 submission(s) found." in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "not-an-email"], "--email must be a valid e-mail address."),
        (["--email", "pat@example.test", "--practice", "nope"], "No practice with slug 'nope'."),
    ],
)
def test_export_errors(practice, args, message) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("export_person_data", *args)


def test_delete_person_data_needs_confirm(practice, other_practice) -> None:
    make_lead(practice, "pat@example.test")
    make_lead(other_practice, "PAT@example.test")
    keep = make_lead(practice, "keep@example.test")

    with pytest.raises(CommandError, match="2 submission\\(s\\) would be deleted; run again"):
        call_command("delete_person_data", "--email", "pat@example.test")
    assert Lead.objects.count() == 3

    out, _ = run(
        "delete_person_data", "--email", "pat@example.test", "--practice", "bravo", "--confirm"
    )
    assert "Deleted 1 submission(s) and 1 lead(s)." in out
    out, _ = run("delete_person_data", "--email", "pat@example.test", "--confirm")
    assert "Deleted 1 submission(s) and 1 lead(s)." in out
    assert list(Lead.objects.values_list("pk", flat=True)) == [keep.pk]
    assert FormSubmission.objects.count() == 1


def test_exit_codes_from_the_command_line(practice) -> None:
    """CommandError exits with status 1 when run as a process."""
    import subprocess
    import sys

    from tests.conftest import REPO_ROOT, subprocess_env

    result = subprocess.run(
        [sys.executable, "manage.py", "delete_person_data", "--email", "x@example.test"],
        cwd=REPO_ROOT,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "would be deleted; run again with --confirm" in result.stderr
