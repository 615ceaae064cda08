"""In Chromium at 360, 768 and 1280 CSS px: a home page with every page-builder block
scrolls no wider than the window, every block's root element shows within the
window's width, and at 360 px every link and button in a block is a tap target of
at least 24 x 24 px (WCAG 2.2's 2.5.8; links inside a sentence are exempt, as there)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from blog.models import BlogIndexPage
from tests.blog.factories import make_post
from tests.conftest import transactional_db
from tests.factories import PracticeFactory
from tests.practices.page_builder_fixtures import (
    EVERY_BLOCK,
    add_people,
    every_block,
    practice_details,
    publish_body,
)

pytestmark = [pytest.mark.browser, transactional_db]

WIDTHS = (360, 768, 1280)
MEASURE = """() => {
  const width = window.innerWidth;
  // Each block renders one root element straight under <main>, in the body's order.
  const roots = Array.from(document.querySelector("main").children);
  roots.forEach((el, index) => { el.dataset.blockIndex = index; });
  const blocks = roots.map((el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return {
      block: Number(el.dataset.blockIndex), className: el.className,
      visible: box.width > 0 && box.height > 0 && style.visibility !== "hidden"
        && style.display !== "none",
      left: Math.round(box.left), right: Math.round(box.right),
    };
  });
  const small = [];
  for (const root of roots) {
    for (const el of root.querySelectorAll("a[href], button, summary, input, select")) {
      if (el.closest(".visually-hidden, [aria-hidden='true']")) continue;  // not for eyes
      let box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;  // not shown
      // A stretched link (an ::after over its card) taps anywhere on the card.
      const after = getComputedStyle(el, "::after");
      if (after.content !== "none" && after.position === "absolute" && el.offsetParent) {
        box = el.offsetParent.getBoundingClientRect();
      }
      const inSentence = getComputedStyle(el).display === "inline"
        && el.parentElement.textContent.trim().length > el.textContent.trim().length;
      if (inSentence || el.type === "hidden") continue;
      if (box.width < 24 || box.height < 24) {
        small.push(`${root.className}: <${el.tagName.toLowerCase()}> "${
          (el.textContent || el.name || "").trim().slice(0, 40)}" ${
          Math.round(box.width)}x${Math.round(box.height)}`);
      }
    }
  }
  return {width, scrollWidth: document.scrollingElement.scrollWidth, blocks, small};
}"""


def test_every_block_fits_phone_tablet_and_desktop_widths(live_server, chromium) -> None:
    practice = PracticeFactory(name="Alpha Family Care", slug="alpha", hostname="alpha.localhost")
    practice_details(practice)
    add_people(practice)
    blog = BlogIndexPage.objects.descendant_of(practice.site.root_page).get()
    for number in range(3):  # the latest-posts block shows only when there are posts
        make_post(blog, title=f"A longer post title for a narrow phone screen {number}")
    publish_body(practice.site.root_page.specific, every_block(practice))
    url = f"http://alpha.localhost:{urlsplit(live_server.url).port}/"
    problems = []
    for width in WIDTHS:
        context = chromium.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(url, wait_until="load")
        found = page.evaluate(MEASURE)
        context.close()
        assert len(found["blocks"]) == len(EVERY_BLOCK), found["blocks"]
        for block in found["blocks"]:
            block["block"] = f"{EVERY_BLOCK[block['block']]} ({block['className']})"
        if found["scrollWidth"] > found["width"]:
            problems.append(f"{width}px: page scrolls {found['scrollWidth']}px wide")
        for block in found["blocks"]:
            if not block["visible"]:
                problems.append(f"{width}px: {block['block']} not visible")
            elif block["left"] < 0 or block["right"] > found["width"]:
                problems.append(
                    f"{width}px: {block['block']} spans {block['left']}..{block['right']}px"
                )
        if width == 360:
            problems += [f"360px: tap target {line}" for line in found["small"]]
    assert not problems, "\n".join(problems)
