"""One post file in the agency's format: YAML front matter between `---` lines, then a
CommonMark body (see /work/shared/reference/sample-post.md).

Parsing is strict about meaning and lenient about form: a UTF-8 BOM, CRLF line
endings, block scalars, a single string where a list is expected and dates with or
without time or time zone are all accepted; anything else is a `FrontMatterError`
naming the file, the line and the key. Serializing writes the canonical form, so
parse(serialize(doc)) == doc and serialize(parse(serialize(doc))) is a fixed point.

Value rules: strings are trimmed; empty strings and empty lists mean "absent";
lists keep their order, drop empty items and duplicates; the date is an aware UTC
datetime truncated to milliseconds (the precision the format writes).
"""

from __future__ import annotations

import math
import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

REQUIRED_KEYS = ("post_title", "date")
TEXT_KEYS = ("post_author", "post_image", "post_intro", "post_highlight")
LIST_KEYS = ("post_type", "product", "tags")
CANONICAL_KEYS = ("post_title", "date", *TEXT_KEYS, *LIST_KEYS, "audience", "slug")
# Who a post is written for: patient education (what the agency library syndicates to
# practice blogs) or the agency's marketing to practice owners (stays on its site).
AUDIENCES = ("patients", "practice-owners")
# Strings longer than this (with their key) are written as folded block scalars.
LINE_WIDTH = 80
# PyYAML breaks a folded line at the first space past this column, so lines end up
# just under LINE_WIDTH, as in the agency's own files.
FOLD_COLUMN = 72
SLUG_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+$")
NULL_TAG = "tag:yaml.org,2002:null"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class FrontMatterError(ValueError):
    """A problem in one file, formatted `path:line: key: message`."""

    def __init__(self, path: str, message: str, *, line: int | None = None, key: str = "") -> None:
        self.path = path
        self.line = line
        self.key = key
        self.message = message
        location = f"{path}:{line}" if line else path
        super().__init__(f"{location}: {key}: {message}" if key else f"{location}: {message}")


@dataclass
class PostDocument:
    title: str
    date: datetime
    author: str = ""
    image: str = ""
    intro: str = ""
    highlight: str = ""
    post_types: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    body: str = ""
    slug: str = ""  # the explicit `slug` key; empty means "derive it from the file name"
    audience: str = ""  # one of AUDIENCES; empty: the file has no `audience` key
    extra: dict[str, Any] = field(default_factory=dict)
    # 1-based line of each key in the source file, for error messages after parsing.
    key_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, key: str) -> int | None:
        return self.key_lines.get(key)


class _StrictBoundaryHandler(YAMLHandler):
    # The library's boundary (`^-{3,}\s*$`) also swallows the blank lines that follow
    # the closing `---`; the body must be kept exactly, so only the line itself matches.
    FM_BOUNDARY = re.compile(r"^---[ \t]*$", re.MULTILINE)


