"""Generated content for the benchmark dataset: a Markdown body, a hero image and a
portrait of their own for every post and team member (issue 19 item 2).

Deterministic: every choice comes from `random.Random` seeded with the practice and item
number, so a dataset rebuilt at another size holds the same post at the same URL. No
network and no downloaded text: sentences are built from the small medical-practice
vocabulary below. Bodies run 400 to 1,200 words (the agency's sample post has 635), with
`##`/`###` headings, bullet and numbered lists, links and, in about one post in four, an
inline image; a real body is what the Markdown renderer, the table of contents and
the caches keyed by body hash see in production, where one shared body would be rendered
once and served from the cache for every post.
"""

from __future__ import annotations

import hashlib
import io
import random

from PIL import Image, ImageDraw, ImageFont, ImageOps

TOPICS = [
    "flu season", "blood pressure", "seasonal allergies", "sleep", "healthy eating",
    "childhood vaccines", "back pain", "diabetes care", "heart health", "skin checks",
    "sports injuries", "stress", "annual check-ups", "cholesterol", "asthma",
    "oral health", "travel health", "healthy ageing", "migraine", "physical therapy",
]  # fmt: skip
AUDIENCES = [
    "parents", "older adults", "new patients", "athletes", "busy families", "students",
    "caregivers", "expecting mothers", "shift workers", "teenagers",
]  # fmt: skip
ACTIONS = [
    "book a follow-up visit", "keep a symptom diary", "ask about screening",
    "bring a list of medications", "check the patient portal", "schedule a telehealth call",
    "review the care plan", "update the vaccination record", "measure at home",
    "talk to the nurse line",
]  # fmt: skip
ADVICE = [
    "drink water through the day", "walk for thirty minutes", "keep a regular bedtime",
    "limit salt and added sugar", "wash hands often", "wear sunscreen outdoors",
    "stretch before exercise", "take medicines as prescribed", "stay home when ill",
    "eat vegetables at every meal", "cut back on screen time", "plan rest days",
]  # fmt: skip
SENTENCES = [
    "Many {audience} ask us about {topic} during their visits, and the answer depends on "
    "their history.",
    "Our clinicians recommend that you {action} whenever {topic} becomes a concern.",
    "Small habits matter: {advice} and {advice2} make a real difference over a season.",
    "If symptoms last more than a week, please {action} so that we can look at them together.",
    "Research on {topic} keeps changing, which is why our team reviews its guidance every year.",
    "For {audience}, {topic} often shows up first as fatigue, poor sleep or a change in appetite.",
    "We keep appointments open every morning for patients who need to be seen the same day.",
    "It helps to {advice} and to write down any question you want to ask at your next visit.",
    "Insurance plans usually cover a yearly visit, and our front desk can check yours "
    "before you come in.",
    "When {topic} runs in the family, an earlier screening is often the safest choice.",
    "Our nurses can explain each step, from the first test to the results and what comes next.",
    "Most people feel better within a few weeks once they {advice} and {action}.",
]
HEADINGS = [
    "What to know about {topic}", "When to see a doctor", "How we can help",
    "Tips for {audience}", "Questions patients ask", "Preparing for your visit",
    "Living well with {topic}", "Myths and facts", "Our approach", "Next steps",
]  # fmt: skip
LINKS = [
    ("our patient portal", "/contact/"), ("the CDC's guidance", "https://www.cdc.gov/"),
    ("our team", "/team/"), ("more posts", "/blog/"),
    ("the World Health Organization", "https://www.who.int/"),
    ("MedlinePlus", "https://medlineplus.gov/"),
]  # fmt: skip
PALETTE = [
    "#1d4f91", "#0f766e", "#b45309", "#7c3aed", "#be123c", "#0369a1", "#15803d",
    "#a16207", "#4338ca", "#9d174d", "#155e75", "#3f6212",
]  # fmt: skip


def post_rng(practice: int, post: int) -> random.Random:
    return random.Random(f"post-{practice}-{post}")  # noqa: S311 (repeatable, not secret)


def _fill(rng: random.Random, template: str, topic: str) -> str:
    advice = rng.sample(ADVICE, 2)
    return template.format(
        topic=topic, audience=rng.choice(AUDIENCES), action=rng.choice(ACTIONS),
        advice=advice[0], advice2=advice[1],
    )  # fmt: skip


def _paragraph(rng: random.Random, topic: str) -> str:
    sentences = [_fill(rng, rng.choice(SENTENCES), topic) for _ in range(rng.randint(3, 6))]
    if rng.random() < 0.35:
        text, url = rng.choice(LINKS)
        sentences.append(f"See [{text}]({url}) for more.")
    if rng.random() < 0.2:
        sentences[0] = f"**{sentences[0]}**"
    return " ".join(sentences)


