"""The benchmark's generated content and URL sample (infra/bench, issue 19 item 2)."""

from __future__ import annotations

import sys

from tests.conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "infra" / "bench"))

import content
import run


def test_each_post_has_its_own_body_of_400_to_1200_words_with_structure() -> None:
    bodies = [
        content.post_text(practice, post)["body"] for practice in (1, 7) for post in range(1, 41)
    ]
    assert len(set(bodies)) == len(bodies)
    for body in bodies:
        assert 400 <= len(body.split()) <= 1200
        assert "\n## " in body
        assert "\n- " in body or "\n1. " in body
    assert any("](http" in body or "](/" in body for body in bodies)


def test_content_is_deterministic_and_inline_images_come_now_and_then() -> None:
    assert content.post_text(3, 12) == content.post_text(3, 12)
    with_image = [
        content.with_inline_image(content.post_text(1, n)["body"], 1, n, "/media/x.jpg")
        for n in range(1, 41)
    ]
    shown = sum("![" in body for body in with_image)
    assert 3 <= shown <= 20


def test_images_differ_per_post_and_member() -> None:
    heroes = {content.hero_jpeg(f"hero-1-{n}", "Title")[1] for n in range(1, 6)}
    portraits = {content.portrait_jpeg(f"portrait-1-{n}", "M1")[1] for n in range(1, 6)}
    assert len(heroes) == 5
    assert len(portraits) == 5


def test_url_sample_has_the_same_size_at_every_dataset_size() -> None:
    for page in run.PAGES:
        counts = {
            practices: len(run.targets(run.parse_args(["--practices", str(practices)]), page))
            for practices in (10, 100, 1000)
        }
        assert len(set(counts.values())) == 1, (page, counts)
