"""Read an English article: a header (YAML front matter or `Key: value` lines) + Markdown -> Document.

The body is parsed once, by markdown-it-py with CommonMark rules plus GFM tables,
strikethrough and footnotes; its token stream, with the source line map of every block,
is the document. Every later stage (units, HTML, text, Markdown) works on these tokens
and nothing parses the Markdown again.

Two headers are read:
- YAML front matter between `---` lines (Hugo, Jekyll, MkDocs), read with PyYAML; keys
  other than the ones medloc knows pass through untouched, and the string fields listed in
  `[tool.medloc.markdown] translate_fields` become units.
- the `Key: value` header of Python-Markdown's `meta` extension (continuation lines
  indented by four spaces, a blank line to end it); every key must be a known one.

`<!-- medloc: do-not-translate -->` right before a block keeps that block out of catalogs
(it is still published, in English). Raw HTML must pass `pipeline.htmlpolicy`.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import markdown
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from pipeline import htmlpolicy
from pipeline.errors import MedlocError

NO_TRANSLATE_MARK = "<!-- medloc: do-not-translate -->"

REQUIRED_META = ("title", "review-date")
OPTIONAL_META = ("updated-by", "also-reviewed-by", "source-url")
DEFAULT_TRANSLATE_FIELDS = ("title", "description", "summary", "link-title", "short-title", "subtitle")
# [tool.medloc.markdown]: front matter fields whose text is translated (the rest pass through)
MARKDOWN_DEFAULTS = {"translate_fields": list(DEFAULT_TRANSLATE_FIELDS)}

_META_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
_META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)$")
_YAML_KEY = re.compile(r"^(?P<key>[A-Za-z0-9_][A-Za-z0-9_ -]*?)\s*:(?:\s|$)")
# Longer lines and paragraphs are refused: sentence splitting takes time quadratic in a
# paragraph's length (seconds at 200 000 characters), and no readable article needs them.
MAX_CHARS = 20_000
# Control characters (other than tab and line ends) are never meant in an article, and
# browsers drop some of them from URLs: "\x01javascript:" would pass as a relative link.
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Field:
    """A translatable front matter field: its key as written, English value and line."""

    key: str
    value: str
    line: int


@dataclass(frozen=True)
class Metadata:
    title: str
    review_date: dt.date
    updated_by: str = ""
    also_reviewed_by: str = ""
    source_url: str = ""
    title_line: int = 1
    header: str = "meta"  # "meta" (Key: value lines) or "yaml" (front matter)
    header_lines: tuple[str, ...] = ()  # the header as written, without its `---` fences
    fields: tuple[Field, ...] = ()  # translatable front matter fields other than the title
    title_key: str = "Title"
    review_date_key: str = "Review-Date"


@dataclass(frozen=True)
class Document:
    """An article: its metadata and the markdown-it token stream of its body.

    `untranslated` holds the indices of the tokens kept out of catalogs (blocks after a
    do-not-translate mark). Tokens are shared: renderers copy the ones they change.
    """

    name: str
    path: str  # as shown in messages and PO references, relative to the project
    meta: Metadata
    tokens: tuple[Token, ...]
    env: dict
    untranslated: frozenset[int]
    digest: str  # sha256 of the source bytes


@functools.cache
def parser() -> MarkdownIt:
    """The one Markdown parser: CommonMark, GFM tables and strikethrough, footnotes. (Front matter
    is read before it, with its lines blanked, so it needs no plugin.)"""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin)


def parse_inline(text: str) -> list[Token]:
    """Inline Markdown outside the body (the title) as the children of one inline token."""
    tokens = parser().parseInline(text, {})
    return tokens[0].children or [] if tokens else []


def read_document(path: Path, display: str | None = None,
                  translate_fields: tuple[str, ...] = DEFAULT_TRANSLATE_FIELDS) -> Document:
    """Read and parse one article; any problem is a MedlocError naming the file and line."""
    shown = display or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise MedlocError("no such source file", shown) from None
    except OSError as exc:
        raise MedlocError(f"cannot read: {exc.strerror}", shown) from None
    return parse_document(data, path.stem, shown, translate_fields)


def parse_document(data: bytes, name: str, shown: str,
                   translate_fields: tuple[str, ...] = DEFAULT_TRANSLATE_FIELDS) -> Document:
    text = _decode(data, shown)
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_CHARS:
            raise MedlocError(f"line of {len(line)} characters; lines are limited to {MAX_CHARS} (break it up)",
                              shown, number)
        control = _CONTROL.search(line)
        if control:
            raise MedlocError(f"control character U+{ord(control.group()):04X} in column {control.start() + 1}; "
                              "articles must be plain text", shown, number)
    if lines[0].rstrip() == "---":
        meta, body_start = _read_front_matter(lines, shown, translate_fields)
    else:
        meta, body_start = _read_metadata(lines, shown)
    # The header's lines are blanked rather than cut, so token line maps are source lines.
    body = "\n" * body_start + "\n".join(lines[body_start:])
    for text, line in [(meta.title, meta.title_line), *((f.value, f.line) for f in meta.fields)]:
        for child in parse_inline(text):
            _vet(child, shown, line)
    document = parse_body(body, name, shown, meta, hashlib.sha256(data).hexdigest())
    if not any(t.type == "inline" and i not in document.untranslated for i, t in enumerate(document.tokens)):
        raise MedlocError("the article has no translatable content after its header", shown, body_start + 1)
    return document


def parse_body(body: str, name: str, shown: str, meta: Metadata, digest: str = "") -> Document:
    """Parse Markdown BODY (line N of the file is line N of BODY) and vet what it holds."""
    env: dict = {}
    tokens = parser().parse(body, env)
    for token in tokens:
        _vet(token, shown)
    digest = digest or hashlib.sha256(body.encode("utf-8")).hexdigest()
    return Document(name, shown, meta, tuple(tokens), env, _untranslated(tokens, shown), digest)


def _decode(data: bytes, shown: str) -> str:
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise MedlocError("binary data (NUL byte); source articles must be UTF-8 Markdown text", shown, line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise MedlocError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8", shown, line) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise MedlocError("the file is empty; an article starts with `Title:` and `Review-Date:` lines "
                          "or YAML front matter", shown, 1)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _vet(token: Token, shown: str, line: int | None = None) -> None:
    """Raw HTML the sanitizer would change, and paragraphs too long to split, are errors."""
    line = token.map[0] + 1 if token.map else line
    if token.type in ("html_block", "html_inline"):
        found = htmlpolicy.problems(token.content)
        if found:
            raise MedlocError(f"raw HTML that a published page may not carry: {'; '.join(found)}. "
                              "Remove it (medloc never strips HTML silently)", shown, line)
    if token.type == "inline":
        if len(token.content) > MAX_CHARS:
            raise MedlocError(f"paragraph longer than {MAX_CHARS} characters; split it into shorter ones", shown, line)
        for child in token.children or []:
            _vet(child, shown, line + _line_offset(token.content, child) if line else None)


def _line_offset(content: str, child: Token) -> int:
    """Lines between an inline token's start and CHILD (raw HTML: find it in the source)."""
    at = content.find(child.content) if child.content else -1
    return content.count("\n", 0, at) if at > 0 else 0


