"""The page builder on the public site: every block renders from the practice's own
data, with accessible markup, no inline style or script, and FAQPage JSON-LD."""

from __future__ import annotations

import json
import re

import pytest

from blog.models import BlogIndexPage
from practices.models import StandardPage
from practices.models.pages import PracticeHomePage
from tests.blog.factories import make_post
from tests.factories import PracticeFactory
from tests.practices.page_builder_fixtures import (
    EVERY_BLOCK,
    add_people,
    every_block,
    practice_details,
    publish_body,
)

pytestmark = pytest.mark.django_db
HOST = "alpha.example.test"


@pytest.fixture
def alpha():
    practice = PracticeFactory(name="Alpha Family Care", slug="alpha", hostname=HOST)
    practice_details(practice)
    add_people(practice)
    blog = BlogIndexPage.objects.descendant_of(practice.site.root_page).get()
    make_post(blog, title="Flu shots are here", days_ago=1)
    return practice


def test_the_library_holds_the_core_and_the_features_blocks() -> None:
    names = list(PracticeHomePage._meta.get_field("body").stream_block.child_blocks)
    assert sorted(names) == sorted(EVERY_BLOCK)
    # Registered by the blog and the request forms, placed by their positions.
    assert names.index("latest_posts") == names.index("team") + 1
    assert names.index("request_form") == names.index("cta_band") + 1


def test_every_block_renders_on_the_home_page(client, alpha) -> None:
    PracticeFactory(name="Other Clinic", slug="other")
    home = alpha.site.root_page.specific
    publish_body(home, every_block(alpha))
    page = client.get("/", HTTP_HOST=HOST).content.decode()

    assert re.search(r'<h1 id="block-[0-9a-f]{8}">Care close to home</h1>', page)
    assert 'alt="The bright waiting room"' in page
    assert "<picture>" in page
    assert 'href="/team/">Meet us</a>' in page  # the hero's second button
    assert 'Read our <a href="/privacy/">privacy</a> page.' in page  # link expanded
    assert "Unhurried visits" in page
    assert 'alt="A nurse with a patient"' in page
    assert '<a href="/privacy/">Privacy policy</a>' in page  # service card
    for number in range(3):
        assert f"Dr. Member {number}" in page
    assert "Flu shots are here" in page
    assert "Kind words 0." in page
    assert "<summary>Do you take walk-ins?</summary>" in page
    assert "1200 River Rd" in page
    assert "Monday–Friday" in page
    assert "8:00 AM – 5:30 PM" in page
    assert 'href="tel:+15125550142"' in page
    assert "https://www.google.com/maps/dir/?api=1&amp;destination=1200+River+Rd" in page
    assert "<li>Aetna</li>" in page
    assert "Ready when you are" in page
    assert 'name="submission_key"' in page
    assert "Ask for an appointment" in page
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in page
    assert "Other Clinic" not in page
    # Strict CSP: no inline style, no inline script other than data blocks.
    assert "style=" not in page
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert all('type="application/ld+json"' in attrs for attrs in inline), inline
    faq = [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>',
                                             page, re.S)]  # fmt: skip
    faq_pages = [data for data in faq if data.get("@type") == "FAQPage"]
    assert faq_pages == [{
        "@context": "https://schema.org", "@type": "FAQPage",
        "mainEntity": [{"@type": "Question", "name": "Do you take walk-ins?",
                        "acceptedAnswer": {"@type": "Answer", "text": "Yes, until noon."}}],
    }]  # fmt: skip
    assert "<title>Alpha Family Care – Care close to home</title>" in page
    assert '<meta name="description" content="Same-week appointments.">' in page


def test_a_standard_page_takes_the_same_blocks(client, alpha) -> None:
    home = alpha.site.root_page.specific
    about = StandardPage(title="About us", slug="about", intro="Who we are.")
    home.add_child(instance=about)
    body = [b for b in every_block(alpha) if b["type"] != "hero"]
    publish_body(about, body)
    page = client.get("/about/", HTTP_HOST=HOST).content.decode()
    assert "<h1>About us</h1>" in page
    assert "Who we are." in page
    assert "Dr. Member 0" in page
    assert "Kind words 0." in page
    assert "1200 River Rd" in page
    assert '"@type": "FAQPage"' in page


def test_a_block_shows_only_its_own_practice(client, alpha) -> None:
    """Even if a foreign id got into the content (written by code, not the admin),
    the services grid shows only pages of the page's own practice."""
    other = PracticeFactory(name="Other Clinic", slug="other")
    foreign = StandardPage.objects.descendant_of(other.site.root_page).get(slug="privacy")
    home = alpha.site.root_page.specific
    body = every_block(alpha, services=[foreign])
    publish_body(home, body)
    page = client.get("/", HTTP_HOST=HOST).content.decode()
    assert "What we treat" not in page  # an empty grid is not shown
    assert "Other Clinic" not in page


def test_a_new_practice_home_page_is_built_from_blocks(client) -> None:
    host = "riverside.example.test"
    practice = PracticeFactory(
        name="Riverside Family Medicine", slug="riverside", hostname=host,
        template="family-medicine",
    )  # fmt: skip
    home = practice.site.root_page.specific
    assert [child.block_type for child in home.body] == [
        "hero", "services", "team", "latest_posts", "testimonials", "faq", "insurance",
        "locations", "request_form", "cta_band",
    ]  # fmt: skip
    page = client.get("/", HTTP_HOST=host).content.decode()
    assert '<a href="/services/annual-physicals/">Annual physicals</a>' in page
    assert "A yearly check of your health, screenings and vaccines." in page
    assert "<summary>Are you accepting new patients?</summary>" in page
    assert "<li>Blue Cross Blue Shield</li>" in page
    assert 'href="/contact/">Request an appointment</a>' in page
    services = client.get("/services/", HTTP_HOST=host).content.decode()
    assert "<h1>Services</h1>" in services
    assert '<a href="/services/chronic-care-management/">Chronic care management</a>' in services
