"""media_audit on the local filesystem storage (development, the demo)."""

from __future__ import annotations

import io
import uuid

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import PracticeFactory
from tests.practices.team_fixtures import portrait


def test_audit_lists_missing_files_and_orphans_on_local_storage(db, settings) -> None:
    # A slug of its own: local media files outlive the test database between runs.
    slug = f"cedar-{uuid.uuid4().hex[:8]}"
    practice = PracticeFactory(name="Cedar Clinic", slug=slug, hostname=f"{slug}.example.test")
    image = portrait(practice, "Dr Cedar", "Dr Cedar smiling")
    rendition = image.get_rendition("fill-640x360")
    default_storage.delete(rendition.file.name)
    stray = default_storage.save(f"practices/{slug}/original_images/stray.png", io.BytesIO(b"x"))
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("media_audit", "--practice", slug, stdout=out, stderr=io.StringIO())
    assert str(caught.value) == "2 media problem(s) remain."
    lines = out.getvalue().splitlines()
    assert lines[0] == "checked 2 row(s) and 2 object(s): 1 missing, 1 orphan(s)"
    assert f"missing: rendition {rendition.pk} of image {image.pk}: {rendition.file.name}" in lines
    assert any(line.startswith(f"orphan: {stray} (1 bytes") for line in lines)

    settings.MEDIA_ORPHAN_GRACE_SECONDS = 0
    out = io.StringIO()
    call_command("media_audit", "--practice", slug, "--repair", stdout=out)
    assert f"deleted: {stray}" in out.getvalue()
    assert not default_storage.exists(stray)
    assert not image.renditions.exists()  # dropped; the worker makes it again
