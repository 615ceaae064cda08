"""Rendition lookups on page views (media.rendition_lookup): the same renditions as
Wagtail's, read in one round trip per image and never written back to the cache."""

from __future__ import annotations

import pytest
from wagtail.images.models import AbstractImage

from agency_platform.media.models import PracticeImage, PracticeRendition
from blog.models import BlogIndexPage
from tests.blog.factories import make_post
from tests.factories import ImageFactory, PracticeFactory

pytestmark = pytest.mark.django_db
HOST = "aspen.example.test"
SPECS = ("fill-1280x640", "fill-1200x630")


class CacheCalls:
    """Counts calls on the renditions cache (Django's Redis backend) by method."""

    def __init__(self, monkeypatch) -> None:
        self.calls: list[str] = []
        backend = PracticeRendition.cache_backend
        for name in ("get", "get_many", "set", "set_many"):
            original = getattr(backend, name)
            monkeypatch.setattr(backend, name, self._counting(name, original))

    def _counting(self, name, original):
        def call(*args, **kwargs):
            self.calls.append(name)
            return original(*args, **kwargs)

        return call


@pytest.fixture
def aspen(settings):
    settings.PAGE_CACHE_ENABLED = False
    return PracticeFactory(name="Aspen", slug="aspen", hostname=HOST)


def test_renditions_match_wagtails_and_are_read_once(aspen, monkeypatch) -> None:
    image = ImageFactory(collection=aspen.collection)
    expected = {spec: AbstractImage.get_rendition(image, spec) for spec in SPECS}
    fresh = PracticeImage.objects.get(pk=image.pk)
    calls = CacheCalls(monkeypatch)
    found = fresh.get_renditions(*SPECS)
    assert {spec: r.pk for spec, r in found.items()} == {s: r.pk for s, r in expected.items()}
    assert {spec: r.url for spec, r in found.items()} == {s: r.url for s, r in expected.items()}
    # Asked again on the same image: no more cache traffic, the same objects.
    assert fresh.get_rendition(SPECS[0]) is found[SPECS[0]]
    assert calls.calls == ["get_many"]


def test_a_new_rendition_is_made_and_cached_as_wagtail_does(aspen, monkeypatch) -> None:
    image = ImageFactory(collection=aspen.collection)
    calls = CacheCalls(monkeypatch)
    rendition = image.get_rendition("fill-50x40")
    assert (rendition.width, rendition.height) == (50, 40)
    assert "set_many" in calls.calls or "set" in calls.calls
    fresh = PracticeImage.objects.get(pk=image.pk)
    assert fresh.get_rendition("fill-50x40").pk == rendition.pk


def test_a_warm_post_page_writes_no_rendition(client, aspen, monkeypatch) -> None:
    index = BlogIndexPage.objects.descendant_of(aspen.site.root_page).get()
    image = ImageFactory(collection=aspen.collection, description="Clinic")
    for number in range(4):
        make_post(index, title=f"Post {number}", tags=["flu"], hero_image=image)
    client.get("/blog/post-1/", HTTP_HOST=HOST)  # renditions are made on first view
    calls = CacheCalls(monkeypatch)
    html = client.get("/blog/post-1/", HTTP_HOST=HOST).content.decode()
    assert calls.calls.count("set") + calls.calls.count("set_many") == 0
    # The hero's two renditions are kept with the routed page, the cards' with the
    # post's surroundings (practices.routing): no renditions cache call at all.
    assert calls.calls == []
    hero = image.get_rendition("fill-1280x640")
    og = image.get_rendition("fill-1200x630")
    assert f'src="{hero.url}" width="{hero.width}" height="{hero.height}"' in html
    assert f'property="og:image" content="http://{HOST}{og.url}"' in html
