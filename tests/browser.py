"""Playwright + Debian's Chromium for end-to-end tests (Playwright cannot download
its own browser on our machines, so it drives /usr/bin/chromium)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium(django_db_setup) -> Iterator[object]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the Django ORM calls
    # the tests make between browser steps are synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Once Playwright runs, Django hands this thread new connection objects, which
    # lack the snapshot of the migrated database that serialized_rollback restores
    # after a transactional test's flush (Wagtail's root page, for one): carry it over.
    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            connections[alias]._test_serialized_contents = snapshot
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_failed = report.failed
    return report


@pytest.fixture
def browser_page(chromium, request) -> Iterator[object]:
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    if getattr(request.node, "browser_failed", False):
        # Left for the developer (and CI logs): what the browser showed when it failed.
        out = Path(__file__).resolve().parent.parent / "var" / "test-results"
        out.mkdir(parents=True, exist_ok=True)
        shot = out / f"{request.node.name}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"\nbrowser at {page.url}; screenshot: {shot}")
    context.close()
