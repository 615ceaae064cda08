"""The demo, built as `make demo` builds it, served for the browser checks.

`run_demo --prepare-only` loads every demo site into a throw-away SQLite database (as
the demo smoke test and infra/scripts/screenshots.py do); the syndication job the
demo queues is then run by the service a worker would call, so each practice has its
syndicated copy; a real runserver (DEBUG off: the real 404 page, the real CSP) serves
it on a free port. The cache is this test process's own Redis database under a key
prefix of its own. One build per test process (session scope): ~30 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import REPO_ROOT
from tests.processes import free_port, stop_process

# One URL per public page type of every site, read from the demo's own database.
LIST_PAGES = r"""
import json
from wagtail.models import Page, Site
from blog.models import BlogPostPage
from blog.services.syndication_jobs import run_syndication_job
from blog.models.syndication import SyndicationJob

for job in SyndicationJob.objects.exclude(status="done"):
    run_syndication_job(job.pk)

out = {}
for site in Site.objects.select_related("root_page").order_by("hostname"):
    root = site.root_page
    pages = {}
    for page in Page.objects.descendant_of(root, inclusive=True).live().public().specific():
        kind = type(page).__name__
        if isinstance(page, BlogPostPage) and page.syndicated_from_id:
            kind = "SyndicatedBlogPostPage"
        path = page.relative_url(site)
        pages.setdefault(kind, path)
        if isinstance(page, BlogPostPage) and "BlogTagListing" not in pages:
            tag = page.tags.first()
            if tag is not None:
                pages["BlogTagListing"] = f"/blog/tag/{tag.slug}/"
    pages["NotFound"] = "/no-such-page/"
    out[site.hostname] = pages
print("PAGES " + json.dumps(out))
"""


@dataclass
class DemoSite:
    port: int
    pages: dict[str, dict[str, str]]  # hostname -> page type -> path
    workdir: Path

    def url(self, host: str, path: str) -> str:
        return f"http://{host}:{self.port}{path}"

    def urls(self) -> list[tuple[str, str, str]]:
        """(hostname, page type, URL) of every page type of every site."""
        return [
            (host, kind, self.url(host, path))
            for host, kinds in sorted(self.pages.items())
            for kind, path in sorted(kinds.items())
        ]


def _env(workdir: Path, port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_", "CACHE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="agency_platform.settings.demo",
        DEBUG="false",
        DATABASE_URL=f"sqlite:///{workdir / 'demo.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        CELERY_BROKER_URL=f"sqla+sqlite:///{workdir / 'broker.sqlite3'}",
        CELERY_TASK_ALWAYS_EAGER="false",
        PRACTICE_SITE_PORT=str(port),
        # Not the demo's shared file cache in var/: this process's Redis database.
        REDIS_URL=settings.REDIS_URL,
        CACHE_KEY_PREFIX=f"demo-site-{uuid.uuid4().hex[:8]}",
        PYTHONUNBUFFERED="1",
    )
    return env


def _wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"the demo server did not answer at {url}")


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Iterator[DemoSite]:
    workdir = tmp_path_factory.mktemp("demo-site")
    port = free_port()
    env = _env(workdir, port)
    manage = [sys.executable, str(REPO_ROOT / "manage.py")]
    run = {"cwd": REPO_ROOT, "env": env, "capture_output": True, "text": True, "check": False}
    prepare = subprocess.run([*manage, "run_demo", "--prepare-only"], timeout=600, **run)
    assert prepare.returncode == 0, prepare.stdout[-3000:] + prepare.stderr[-3000:]
    listed = subprocess.run([*manage, "shell", "-c", LIST_PAGES], timeout=300, **run)
    assert listed.returncode == 0, listed.stderr[-3000:]
    line = next(x for x in listed.stdout.splitlines() if x.startswith("PAGES "))
    pages = json.loads(line.removeprefix("PAGES "))
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_for(f"http://localhost:{port}/")
        yield DemoSite(port=port, pages=pages, workdir=workdir)
    finally:
        stop_process(server)