def _list(rng: random.Random) -> str:
    items = rng.sample(ADVICE + ACTIONS, rng.randint(3, 6))
    if rng.random() < 0.5:
        return "\n".join(f"- {item.capitalize()}" for item in items)
    return "\n".join(f"{n}. {item.capitalize()}" for n, item in enumerate(items, start=1))


def post_text(practice: int, post: int) -> dict[str, str]:
    """Title, intro, highlight and Markdown body of one post (body 400-1,200 words)."""
    rng = post_rng(practice, post)
    topic = rng.choice(TOPICS)
    target = rng.randint(400, 1200)
    blocks: list[str] = [_paragraph(rng, topic)]
    words = len(blocks[0].split())
    headings = rng.sample(HEADINGS, len(HEADINGS))
    section = 0
    while words < target:
        heading = headings[section % len(headings)].format(topic=topic, audience="patients")
        level = "###" if section and rng.random() < 0.25 else "##"
        parts = [f"{level} {heading}", _paragraph(rng, topic)]
        if section == 0 or rng.random() < 0.5:  # every post has at least one list
            parts.append(_list(rng))
        section += 1
        if rng.random() < 0.5:
            parts.append(_paragraph(rng, topic))
        blocks += parts
        words += sum(len(p.split()) for p in parts)
    body = "\n\n".join(blocks)
    # Trim to at most 1,200 words at a block boundary (never below 400).
    while len(body.split()) > 1200 and len(blocks) > 2:
        blocks.pop()
        body = "\n\n".join(blocks)
    title = f"{topic.capitalize()}: {rng.choice(HEADINGS).format(topic=topic, audience='you')}"
    return {
        "topic": topic,
        "title": f"{title} ({post})",
        "intro": _fill(rng, rng.choice(SENTENCES), topic),
        "highlight": _fill(rng, rng.choice(SENTENCES), topic),
        "body": body,
    }


def with_inline_image(body: str, practice: int, post: int, url: str) -> str:
    """About one post in four shows an image inside its text, after the first section."""
    rng = random.Random(f"inline-{practice}-{post}")  # noqa: S311
    if rng.random() >= 0.25:
        return body
    first, sep, rest = body.partition("\n\n## ")
    if not sep:
        return f"{body}\n\n![Illustration]({url})"
    return f"{first}\n\n![Illustration for this post]({url})\n\n## {rest}"


# --- Images ----------------------------------------------------------------------------
def _font(size: int) -> ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _jpeg(image: Image.Image) -> tuple[bytes, str]:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70, optimize=False)
    data = buffer.getvalue()
    return data, hashlib.sha1(data, usedforsecurity=False).hexdigest()


def hero_jpeg(seed: str, text: str, size: tuple[int, int] = (1200, 630)) -> tuple[bytes, str]:
    """A distinct picture per seed: a two-colour gradient, a few shapes and the title.
    Built from C-level operations (gradient, colorize, shapes): ~10 ms each."""
    rng = random.Random(seed)  # noqa: S311
    width, height = size
    start, end = rng.sample(PALETTE, 2)
    gradient = Image.linear_gradient("L").rotate(rng.choice([0, 90, 180, 270]))
    # Colourised at 256x256 and then scaled: a tenth of the cost of colourising 1200x630.
    image = ImageOps.colorize(gradient, start, end).resize(size, Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(3, 7)):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randint(40, 220)
        fill = rng.choice(PALETTE)
        if rng.random() < 0.5:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)
        else:
            draw.rectangle((x - r, y - r // 2, x + r, y + r // 2), fill=fill)
    draw.text((60, height - 120), text[:48], fill="white", font=_font(44))
    return _jpeg(image)


def portrait_jpeg(
    seed: str, initials: str, size: tuple[int, int] = (480, 600)
) -> tuple[bytes, str]:
    """A head-and-shoulders silhouette in its own colours, with the member's initials."""
    rng = random.Random(seed)  # noqa: S311
    width, height = size
    background, clothes = rng.sample(PALETTE, 2)
    skin = rng.choice(["#f1c27d", "#e0ac69", "#c68642", "#8d5524", "#ffdbac"])
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    cx = width // 2 + rng.randint(-30, 30)
    draw.ellipse((cx - 200, height - 220, cx + 200, height + 180), fill=clothes)
    head = rng.randint(95, 125)
    cy = height // 2 - rng.randint(20, 60)
    draw.ellipse((cx - head, cy - head * 1.2, cx + head, cy + head * 1.2), fill=skin)
    draw.text((24, 24), initials, fill="white", font=_font(40))
    return _jpeg(image)
