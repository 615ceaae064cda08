"""The post file format: parsing every accepted variant, errors, and serialization."""

from __future__ import annotations

import string
import zoneinfo
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blog.front_matter import FrontMatterError, PostDocument, parse_post, serialize_post

FIXTURES = Path(__file__).parent / "fixtures" / "posts"
SAMPLE = Path("/work/shared/reference/sample-post.md")
CHICAGO = "America/Chicago"


def parse(text: str | bytes, tz: str = CHICAGO) -> PostDocument:
    return parse_post(text, path="posts/x.md", timezone=tz)


def error_of(text: str | bytes) -> str:
    with pytest.raises(FrontMatterError) as caught:
        parse(text)
    return str(caught.value)


@pytest.mark.skipif(not SAMPLE.exists(), reason="the agency's sample post is not on this machine")
def test_sample_post_serializes_back_byte_for_byte():
    raw = SAMPLE.read_bytes()
    doc = parse(raw)
    assert doc.title == "Humanizing Your Primary Care Practice through Social Media"
    assert doc.date == datetime(2023, 7, 12, 5, tzinfo=UTC)
    assert doc.intro.startswith("Social media offers an excellent opportunity to humanize")
    assert doc.intro.endswith("build trust with prospective patients.")
    assert (doc.post_types, doc.products, doc.tags) == (
        ["blog"],
        ["social reputation"],
        ["Healthcare Marketing"],
    )
    assert serialize_post(doc) == raw.decode("utf-8")


def test_fixture_with_unknown_keys_keeps_them_in_order():
    doc = parse((FIXTURES / "welcome-new-patients.md").read_bytes())
    assert doc.title == "Welcome to Riverside: What New Patients Should Know"
    assert doc.extra == {"legacy_id": 4217, "seo_keywords": ["new patient", "family doctor"]}
    assert list(doc.extra) == ["legacy_id", "seo_keywords"]
    text = serialize_post(doc)
    assert text.index("tags:") < text.index("legacy_id: 4217") < text.index("seo_keywords:")
    assert parse(text) == doc


def test_bom_and_windows_line_endings():
    text = (
        "\ufeff---\r\npost_title: Hello\r\ndate: 2023-07-12T05:00:00.000Z\r\n---\r\n\r\nA\r\nB\r\n"
    )
    doc = parse(text.encode("utf-8"))
    assert (doc.title, doc.body) == ("Hello", "A\nB\n")


def test_literal_and_folded_block_scalars():
    doc = parse(
        "---\npost_title: T\ndate: 2023-07-12\npost_intro: |\n  line one\n  line two\n"
        "post_highlight: >\n  folded one\n  folded two\n---\n"
    )
    assert doc.intro == "line one\nline two"
    assert doc.highlight == "folded one folded two"
    assert parse(serialize_post(doc)) == doc


def test_single_strings_where_lists_are_expected():
    doc = parse(
        "---\npost_title: T\ndate: 2023-07-12\npost_type: blog\nproduct: seo\ntags: x\n---\n"
    )
    assert (doc.post_types, doc.products, doc.tags) == (["blog"], ["seo"], ["x"])
    assert "tags:\n  - x\n" in serialize_post(doc)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2023-07-12T05:00:00.000Z", datetime(2023, 7, 12, 5, tzinfo=UTC)),
        ("'2023-07-12T05:00:00.000Z'", datetime(2023, 7, 12, 5, tzinfo=UTC)),
        ("2023-07-12T07:00:00+02:00", datetime(2023, 7, 12, 5, tzinfo=UTC)),
        # Without time or zone: the practice's local time (Chicago is UTC-5 in July).
        ("2023-07-12", datetime(2023, 7, 12, 5, tzinfo=UTC)),
        ("2023-07-12 09:30", datetime(2023, 7, 12, 14, 30, tzinfo=UTC)),
        ("2023-01-12 09:30:00", datetime(2023, 1, 12, 15, 30, tzinfo=UTC)),
    ],
)
def test_date_forms(written, expected):
    assert parse(f"---\npost_title: T\ndate: {written}\n---\n").date == expected


def test_missing_optional_keys_and_empty_body():
    doc = parse("---\npost_title: Only a title\ndate: 2023-07-12\n---\n")
    assert doc == PostDocument(title="Only a title", date=datetime(2023, 7, 12, 5, tzinfo=UTC))
    assert (
        serialize_post(doc)
        == "---\npost_title: Only a title\ndate: 2023-07-12T05:00:00.000Z\n---\n"
    )


def test_text_values_stay_text():
    doc = parse("---\npost_title: 404\ndate: 2023-07-12\npost_author: Yes\n---\n")
    assert (doc.title, doc.author) == ("404", "Yes")
    assert parse(serialize_post(doc)) == doc


def test_unknown_date_values_are_stored_as_iso_text_and_written_back_unquoted():
    doc = parse("---\npost_title: T\ndate: 2023-07-12\nupdated: 2024-01-02\n---\n")
    assert doc.extra == {"updated": "2024-01-02"}
    assert "updated: 2024-01-02\n" in serialize_post(doc)