def _untranslated(tokens: list[Token], shown: str) -> frozenset[int]:
    """Indices of the tokens of each block that follows a do-not-translate mark."""
    kept: set[int] = set()
    for index, token in enumerate(tokens):
        if token.type != "html_block" or token.content.strip() != NO_TRANSLATE_MARK:
            continue
        start = index + 1
        while start < len(tokens) and tokens[start].level > token.level:
            start += 1
        if start >= len(tokens) or tokens[start].level != token.level or tokens[start].nesting == -1:
            raise MedlocError(f"{NO_TRANSLATE_MARK} is not followed by a block", shown, token.map[0] + 1)
        end = start
        if tokens[start].nesting == 1:
            depth = 0
            for end in range(start, len(tokens)):
                depth += tokens[end].nesting if tokens[end].level == token.level else 0
                if depth == 0:
                    break
        kept.update(range(start, end + 1))
    return frozenset(kept)


# ---------------------------------------------------------------- headers


def _read_metadata(lines: list[str], shown: str) -> tuple[Metadata, int]:
    """Header keys with their lines; values as Python-Markdown's meta extension reads them."""
    key_lines: dict[str, int] = {}
    spelled: dict[str, str] = {}  # medloc's name of a key -> as Python-Markdown's meta reads it
    end = 0
    while end < len(lines) and lines[end].strip():
        match = _META_LINE.match(lines[end])
        if match:
            key = _meta_name(match.group("key"))
            spelled[key] = match.group("key").lower()
            if key in key_lines:
                raise MedlocError(f"metadata key {key!r} given twice (first on line {key_lines[key]})", shown, end + 1)
            key_lines[key] = end + 1
        elif not (key_lines and _META_MORE.match(lines[end])):
            raise MedlocError(
                "expected a metadata header line `Key: value` (end the header with a blank line), "
                "or YAML front matter starting with a `---` line", shown, end + 1
            )
        end += 1
    if not key_lines:
        raise MedlocError("missing metadata header; the article must start with `Title:` and `Review-Date:` lines "
                          "or YAML front matter", shown, 1)
    unknown = [key for key in key_lines if key not in REQUIRED_META + OPTIONAL_META]
    if unknown:
        known = ", ".join(k.title() for k in REQUIRED_META + OPTIONAL_META)
        raise MedlocError(f"unknown metadata key {unknown[0]!r}; known keys: {known}", shown, key_lines[unknown[0]])
    md = _meta_reader()
    md.reset().convert("\n".join(lines[:end]) + "\n\n")
    values = {key: " ".join(v.strip() for v in md.Meta.get(spelled[key], [])).strip() for key in key_lines}
    meta = _metadata(values, key_lines, shown)
    return Metadata(**{**meta.__dict__, "header": "meta", "header_lines": tuple(lines[:end])}), end


