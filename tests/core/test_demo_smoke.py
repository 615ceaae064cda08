"""The demo on its embedded default (SQLite, file cache): `run_demo --prepare-only` loads
every practice, then every page of every practice's sitemap, and its feeds, answer 200.
PostgreSQL runs the rest of the suite; this is what catches SQL that only PostgreSQL
accepts before someone runs `make demo`."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO_ROOT

CHECK_PAGES = r"""
import html
import re
from django.test import Client
from wagtail.models import Site

client = Client(raise_request_exception=False)
CARD_NAME = r'class="(?:team-card__name|post-card__title)"[^>]*>\s*<a[^>]*>([^<]+)<'
checked, failed, with_testimonials = 0, [], []
for site in Site.objects.all():
    host = f"{site.hostname}:{site.port}"
    sitemap = client.get("/sitemap.xml", HTTP_HOST=host)
    paths = ["/sitemap.xml", "/robots.txt"]
    if sitemap.status_code == 200:
        urls = re.findall(r"<loc>([^<]+)</loc>", sitemap.content.decode())
        paths += ["/" + url.split("/", 3)[3] for url in urls]
        if "/blog/" in paths:
            paths += ["/blog/feed/rss/", "/blog/feed/atom/"]
    for path in paths:
        response = client.get(path, HTTP_HOST=host)
        status = response.status_code
        checked += 1
        if path == "/" and b"What our patients say" in response.content:
            with_testimonials.append(site.hostname)
        if path in ("/team/", "/blog/"):
            # What the page names: its team members' cards, its posts' titles.
            names = re.findall(CARD_NAME, response.content.decode())
            names = sorted(html.unescape(name).strip() for name in names)
            print(f"SHOWS {site.hostname}{path} " + "|".join(names))
        if status != 200:
            failed.append(f"{host}{path}: {status}")
summit = Site.objects.get(hostname="summit.localhost")
member = client.get("/team/daniel-weiss/", HTTP_HOST=f"summit.localhost:{summit.port}")
member = member.content.decode()
print("MEMBER_POSTS " + str("Mohs Surgery, Step by Step" in member))
print(f"CHECKED {checked}")
print("FAILED " + "; ".join(failed))
print("TESTIMONIALS " + " ".join(sorted(with_testimonials)))
"""


def test_every_demo_page_renders_on_sqlite(tmp_path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="agency_platform.settings.demo",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        CELERY_BROKER_URL=f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}",
        CELERY_TASK_ALWAYS_EAGER="false",
    )
    manage = [sys.executable, "manage.py"]
    prepare = subprocess.run(
        [*manage, "run_demo", "--prepare-only"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert prepare.returncode == 0, prepare.stdout[-3000:] + prepare.stderr[-3000:]
    check = subprocess.run(
        [*manage, "shell", "-c", CHECK_PAGES],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr[-3000:]
    lines = dict(line.split(" ", 1) for line in check.stdout.splitlines() if " " in line)
    assert int(lines["CHECKED"]) > 40, check.stdout
    assert lines.get("FAILED", "").strip() == "", lines["FAILED"]
    # Each clinic's home shows its approved testimonials; the agency's site shows none.
    assert lines["TESTIMONIALS"].split() == [
        "lakeside.localhost", "riverside.localhost", "summit.localhost",
    ]  # fmt: skip
    assert "Testimonials riverside: 3 imported and approved" in prepare.stdout
    # Three different practices: each its own people, and posts of its own field
    # written by them (each member page lists its author's posts).
    shows = {}
    for line in check.stdout.splitlines():
        if line.startswith("SHOWS "):
            where, _, names = line[len("SHOWS ") :].partition(" ")
            shows[where] = set(names.split("|")) - {""}
    teams = [shows[f"{slug}.localhost/team/"] for slug in ("riverside", "summit", "lakeside")]
    assert all(len(team) >= 4 for team in teams), teams
    for first, second in ((0, 1), (1, 2), (0, 2)):
        assert not (teams[first] & teams[second]), (first, second)
    assert "Priya Shah, MD, FAAD" in teams[1]
    blogs = [shows[f"{slug}.localhost/blog/"] for slug in ("riverside", "summit", "lakeside")]
    assert "Mohs Surgery, Step by Step" in blogs[1]
    assert "Your Child's First Dental Visit" in blogs[2]
    own = [blog - blogs[(n + 1) % 3] - blogs[(n + 2) % 3] for n, blog in enumerate(blogs)]
    assert lines["MEMBER_POSTS"] == "True"  # the Mohs surgeon's page lists his post
    assert all(len(posts) >= 3 for posts in own), own
