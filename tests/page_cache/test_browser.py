"""In Chromium: the request form embedded in a page served from the page cache is
submitted, with JavaScript (tokens fetched) and without (sent again once)."""

from __future__ import annotations

import urllib.request
from urllib.parse import urlsplit

import pytest

from tests.conftest import transactional_db
from tests.demo_requests.browser_flows import send_with_javascript, send_without_javascript
from tests.factories import PracticeFactory

pytestmark = [pytest.mark.browser, transactional_db]


def cached_home(page, base: str, query: str = ""):
    # Another visitor fills the cache, so that this browser's first visit is a hit.
    port = urlsplit(base).port
    direct = urllib.request.Request(
        f"http://127.0.0.1:{port}/{query}", headers={"Host": f"alpha.localhost:{port}"}
    )
    with urllib.request.urlopen(direct) as first:
        assert first.headers["X-Cache"] == "MISS"
    response = page.goto(f"{base}/{query}")
    assert response.headers["x-cache"] == "HIT"
    return page.locator("section.embedded-request")


def test_the_embedded_form_of_a_cached_page_is_sent(live_server, browser_page) -> None:
    practice = PracticeFactory(name="Alpha Family Care", slug="alpha", hostname="alpha.localhost")
    base = f"http://alpha.localhost:{urlsplit(live_server.url).port}"
    send_with_javascript(
        browser_page, lambda page, query: cached_home(page, base, query), base, practice
    )


def test_without_javascript_the_form_is_sent_at_the_second_press(live_server, chromium) -> None:
    PracticeFactory(name="Alpha Family Care", slug="alpha", hostname="alpha.localhost")
    base = f"http://alpha.localhost:{urlsplit(live_server.url).port}"
    send_without_javascript(chromium, lambda page, query: cached_home(page, base, query), base)
