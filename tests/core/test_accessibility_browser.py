"""axe-core (4.12, bundled by axe-playwright-python) on every public page type of
every demo site, in Chromium at a phone's and a desktop's width: any violation of
WCAG 2.0/2.1 A and AA or of axe's best practices fails, naming the page, the rule
and the elements. axe runs through Playwright's evaluate (DevTools), so the sites'
CSP stays as it is: no script is injected into the page's own context."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.demo_site import DemoSite

pytestmark = [pytest.mark.browser]

AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
}
VIEWPORTS = {"phone": {"width": 360, "height": 800}, "desktop": {"width": 1280, "height": 900}}
EXPECTED_KINDS = {
    "riverside.localhost": {
        "PracticeHomePage", "StandardPage", "BlogIndexPage", "BlogTagListing", "BlogPostPage",
        "SyndicatedBlogPostPage", "TeamIndexPage", "TeamMemberPage", "ServicesIndexPage",
        "ServicePage", "LocationsIndexPage", "LocationPage", "DemoRequestPage", "NotFound",
    },
    "localhost": {
        "PracticeHomePage", "StandardPage", "BlogIndexPage", "BlogPostPage", "DemoRequestPage",
        "NotFound",
    },
}  # fmt: skip


def violations_of(page, url: str) -> list[str]:
    response = page.goto(url, wait_until="load")
    assert response is not None
    results = Axe().run(page, options=AXE_OPTIONS)
    found = []
    for violation in results.response["violations"]:
        targets = [", ".join(map(str, node["target"])) for node in violation["nodes"]][:5]
        found.append(f"{url}: {violation['id']} ({violation['impact']}): {targets}")
    return found


def test_every_public_page_type_of_every_demo_site_has_no_axe_violation(
    chromium,
    demo_site: DemoSite,
) -> None:
    for host, kinds in EXPECTED_KINDS.items():
        missing = kinds - set(demo_site.pages[host])
        assert not missing, f"{host} has no {sorted(missing)} in the demo"
    urls = demo_site.urls()
    assert len(urls) > 40
    found = []
    for name, viewport in VIEWPORTS.items():
        context = chromium.new_context(viewport=viewport)
        page = context.new_page()
        page.set_default_timeout(20_000)
        for _host, kind, url in urls:
            found += [f"[{name}] {kind} {line}" for line in violations_of(page, url)]
        context.close()
    assert not found, f"{len(found)} axe violation(s):\n" + "\n".join(found)