@functools.cache
def _meta_reader() -> markdown.Markdown:
    """One Python-Markdown instance for every header (making one costs 1 ms; `reset` clears it)."""
    return markdown.Markdown(extensions=["meta"])


def _read_front_matter(lines: list[str], shown: str, translate_fields: tuple[str, ...]) -> tuple[Metadata, int]:
    """YAML front matter between `---` lines: read with PyYAML, keys found with their lines."""
    try:
        close = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    except StopIteration:
        raise MedlocError("YAML front matter is never closed with a `---` line", shown, 1) from None
    header = lines[1:close]
    try:
        data = yaml.safe_load("\n".join(header)) if any(line.strip() for line in header) else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        raise MedlocError(f"front matter is not valid YAML: {problem}", shown,
                          mark.line + 2 if mark is not None else 1) from None
    if not isinstance(data, dict):
        raise MedlocError("front matter must be a YAML mapping of `key: value` lines", shown, 2)
    key_lines = {}
    for number, line in enumerate(header, start=2):
        match = _YAML_KEY.match(line)
        if match and match.group("key") in data:
            key_lines.setdefault(match.group("key"), number)
    by_name = {_meta_name(key): key for key in data}
    values: dict[str, str] = {}
    lines_of: dict[str, int] = {}
    for name in REQUIRED_META + OPTIONAL_META:
        if name in by_name:
            key = by_name[name]
            value = data[key]
            if isinstance(value, (dt.date, dt.datetime)) and not isinstance(value, dt.datetime):
                value = value.isoformat()
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                raise MedlocError(f"front matter `{key}` must be text, got {type(value).__name__}", shown,
                                  key_lines.get(key, 1))
            values[name] = " ".join(str(value).split())
            lines_of[name] = key_lines.get(key, 1)
    meta = _metadata(values, lines_of, shown)
    fields = []
    for key in data:
        if _meta_name(key) in {_meta_name(name) for name in translate_fields} and _meta_name(key) != "title":
            if data[key] is None:  # `description:` left empty
                continue
            if not isinstance(data[key], str):
                raise MedlocError(f"front matter `{key}` is listed as translatable but is not text", shown,
                                  key_lines.get(key, 1))
            if data[key].strip():
                fields.append(Field(key, " ".join(data[key].split()), key_lines.get(key, 1)))
    return Metadata(**{**meta.__dict__, "header": "yaml", "header_lines": tuple(header), "fields": tuple(fields),
                       "title_key": by_name["title"], "review_date_key": by_name["review-date"]}), close + 1


def _meta_name(key: object) -> str:
    """`Review_Date`, `review-date` and `reviewDate` all name the review date."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", "-", str(key))
    return text.lower().replace("_", "-").replace(" ", "-")


def _metadata(values: dict[str, str], key_lines: dict[str, int], shown: str) -> Metadata:
    for key in REQUIRED_META:
        if not values.get(key):
            raise MedlocError(f"missing required metadata `{key.title()}:` in the header", shown, key_lines.get(key, 1))
    review_line = key_lines["review-date"]
    try:
        review_date = dt.date.fromisoformat(values["review-date"])
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", values["review-date"]):
            raise ValueError
    except ValueError:
        raise MedlocError(
            f"Review-Date {values['review-date']!r} is not a date written YYYY-MM-DD (e.g. 2015-07-13)", shown, review_line
        ) from None
    return Metadata(
        title=values["title"],
        review_date=review_date,
        updated_by=values.get("updated-by", ""),
        also_reviewed_by=values.get("also-reviewed-by", ""),
        source_url=values.get("source-url", ""),
        title_line=key_lines["title"],
    )
