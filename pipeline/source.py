"""Read an English article: metadata header + Markdown body -> Document.

The header is the one Python-Markdown's `meta` extension reads (`Key: value` lines, indented
continuation lines, ended by a blank line). The body is parsed here into blocks that keep
their line numbers, because every translation unit must point translators to its line.

Supported body subset: ATX headings, paragraphs, bullet and ordered lists (one level),
pipe tables, HTML comments. `<!-- medloc: do-not-translate -->` on the line before a
block keeps that block out of catalogs (it is still published, in English).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import markdown

from pipeline.errors import MedlocError

NO_TRANSLATE_MARK = "<!-- medloc: do-not-translate -->"

REQUIRED_META = ("title", "review-date")
OPTIONAL_META = ("updated-by", "also-reviewed-by", "source-url")

_META_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
_META_MORE = re.compile(r"^[ ]{4,}(?P<value>.*)$")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_BULLET = re.compile(r"^([-*+])[ \t]+(.*)$")
_ORDERED = re.compile(r"^(\d{1,9})[.)][ \t]+(.*)$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
# Longer lines and paragraphs are refused: sentence splitting takes time quadratic in a
# paragraph's length (seconds at 200 000 characters), and no readable article needs them.
MAX_CHARS = 20_000
# Control characters (other than tab and line ends) are never meant in an article, and
# browsers drop some of them from URLs: "\x01javascript:" would pass as a relative link.
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Metadata:
    title: str
    review_date: dt.date
    updated_by: str = ""
    also_reviewed_by: str = ""
    source_url: str = ""
    title_line: int = 1


@dataclass(frozen=True)
class Part:
    """One piece of inline Markdown (a heading, list item, cell or paragraph) and its first line.

    `word_lines` gives, for a paragraph, the source line of each whitespace-separated word,
    so each sentence can point translators to the line it starts on.
    """

    text: str
    line: int
    word_lines: tuple[int, ...] = ()

    def line_of_word(self, index: int) -> int:
        return self.word_lines[min(index, len(self.word_lines) - 1)] if self.word_lines else self.line


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "paragraph", "bullet_list", "ordered_list", "table"
    line: int
    parts: tuple[Part, ...]
    level: int = 0  # heading level
    translate: bool = True
    columns: int = 0  # table: parts are row-major cells, first row is the header
    start: int = 1  # ordered list: first number

    def rows(self) -> list[tuple[Part, ...]]:
        return [self.parts[i : i + self.columns] for i in range(0, len(self.parts), self.columns)]


@dataclass(frozen=True)
class Document:
    name: str
    path: str  # as shown in messages and PO references, relative to the project
    meta: Metadata
    blocks: tuple[Block, ...]
    digest: str  # sha256 of the source bytes


def read_document(path: Path, display: str | None = None) -> Document:
    """Read and parse one article; any problem is a MedlocError naming the file and line."""
    shown = display or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise MedlocError("no such source file", shown) from None
    except OSError as exc:
        raise MedlocError(f"cannot read: {exc.strerror}", shown) from None
    return parse_document(data, path.stem, shown)


def parse_document(data: bytes, name: str, shown: str) -> Document:
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
        raise MedlocError("the file is empty; an article starts with `Title:` and `Review-Date:` lines", shown, 1)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_CHARS:
            raise MedlocError(f"line of {len(line)} characters; lines are limited to {MAX_CHARS} (break it up)",
                              shown, number)
        control = _CONTROL.search(line)
        if control:
            raise MedlocError(f"control character U+{ord(control.group()):04X} in column {control.start() + 1}; "
                              "articles must be plain text", shown, number)
    meta, body_start = _read_metadata(lines, shown)
    blocks = _read_blocks(lines, body_start, shown)
    if not any(block.translate for block in blocks):
        raise MedlocError("the article has no translatable content after its header", shown, body_start + 1)
    return Document(name, shown, meta, tuple(blocks), hashlib.sha256(data).hexdigest())


def _read_metadata(lines: list[str], shown: str) -> tuple[Metadata, int]:
    """Header keys with their lines; values as Python-Markdown's meta extension reads them."""
    key_lines: dict[str, int] = {}
    end = 0
    while end < len(lines) and lines[end].strip():
        match = _META_LINE.match(lines[end])
        if match:
            key = match.group("key").lower()
            if key in key_lines:
                raise MedlocError(f"metadata key {key!r} given twice (first on line {key_lines[key]})", shown, end + 1)
            key_lines[key] = end + 1
        elif not (key_lines and _META_MORE.match(lines[end])):
            raise MedlocError(
                "expected a metadata header line `Key: value` (end the header with a blank line)", shown, end + 1
            )
        end += 1
    if not key_lines:
        raise MedlocError("missing metadata header; the article must start with `Title:` and `Review-Date:` lines", shown, 1)
    unknown = [key for key in key_lines if key not in REQUIRED_META + OPTIONAL_META]
    if unknown:
        known = ", ".join(k.title() for k in REQUIRED_META + OPTIONAL_META)
        raise MedlocError(f"unknown metadata key {unknown[0]!r}; known keys: {known}", shown, key_lines[unknown[0]])
    md = markdown.Markdown(extensions=["meta"])
    md.convert("\n".join(lines[:end]) + "\n\n")
    values = {key: " ".join(v.strip() for v in md.Meta.get(key, [])).strip() for key in key_lines}
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
    meta = Metadata(
        title=values["title"],
        review_date=review_date,
        updated_by=values.get("updated-by", ""),
        also_reviewed_by=values.get("also-reviewed-by", ""),
        source_url=values.get("source-url", ""),
        title_line=key_lines["title"],
    )
    return meta, end


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _read_blocks(lines: list[str], start: int, shown: str) -> list[Block]:
    blocks: list[Block] = []
    no_translate_next = False
    i = start
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        if stripped.startswith("<!--"):
            end = i
            while "-->" not in lines[end]:
                end += 1
                if end == len(lines):
                    raise MedlocError("HTML comment is never closed with -->", shown, i + 1)
            if stripped == NO_TRANSLATE_MARK:
                no_translate_next = True
            i = end + 1
            continue
        if line.startswith((" ", "\t")):
            raise MedlocError("indented text outside a list item (code blocks and nested lists are not supported)", shown, i + 1)
        if stripped.startswith(("```", "~~~", ">")):
            raise MedlocError("code fences and block quotes are not supported in articles", shown, i + 1)
        heading = _HEADING.match(line)
        if heading:
            block = Block("heading", i + 1, (Part(_collapse(heading.group(2)), i + 1),), level=len(heading.group(1)))
            i += 1
        elif _BULLET.match(line) or _ORDERED.match(line):
            block, i = _read_list(lines, i, shown)
        elif line.lstrip().startswith("|") and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1].strip()):
            block, i = _read_table(lines, i, shown)
        else:
            first = i
            while i < len(lines) and lines[i].strip() and not _starts_block(lines, i):
                i += 1
            if sum(len(lines[n]) for n in range(first, i)) > MAX_CHARS:
                raise MedlocError(f"paragraph longer than {MAX_CHARS} characters; split it into shorter ones",
                                  shown, first + 1)
            word_lines = tuple(n + 1 for n in range(first, i) for _ in lines[n].split())
            block = Block("paragraph", first + 1, (Part(_collapse(" ".join(lines[first:i])), first + 1, word_lines),))
        if no_translate_next:
            block = Block(block.kind, block.line, block.parts, block.level, False, block.columns, block.start)
            no_translate_next = False
        blocks.append(block)
    if no_translate_next:
        raise MedlocError(f"{NO_TRANSLATE_MARK} is not followed by a block", shown, len(lines))
    return blocks