class _Dumper(yaml.SafeDumper):
    """Writes the agency's layout: indented block lists, folded long strings, and
    timestamps as plain scalars (`date: 2023-07-12T05:00:00.000Z`, not quoted)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_Dumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != TIMESTAMP_TAG]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def _handler() -> _StrictBoundaryHandler:
    return _StrictBoundaryHandler()


def parse_post(raw: bytes | str, *, path: str, timezone: str = "UTC") -> PostDocument:
    """Parse one file; naive dates are read in `timezone` (a zoneinfo name)."""
    text = _decode(raw, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    handler = _handler()
    if not handler.detect(text):
        raise FrontMatterError(path, "the file must start with a '---' front-matter line", line=1)
    try:
        front, content = handler.split(text)
    except ValueError:
        raise FrontMatterError(path, "front matter is not closed by a '---' line", line=1) from None
    # The closing delimiter line's own newline, then one conventional blank line.
    body = content.removeprefix("\n").removeprefix("\n")
    nodes = _compose(front, path)
    values, lines = _construct(nodes, path)
    return _build(values, lines, body, path, zoneinfo.ZoneInfo(timezone))


def _decode(raw: bytes | str, path: str) -> str:
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FrontMatterError(
            path, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})", line=line
        ) from None


def _compose(front: str, path: str) -> list[tuple[yaml.Node, yaml.Node]]:
    try:
        root = yaml.compose(front, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        # `front` starts on the opening `---` line (the split keeps its newline), so
        # the mark's 0-based line is the file's 1-based line.
        raise FrontMatterError(
            path, f"invalid YAML: {problem}", line=mark.line + 1 if mark else None
        ) from None
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise FrontMatterError(
            path, "front matter must be a mapping of keys to values", line=root.start_mark.line + 1
        )
    return root.value


def _construct(
    pairs: list[tuple[yaml.Node, yaml.Node]], path: str
) -> tuple[dict[str, Any], dict[str, int]]:
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in pairs:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == NULL_TAG:
            raise FrontMatterError(path, "keys must be plain names", line=line)
        key = key_node.value
        if key in values:
            raise FrontMatterError(path, "duplicate key", line=line, key=key)
        values[key] = value_node
        lines[key] = line
    return values, lines


def _build(
    nodes: dict[str, yaml.Node], lines: dict[str, int], body: str, path: str, tz: zoneinfo.ZoneInfo
) -> PostDocument:
    def fail(key: str, message: str) -> FrontMatterError:
        return FrontMatterError(path, message, line=lines.get(key), key=key)

    texts = {key: _text(nodes[key], fail(key, "must be a single text value, not a list or mapping"))
             for key in ("post_title", *TEXT_KEYS, "audience", "slug") if key in nodes}  # fmt: skip
    if not texts.get("post_title"):
        raise fail("post_title", "is required and must not be empty")
    if "date" not in nodes or _is_null(nodes["date"]):
        raise fail("date", "is required")
    slug = texts.get("slug", "")
    if slug and not SLUG_PATTERN.match(slug):
        raise fail("slug", f"'{slug}' is not a valid slug (letters, digits, '-' and '_')")
    audience = texts.get("audience", "")
    if audience and audience not in AUDIENCES:
        raise fail("audience", f"'{audience}' is not an audience (use {' or '.join(AUDIENCES)})")
    lists = {key: _text_list(nodes[key], fail(key, "must be text or a list of text"))
             for key in LIST_KEYS if key in nodes}  # fmt: skip
    extra = {}
    for key, node in nodes.items():
        if key not in CANONICAL_KEYS:
            extra[key] = _json_value(node, fail(key, "must be plain YAML data (text, numbers, "
                                                      "booleans, lists, mappings)"))  # fmt: skip
    return PostDocument(
        title=texts["post_title"],
        date=_date(nodes["date"], tz, fail("date", f"not a valid date '{nodes['date'].value}'")),
        author=texts.get("post_author", ""),
        image=texts.get("post_image", ""),
        intro=texts.get("post_intro", ""),
        highlight=texts.get("post_highlight", ""),
        post_types=lists.get("post_type", []),
        products=lists.get("product", []),
        tags=lists.get("tags", []),
        body=body,
        slug=slug,
        audience=audience,
        extra=extra,
        key_lines=lines,
    )


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG


def _text(node: yaml.Node, error: FrontMatterError) -> str:
    # The scalar's text as written: `post_title: 404` or `post_intro: Yes` stay text
    # instead of becoming an int or a boolean.
    if not isinstance(node, yaml.ScalarNode):
        raise error
    return "" if _is_null(node) else node.value.strip()


def _text_list(node: yaml.Node, error: FrontMatterError) -> list[str]:
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    result: list[str] = []
    for item in items:
        value = _text(item, error)
        if value and value not in result:
            result.append(value)
    return result


def _json_value(node: yaml.Node, error: FrontMatterError) -> Any:
    """Unknown keys are stored in a JSONField: dates become ISO strings (which the
    serializer writes back unquoted, so YAML reads them as dates again)."""
    try:
        return _plain(yaml.SafeLoader("").construct_document(node))
    except (yaml.YAMLError, ValueError, TypeError):
        raise error from None


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("mapping keys must be text")
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        raise TypeError("not a finite number")
    if value is None or isinstance(value, str | int | float):
        return value
    raise TypeError(type(value).__name__)


def _date(node: yaml.Node, tz: zoneinfo.ZoneInfo, error: FrontMatterError) -> datetime:
    if not isinstance(node, yaml.ScalarNode):
        raise error
    value: object
    try:
        # YAML's own timestamp parsing (`2023-07-12T05:00:00.000Z`, `2023-07-12`) for
        # resolved timestamps; ISO 8601 parsing for quoted ones and `2023-07-12 09:30`.
        value = yaml.SafeLoader("").construct_object(node) if node.tag == TIMESTAMP_TAG else None
        if not isinstance(value, date):
            value = datetime.fromisoformat(node.value.strip())
    except ValueError:
        raise error from None
    return normalise_date(value, tz)


def normalise_date(value: date, tz: zoneinfo.ZoneInfo) -> datetime:
    """An aware UTC datetime at millisecond precision; naive values are local to `tz`."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    value = value.astimezone(UTC)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def format_date(value: datetime) -> str:
    value = value.astimezone(UTC)
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d}T{value.hour:02d}:"
        f"{value.minute:02d}:{value.second:02d}.{value.microsecond // 1000:03d}Z"
    )


class _Folded(str):
    """A string to write as a folded block scalar."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_folded(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style=">")


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Folded, _represent_folded)


def serialize_post(doc: PostDocument) -> str:
    """The canonical file text for `doc` (keys in canonical order, absent ones omitted)."""
    fields: dict[str, Any] = {
        "post_title": doc.title,
        "date": format_date(doc.date),
        "post_author": doc.author,
        "post_image": doc.image,
        "post_intro": doc.intro,
        "post_highlight": doc.highlight,
        "post_type": doc.post_types,
        "product": doc.products,
        "tags": doc.tags,
        "audience": doc.audience,
        "slug": doc.slug,
    }
    mapping = {key: _styled(key, value) for key, value in fields.items() if value}
    mapping.update(doc.extra)
    front = yaml.dump(
        mapping, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
        width=FOLD_COLUMN,
    )  # fmt: skip
    body = doc.body.replace("\r\n", "\n").replace("\r", "\n")
    return f"---\n{front}---\n" + (f"\n{body}" if body else "")


def _styled(key: str, value: Any) -> Any:
    if isinstance(value, str) and ("\n" in value or len(key) + 2 + len(value) > LINE_WIDTH):
        # With its final newline the scalar is written `>` (clip), as the agency does;
        # parsing trims it again.
        return _Folded(value + "\n")
    return value