def test_body_is_kept_exactly():
    body = (
        "\n# Title\n\nTrailing spaces  \n\\# not a heading, “quotes” & Q\\&A\n---\nafter rule\n\n"
    )
    doc = PostDocument(title="T", date=datetime(2023, 7, 12, tzinfo=UTC), body=body)
    text = serialize_post(doc)
    assert text.endswith("---\n\n" + body)
    assert parse(text).body == body


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "---\npost_title: T\ndate: 2023-13-40\n---\n",
            "posts/x.md:3: date: not a valid date '2023-13-40'",
        ),
        (
            "---\npost_title: T\n\n\ndate: tomorrow\n---\n",
            "posts/x.md:5: date: not a valid date 'tomorrow'",
        ),
        (
            "---\ndate: 2023-07-12\n---\n",
            "posts/x.md: post_title: is required and must not be empty",
        ),
        (
            "---\npost_title: '  '\ndate: 2023-07-12\n---\n",
            "posts/x.md:2: post_title: is required and must not be empty",
        ),
        ("---\npost_title: T\n---\n", "posts/x.md: date: is required"),
        (
            "---\npost_title:\n  - a\n  - b\ndate: 2023-07-12\n---\n",
            "posts/x.md:2: post_title: must be a single text value, not a list or mapping",
        ),
        (
            "---\npost_title: T\ndate: 2023-07-12\npost_author: {name: X}\n---\n",
            "posts/x.md:4: post_author: must be a single text value, not a list or mapping",
        ),
        (
            "---\npost_title: T\ndate: 2023-07-12\ntags:\n  - [a, b]\n---\n",
            "posts/x.md:4: tags: must be text or a list of text",
        ),
        (
            "---\n- a list\n- not a mapping\n---\n",
            "posts/x.md:2: front matter must be a mapping of keys to values",
        ),
        ("---\njust text\n---\n", "posts/x.md:2: front matter must be a mapping of keys to values"),
        (
            "---\npost_title: T\npost_title: U\ndate: 2023-07-12\n---\n",
            "posts/x.md:3: post_title: duplicate key",
        ),
        ("post_title: T\n", "posts/x.md:1: the file must start with a '---' front-matter line"),
        (
            "---\npost_title: T\ndate: 2023-07-12\n",
            "posts/x.md:1: front matter is not closed by a '---' line",
        ),
        (
            "---\npost_title: T\ndate: 2023-07-12\nslug: Not A Slug\n---\n",
            "posts/x.md:4: slug: 'Not A Slug' is not a valid slug (letters, digits, '-' and '_')",
        ),
    ],
)
def test_errors_name_file_line_and_key(text, expected):
    assert error_of(text) == expected


def test_bad_yaml_reports_the_problem_line_counted_from_the_opening_dashes():
    message = error_of("---\npost_title: T\ndate: 2023-07-12\ntags: [a, b\npost_intro: x\n---\n")
    assert message.startswith("posts/x.md:5: invalid YAML: ")
    message = error_of("---\npost_title: T\n  bad: indentation\ndate: 2023-07-12\n---\n")
    assert message.startswith("posts/x.md:3: invalid YAML: ")


def test_not_utf8_names_the_line():
    raw = b"---\npost_title: T\ndate: 2023-07-12\n---\n\ncaf" + b"\xe9\n"
    assert error_of(raw) == "posts/x.md:6: the file is not UTF-8 text (byte 0xe9)"


# Property tests: anything the format can express survives serialize -> parse.
TEXT_CHARS = st.characters(
    codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"), exclude_characters="\ufeff"
)
one_line = st.text(TEXT_CHARS, max_size=120).map(str.strip)
title = one_line.filter(bool) | st.sampled_from(
    [
        'Q&A: "Is it safe?"',
        "#1 tip: rest",
        "It’s “here”",
        "- dash",
        "key: value",
        "a # b",
        "'quoted'",
    ]
)
name_list = st.lists(
    st.text(TEXT_CHARS, min_size=1, max_size=30).map(str.strip).filter(bool),
    max_size=4,
    unique=True,
)
instant = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
).map(lambda value: value.replace(microsecond=value.microsecond // 1000 * 1000))
body_line = st.one_of(
    st.sampled_from(
        [
            "## Heading",
            "# Title",
            "[a link](https://example.com/?q=1&b=2)",
            "\\# not a heading",
            "Q\\&A",
            "“typographic” ‘quotes’",
            "trailing spaces  ",
            "---",
            "",
            "* item",
            "    code",
        ]
    ),
    st.text(
        string.printable.replace("\r", "")
        .replace("\x0b", "")
        .replace("\x0c", "")
        .replace("\n", ""),
        max_size=60,
    ),
)
body = st.lists(body_line, max_size=8).map(lambda lines: "\n".join(lines)) | st.just("")
extra = st.dictionaries(
    st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True).filter(
        lambda key: key not in {"date", "tags", "product", "slug", "audience"}
    ),
    st.one_of(st.integers(-1000, 1000), st.booleans(), one_line, st.lists(one_line, max_size=3)),
    max_size=3,
)

documents = st.builds(
    PostDocument,
    title=title,
    date=instant,
    author=one_line,
    image=st.sampled_from(["", "/uploads/a.jpg", "/uploads/2023/b c.png"]),
    intro=st.text(TEXT_CHARS, max_size=300).map(str.strip),
    highlight=one_line,
    post_types=name_list,
    products=name_list,
    tags=name_list,
    body=body,
    audience=st.sampled_from(["", "patients", "practice-owners"]),
    extra=extra,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_serialize_then_parse_is_identity(doc):
    text = serialize_post(doc)
    again = parse(text.encode("utf-8"), tz="Pacific/Auckland")
    assert again == doc
    assert serialize_post(again) == text


@settings(max_examples=50, deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)))
def test_date_only_is_local_midnight(day):
    doc = parse(f"---\npost_title: T\ndate: {day.isoformat()}\n---\n", tz="Europe/Paris")
    local = doc.date.astimezone(zoneinfo.ZoneInfo("Europe/Paris"))
    assert (local.date(), local.hour, local.minute) == (day, 0, 0)
    assert abs(doc.date - datetime(day.year, day.month, day.day, tzinfo=UTC)) <= timedelta(hours=2)