def _starts_block(lines: list[str], i: int) -> bool:
    """Does line I end the paragraph before it? A numbered item does only if it is "1." (as in
    CommonMark): "Smith et al." wrapped before "2015. Results..." is one sentence, not a list."""
    line = lines[i]
    ordered = _ORDERED.match(line)
    return bool(
        _HEADING.match(line)
        or _BULLET.match(line)
        or (ordered and int(ordered.group(1)) == 1)
        or line.strip().startswith("<!--")
        or (line.startswith("|") and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1].strip()))
    )


def _read_list(lines: list[str], i: int, shown: str) -> tuple[Block, int]:
    ordered = bool(_ORDERED.match(lines[i]))
    pattern = _ORDERED if ordered else _BULLET
    first_match = pattern.match(lines[i])
    start_number = int(first_match.group(1)) if ordered else 1
    items: list[Part] = []
    first = i
    while i < len(lines):
        match = pattern.match(lines[i])
        if not match:
            other = _BULLET if ordered else _ORDERED
            if other.match(lines[i]):
                raise MedlocError("bullet and numbered items mixed in one list; separate them with a blank line and text", shown, i + 1)
            break
        item_line = i
        text = [match.group(2)]
        i += 1
        while i < len(lines) and lines[i].strip() and not pattern.match(lines[i]):
            continuation = lines[i]
            inner = continuation.strip()
            if _BULLET.match(inner) or _ORDERED.match(inner):
                raise MedlocError("nested lists are not supported", shown, i + 1)
            if not continuation.startswith((" ", "\t")) and _starts_block(lines, i):
                break
            text.append(inner)
            i += 1
        items.append(Part(_collapse(" ".join(text)), item_line + 1))
        if i < len(lines) and not lines[i].strip():
            nxt = i + 1
            while nxt < len(lines) and not lines[nxt].strip():
                nxt += 1
            if nxt < len(lines) and pattern.match(lines[nxt]):
                raise MedlocError("blank line between list items (loose lists are not supported); remove it", shown, i + 1)
            break
    kind = "ordered_list" if ordered else "bullet_list"
    return Block(kind, first + 1, tuple(items), start=start_number), i


def _split_row(line: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
    return [_collapse(cell) for cell in cells]


def _read_table(lines: list[str], i: int, shown: str) -> tuple[Block, int]:
    first = i
    header = _split_row(lines[i])
    parts = [Part(cell, i + 1) for cell in header]
    i += 2
    while i < len(lines) and lines[i].strip().startswith("|"):
        row = _split_row(lines[i])
        if len(row) != len(header):
            raise MedlocError(f"table row has {len(row)} cells, the header has {len(header)}", shown, i + 1)
        parts.extend(Part(cell, i + 1) for cell in row)
        i += 1
    return Block("table", first + 1, tuple(parts), columns=len(header)), i
