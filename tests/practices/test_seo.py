"""What search engines read: a description, a canonical of its own, Open Graph tags and
one title on every public page type; the practice's structured data on its home page;
robots.txt naming each host's own sitemap; sitemap dates from each page's publication."""

from __future__ import annotations

import json
from datetime import time
from html.parser import HTMLParser

import pytest
from wagtail.models import Page

from blog.models import BlogIndexPage
from demo_requests.models import DemoRequestPage
from practices.models import (
    BrandSettings,
    LocationPage,
    LocationsIndexPage,
    Practice,
    PracticeSettings,
    ServicePage,
    ServicesIndexPage,
)
from practices.models.pages import StandardPage
from tests.blog.factories import make_post
from tests.factories import ImageFactory, PracticeFactory
from tests.practices.places_fixtures import add_location, add_service
from tests.practices.team_fixtures import add_member, team_index

pytestmark = pytest.mark.django_db
HOST = "seo.example.test"
ORIGIN = f"http://{HOST}"


class HeadParser(HTMLParser):
    """The head's title, meta tags by name/property, canonical links and JSON-LD."""

    def __init__(self) -> None:
        super().__init__()
        self.titles: list[str] = []
        self.meta: dict[str, list[str]] = {}
        self.canonicals: list[str] = []
        self.json_ld: list[dict] = []
        self._in: str = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "title":
            self._in = "title"
            self.titles.append("")
        elif tag == "meta" and ("name" in attributes or "property" in attributes):
            key = attributes.get("name") or attributes["property"]
            self.meta.setdefault(key, []).append(attributes.get("content", ""))
        elif tag == "link" and attributes.get("rel") == "canonical":
            self.canonicals.append(attributes["href"])
        elif tag == "script" and attributes.get("type") == "application/ld+json":
            self._in = "json"
            self.json_ld.append({})

    def handle_endtag(self, tag: str) -> None:
        self._in = ""

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.titles[-1] += data
        elif self._in == "json":
            self.json_ld[-1] = json.loads(data)


def head_of(client, path: str) -> HeadParser:
    response = client.get(path, HTTP_HOST=HOST)
    assert response.status_code == 200, path
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def practice(settings) -> Practice:
    settings.PAGE_CACHE_ENABLED = False
    practice = PracticeFactory(name="Seaside Family Care", slug="seaside", hostname=HOST)
    details = PracticeSettings.for_site(practice.site)
    details.phone = "+1 555 010 2000"
    details.street_address = "12 Harbour Road"
    details.locality = "Portsmouth"
    details.region = "NH"
    details.postal_code = "03801"
    details.facebook_url = "https://facebook.example/seaside"
    details.opening_hours = [
        ("hours", {"days": ["Monday", "Tuesday"], "opens": time(8), "closes": time(17, 30)})
    ]
    details.save()
    blog = BlogIndexPage.objects.descendant_of(practice.site.root_page).get()
    body = "## Flu jabs\n\nVaccines are *free* for every patient; book a [short visit](/x/) today."
    make_post(blog, title="Flu season", slug="flu-season", tags=["vaccines"], intro="", body=body)
    brand = BrandSettings.for_site(practice.site)
    brand.logo = ImageFactory(collection=practice.collection)
    brand.save()
    add_member(practice, "Dr Ana Ruiz", short_bio="Ana looks after families.")
    add_location(practice, "Harbour office")
    add_service(practice, "Flu shots", summary="Seasonal flu vaccines for every age.")
    return practice


def page_paths(practice: Practice) -> dict[str, str]:
    root = practice.site.root_page

    def path_of(model) -> str:  # fmt: skip
        return model.objects.descendant_of(root).live().first().relative_url(practice.site)

    blog = path_of(BlogIndexPage)
    return {
        "home": "/",
        "standard": path_of(StandardPage),
        "blog index": blog,
        "tag listing": f"{blog}tag/vaccines/",
        "post": f"{blog}flu-season/",
        "team index": team_index(practice).relative_url(practice.site),
        "member": f"{team_index(practice).relative_url(practice.site)}dr-ana-ruiz/",
        "request form": path_of(DemoRequestPage),
        "services index": path_of(ServicesIndexPage),
        "service": path_of(ServicePage),
        "locations index": path_of(LocationsIndexPage),
        "location": path_of(LocationPage),
    }


