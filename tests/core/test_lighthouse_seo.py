"""Lighthouse 12's SEO category scores 1.0 on every public page type of a practice
(Riverside) and of the agency's site in the demo. One Chromium (Debian's) runs every
URL in turn (infra/lighthouse/seo.mjs); a failing page prints its failing audits.
The 404 page is left out: its status code is the point of it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import REPO_ROOT
from tests.demo_site import DemoSite

pytestmark = [pytest.mark.browser]

LIGHTHOUSE_DIR = REPO_ROOT / "infra" / "lighthouse"
HOSTS = ("riverside.localhost", "localhost")


def lighthouse_seo(urls: list[str]) -> dict[str, dict]:
    if not (LIGHTHOUSE_DIR / "node_modules" / "lighthouse").is_dir():
        pytest.fail("Lighthouse is not installed: `make browser` runs npm ci in infra/lighthouse")
    node = shutil.which("node")
    assert node, "node (20+) is needed for the Lighthouse test"
    env = {**os.environ, "CHROME_PATH": CHROMIUM, "CHROME_FLAGS": " ".join(CHROMIUM_ARGS)}
    run = subprocess.run(
        [node, "seo.mjs", *urls],
        cwd=LIGHTHOUSE_DIR, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def test_lighthouse_seo_is_100_on_every_public_page_type(demo_site: DemoSite) -> None:
    urls = [
        demo_site.url(host, path)
        for host in HOSTS
        for kind, path in sorted(demo_site.pages[host].items())
        if kind != "NotFound"
    ]
    assert len(urls) >= 18
    results = lighthouse_seo(urls)
    assert sorted(results) == sorted(urls)
    failing = [
        f"{url}: {result['score']} {result.get('runtimeError') or ''}\n"
        + "\n".join(
            f"  {a['id']}: {a['title']} {json.dumps(a['details'])[:400]}" for a in result["failing"]
        )
        for url, result in results.items()
        if result["score"] != 1
    ]
    assert not failing, "Lighthouse SEO below 100:\n" + "\n".join(failing)
