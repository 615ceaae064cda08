"""In Chromium, through the edge: the request form embedded in a page Varnish serves
(cookies dropped, tracking parameters stripped before the lookup) is still sent, with
JavaScript and without, and the lead keeps the visitor's landing page and UTM values."""

from __future__ import annotations

import pytest

from tests.conftest import transactional_db
from tests.demo_requests.browser_flows import send_with_javascript, send_without_javascript
from tests.edge.test_varnish import request
from tests.factories import PracticeFactory

pytestmark = [pytest.mark.browser, transactional_db]
HOST = "alpha.localhost"


@pytest.fixture(autouse=True)
def _no_minimum_fill_time(settings) -> None:
    settings.DEMO_REQUEST_MIN_FILL_SECONDS = 0  # a robot types fast (as in tests/page_cache)


def edge_cached_home(page, edge, query: str = ""):
    # Another visitor fills the edge, so that this browser's first visit is an edge hit.
    host = f"{HOST}:{edge.port}"
    assert request(edge, f"/{query}", host=host)["X-Edge-Cache"] == "MISS"
    response = page.goto(f"http://{host}/{query}")
    assert response.headers["x-edge-cache"] == "HIT"
    return page.locator("section.embedded-request")


def test_the_embedded_form_of_an_edge_cached_page_is_sent(clean_edge, browser_page) -> None:
    practice = PracticeFactory(name="Alpha Family Care", slug="alpha", hostname=HOST)
    # Varnish looks the page up without utm_source; the browser still has it.
    send_with_javascript(
        browser_page,
        lambda page, query: edge_cached_home(page, clean_edge, query),
        f"http://{HOST}:{clean_edge.port}",
        practice,
    )


def test_without_javascript_the_form_is_sent_at_the_second_press(clean_edge, chromium) -> None:
    PracticeFactory(name="Alpha Family Care", slug="alpha", hostname=HOST)
    send_without_javascript(
        chromium,
        lambda page, query: edge_cached_home(page, clean_edge, query),
        f"http://{HOST}:{clean_edge.port}",
    )
