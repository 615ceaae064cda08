"""A post with a future go-live date goes live when the beat task runs."""

from __future__ import annotations

import datetime
import time

import pytest
from django.utils import timezone

from agency_platform.core.tasks import publish_scheduled
from blog.models import BlogPostPage

pytestmark = pytest.mark.django_db


def test_scheduled_post_goes_live_when_its_time_comes(client, riverside_blog) -> None:
    post = BlogPostPage(
        title="Scheduled", slug="scheduled", intro="Soon", date=timezone.now(), live=False
    )
    riverside_blog.add_child(instance=post)
    post.go_live_at = timezone.now() + datetime.timedelta(seconds=2)
    post.save_revision().publish()  # Wagtail turns this into a scheduled revision
    post.refresh_from_db()
    assert post.live is False
    assert client.get("/blog/scheduled/", HTTP_HOST="riverside.example.test").status_code == 404

    publish_scheduled()  # too early: nothing happens
    post.refresh_from_db()
    assert post.live is False

    time.sleep(2.5)  # let the go-live moment pass (no clock-faking library is installed)
    publish_scheduled()  # what beat runs every minute

    post.refresh_from_db()
    assert post.live is True
    html = client.get("/blog/scheduled/", HTTP_HOST="riverside.example.test").content.decode()
    assert "<h1>Scheduled</h1>" in html
