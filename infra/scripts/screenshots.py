#!/usr/bin/env python3
"""Screenshots of each demo site's home page at a phone's and a desktop's width.

    .venv/bin/python infra/scripts/screenshots.py [--out docs/screenshots]

Loads the demo on a throw-away SQLite database (`run_demo --prepare-only`, as the
demo smoke test does), serves it on a free port and opens each demo host in
Debian's headless Chromium through Playwright. Writes `<slug>-<width>.jpg` per site
and width; the README shows them. Nothing is downloaded: the demo's images are made
by the project itself.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SITES = {"riverside": "riverside.localhost", "summit": "summit.localhost",
         "lakeside": "lakeside.localhost", "agency": "localhost"}  # fmt: skip
WIDTHS = {390: 844, 1440: 900}
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_env(workdir: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_"))}  # fmt: skip
    env.update(
        DJANGO_SETTINGS_MODULE="agency_platform.settings.demo",
        DATABASE_URL=f"sqlite:///{workdir / 'demo.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        CELERY_BROKER_URL=f"sqla+sqlite:///{workdir / 'broker.sqlite3'}",
        PRACTICE_SITE_PORT=str(port),
    )
    return env


def wait_for(url: str, host: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers={"Host": host})
            with urllib.request.urlopen(request, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the demo server did not answer at {url}")


def shoot(port: int, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_FLAGS)  # fmt: skip
        for slug, host in SITES.items():
            for width, height in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(f"http://{host}:{port}/", wait_until="networkidle")
                path = out / f"{slug}-{width}.jpg"
                page.screenshot(path=str(path), full_page=True, type="jpeg", quality=70)
                page.close()
                written.append(path)
        browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        env = demo_env(Path(tmp), port)
        manage = [sys.executable, str(REPO_ROOT / "manage.py")]
        subprocess.run([*manage, "run_demo", "--prepare-only"], cwd=REPO_ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_for(f"http://127.0.0.1:{port}/", SITES["riverside"])
            for path in shoot(port, args.out):
                print(path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path)
        finally:
            server.terminate()
            server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