def test_every_page_type_has_one_title_a_description_its_own_canonical_and_og_tags(
    client, practice
) -> None:
    seen_titles, seen_descriptions = set(), set()
    for kind, path in page_paths(practice).items():
        head = head_of(client, path)
        assert len(head.titles) == 1, kind
        title = head.titles[0]
        assert title.count("Seaside Family Care") == 1, (kind, title)
        [description] = head.meta["description"]
        assert 20 <= len(description) <= 160, (kind, description)
        assert head.canonicals == [ORIGIN + path], kind
        assert head.meta["og:url"] == [ORIGIN + path], kind
        assert head.meta["og:title"][0], kind
        assert head.meta["og:description"] == [description], kind
        assert head.meta["og:type"][0] in {"website", "article", "profile"}, kind
        seen_titles.add(title)
        seen_descriptions.add(description)
    assert len(seen_titles) == len(page_paths(practice))


def test_descriptions_are_derived_from_the_content_when_the_editor_leaves_them_empty(
    client, practice
) -> None:
    paths = page_paths(practice)
    # The post has no intro and no search description: its body speaks for it.
    assert head_of(client, paths["post"]).meta["description"] == [
        "Flu jabs Vaccines are free for every patient; book a short visit today."
    ]
    member = head_of(client, paths["member"])
    assert member.meta["description"] == ["Ana looks after families."]
    assert head_of(client, paths["service"]).meta["description"] == [
        "Seasonal flu vaccines for every age."
    ]
    assert head_of(client, paths["location"]).meta["description"] == [
        "Harbour office: 1200 River Rd, Austin, TX 78704"
    ]
    standard = StandardPage.objects.descendant_of(practice.site.root_page).live().first()
    standard.search_description = "Written by the editor."
    standard.save_revision().publish()
    assert head_of(client, paths["standard"]).meta["description"] == ["Written by the editor."]


def test_a_tag_listing_is_its_own_canonical_and_its_title_names_the_tag(client, practice) -> None:
    blog = page_paths(practice)["blog index"]
    head = head_of(client, f"{blog}tag/vaccines/?utm_source=mail")
    assert head.canonicals == [f"{ORIGIN}{blog}tag/vaccines/"]
    assert head.titles[0].startswith("Posts tagged “vaccines”")
    search = client.get(f"{blog}?q=flu", HTTP_HOST=HOST).content.decode()
    assert '<meta name="robots" content="noindex">' in search


def test_the_home_page_carries_the_practices_medical_clinic_data(client, practice) -> None:
    head = head_of(client, "/")
    [clinic] = head.json_ld
    assert clinic["@type"] == "MedicalClinic"
    assert clinic["name"] == "Seaside Family Care"
    assert clinic["url"] == f"{ORIGIN}/"
    assert clinic["telephone"] == "+1 555 010 2000"
    assert clinic["address"]["streetAddress"] == "12 Harbour Road"
    assert clinic["address"]["addressRegion"] == "NH"
    assert clinic["openingHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Monday", "Tuesday"],
            "opens": "08:00",
            "closes": "17:30",
        }
    ]
    assert clinic["sameAs"] == ["https://facebook.example/seaside"]
    assert "aggregateRating" not in clinic
    assert clinic["image"].startswith(ORIGIN)


def test_robots_txt_names_each_hosts_own_sitemap(client, practice) -> None:
    PracticeFactory(name="Other", slug="other", hostname="other.example.test", status="onboarding")
    robots = client.get("/robots.txt", HTTP_HOST=HOST)
    assert robots["Content-Type"] == "text/plain; charset=utf-8"
    lines = robots.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /" not in lines
    assert f"Sitemap: {ORIGIN}/sitemap.xml" in lines
    other = client.get("/robots.txt", HTTP_HOST="other.example.test").content.decode()
    assert "Disallow: /\n" in other
    assert "Sitemap: http://other.example.test/sitemap.xml" in other
    assert client.get("/robots.txt", HTTP_HOST="unknown.example.test").status_code == 404


def test_sitemap_lastmod_is_each_pages_last_publication(client, practice) -> None:
    post = Page.objects.get(slug="flu-season").specific
    post.save_revision().publish()
    post.refresh_from_db()
    sitemap = client.get("/sitemap.xml", HTTP_HOST=HOST).content.decode()
    entry = sitemap.split(f"<loc>{post.full_url}</loc>", 1)[1].split("</url>", 1)[0]
    assert f"<lastmod>{post.last_published_at.date().isoformat()}</lastmod>" in entry
