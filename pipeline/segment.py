"""Document -> translation units.

A unit is what a translator translates at once: the title, each translatable front matter
field, each heading, each list item, each table cell, each sentence of every other
paragraph (in block quotes, footnotes and list items too, at any depth), and each link or
image title. Its text is the compact tagged form of `pipeline.inline`, so markup and link
targets never reach the catalog. Code, HTML blocks and blocks after a do-not-translate mark
yield no units.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

import pysbd
from pysbd.utils import TextSpan

from pipeline import htmlpolicy, inline
from pipeline.inline import Span, Tag
from pipeline.source import Document

_WHOLE = {"heading_open": "heading", "th_open": "table cell", "td_open": "table cell"}

# pysbd splits a few citation and abbreviation patterns that are not sentence ends in health text.
_NOT_A_BREAK_BEFORE = re.compile(r"^(?:[a-z]|\d{4};|\d+\(\d+\):|\d+:\d)")
_LEADING_CLOSE = re.compile(r"(?:\s*</\d+>)+")
_NOT_A_BREAK_AFTER = re.compile(r"(?:\bet al\.|\b(?:eds?|vol|no|pp|ch|chap|fig|approx|ca)\.)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Unit:
    msgid: str
    tags: tuple[Tag, ...]
    kind: str  # "title", "heading", "sentence", "list item", "table cell", "link title", ...
    section: str
    line: int

    @property
    def id(self) -> str:
        """Stable short id of the English text, used by approvals, QA and the CLI."""
        return unit_id(self.msgid)

    def comment(self) -> str:
        """The extracted comment translators see: what the unit is, where, and what its tags mean."""
        where = f"{self.kind.capitalize()} in section: {self.section}" if self.section else self.kind.capitalize()
        return "\n".join([where, *(tag.describe() for tag in self.tags)])


def unit_id(msgid: str) -> str:
    return hashlib.sha256(msgid.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class SegmentedPart:
    """One translatable inline token of the document (by index) and the units cut from it:
    its sentences, or the whole part, then the titles of its links and images."""

    token: int
    units: tuple[Unit, ...]
    titles: tuple[Unit, ...] = ()


@dataclass(frozen=True)
class Segmented:
    """A document's units. `english_html` lists the HTML blocks (token indices) whose text
    is not translated and shows in English on every translated page."""

    document: Document
    title: Unit
    fields: tuple[Unit, ...]
    parts: tuple[SegmentedPart, ...]
    english_html: tuple[int, ...] = ()

    def units(self) -> list[Unit]:
        """Every unit in document order, duplicates included."""
        out = [self.title, *self.fields]
        for part in self.parts:
            out += [*part.units, *part.titles]
        return out

    @functools.cached_property
    def by_token(self) -> dict[int, SegmentedPart]:
        return {part.token: part for part in self.parts}


def segment(document: Document, split: Callable[[str], tuple[str, ...]] | None = None) -> Segmented:
    """Cut DOCUMENT into units. SPLIT (default `split_sentences`) may be a cached splitter."""
    split = split or split_sentences
    meta = document.meta
    title = Unit(*inline.to_compact(inline.parse(meta.title)), "title", "", meta.title_line)
    fields = tuple(Unit(*inline.to_compact(inline.parse(field.value)),
                        f"front matter {field.key}", "", field.line) for field in meta.fields)
    section = ""
    parts: list[SegmentedPart] = []
    tokens = document.tokens
    first_in_item: set[int] = set()
    for index, token in enumerate(tokens):
        if token.type == "list_item_open":
            first_in_item.add(index + 1)
        if token.type != "inline" or index in document.untranslated:
            continue
        opening = tokens[index - 1]
        nodes = inline.from_tokens(token.children or [])
        compact, tags = inline.to_compact(nodes)
        if opening.type == "heading_open":
            section = inline.to_text(nodes)
        if not has_words(compact):  # nothing to translate ("1", "!!!", an emoji, a lone code span)
            continue
        line = token.map[0] + 1 if token.map else opening.map[0] + 1 if opening.map else 1
        kind = _WHOLE.get(opening.type) or ("list item" if index - 1 in first_in_item else "")
        if kind:
            units = (Unit(compact.strip(" "), tags, kind, section, line),)
        else:
            pieces = _with_words((sentence, " " if k or not n else "")  # a new line joins without a space
                                 for n, line_text in enumerate(_lines(compact, tags))
                                 for k, sentence in enumerate(split(line_text)))
            lines = _lines_of(pieces, token.content, line)
            units = tuple(Unit(*_renumber(piece, tags), "sentence", section, at) for piece, at in zip(pieces, lines))
        parts.append(SegmentedPart(index, units, _titles(nodes, section, line)))
    english_html = tuple(index for index, token in enumerate(tokens) if token.type == "html_block"
                         and index not in document.untranslated and htmlpolicy.text_of(token.content).strip())
    return Segmented(document, title, fields, tuple(parts), english_html)


def has_words(compact: str) -> bool:
    """Does COMPACT hold a letter outside its tags? A unit needs one to be worth translating."""
    return any(unicodedata.category(char).startswith("L") for char in inline.TAG_RE.sub("", compact))


def _with_words(pieces) -> list[str]:
    """Sentences, each with a letter: a piece without one ("!!!", an emoji) joins its neighbour.
    PIECES are (sentence, what joins it to the one before: a space, or nothing after a break)."""
    out: list[str] = []
    pending = ""
    for piece, joiner in pieces:
        if not has_words(piece):
            if out:
                out[-1] += joiner + piece
            else:
                pending += piece + " "
            continue
        out.append(pending.removesuffix(" ") + joiner + piece if pending else piece)
        pending = ""
    return out


_WORD = re.compile(r"[^\W_]{2,}")


def _lines_of(pieces: list[str], content: str, first: int) -> list[int]:
    """The source line each sentence starts on: its first words found in the paragraph's
    Markdown CONTENT (which starts on line FIRST), in order; a sentence whose words are not
    there as written (entities, escapes) takes the line of the one before."""
    lines, cursor, line = [], 0, first
    for piece in pieces:
        for word in _WORD.findall(inline.TAG_RE.sub(" ", piece))[:3]:
            found = content.find(word, cursor)
            if found >= 0:
                cursor, line = found + len(word), first + content.count("\n", 0, found)
                break
        lines.append(line)
    return lines


def _lines(compact: str, tags: tuple[Tag, ...]) -> list[str]:
    """COMPACT cut after each hard line break outside any tag pair: the lines of an address or
    a list of doses written with breaks are units of their own, not one run-on sentence."""
    lines, start, depth = [], 0, 0
    for match in inline.TAG_RE.finditer(compact):
        opening, closing, atom = match.groups()
        depth += 1 if opening else -1 if closing else 0
        if atom and depth == 0 and tags[int(atom) - 1].breaks_line and compact[match.end():].strip(" "):
            lines.append(compact[start:match.end()])
            start = match.end()
    return [*lines, compact[start:]]


def _titles(nodes: tuple, section: str, line: int) -> tuple[Unit, ...]:
    """Units for the title attributes of the links and images among NODES, each once."""
    found: dict[str, Unit] = {}
    for node in nodes:
        if isinstance(node, Span):
            if node.title:
                compact, tags = inline.attribute_compact(node.title)
                found.setdefault(compact, Unit(compact, tags, f"{'image' if node.kind == 'image' else 'link'} title",
                                               section, line))
            for unit in _titles(node.children, section, line):
                found.setdefault(unit.msgid, unit)
    return tuple(found.values())


@functools.lru_cache(maxsize=65536)
def split_sentences(compact: str) -> tuple[str, ...]:
    """Sentences of one paragraph in compact form; never splits inside a tag pair, and a
    sentence starts only after white space ("$.;'there" is one piece of text)."""
    sentences: list[str] = []
    for piece in _covering(compact, _segmenter().segment(compact)):
        if sentences and _open_tags(sentences[-1]):
            closing = _LEADING_CLOSE.match(piece)
            if closing and not _open_tags(sentences[-1] + closing.group(0)):
                sentences[-1] += closing.group(0)
                piece = piece[closing.end():]
            else:
                sentences[-1] += piece
                continue
        if not piece.strip():
            continue
        glued = sentences and sentences[-1][-1:] != " " and piece[:1] != " "
        if glued or sentences and (_NOT_A_BREAK_AFTER.search(sentences[-1]) or _NOT_A_BREAK_BEFORE.match(piece.lstrip())):
            sentences[-1] += piece
        else:
            sentences.append(piece)
    return tuple(sentence.strip(" ") for sentence in sentences)  # a no-break space is text


def _covering(text: str, pieces: list[str]) -> list[str]:
    """PIECES made to cover TEXT exactly: pysbd leaves out text it sees as no sentence's (a
    leading no-break space, say), and none may be lost; gaps go to the piece after them,
    white space to the piece before."""
    out: list[str] = []
    at = 0
    for piece in pieces:
        start = text.find(piece, at)
        if start < 0:
            return [text]
        gap, at = text[at:start], start + len(piece)
        if out and not gap.strip(" "):
            out[-1] += gap
            out.append(piece)
        else:
            out.append(gap + piece)
    if out:
        out[-1] += text[at:]
    return out or [text]


class _Segmenter(pysbd.Segmenter):
    """pysbd's English segmenter, locating its sentences in the text with str.find.

    pysbd finds each sentence again with a regular expression made from that sentence, so
    every sentence costs a fresh compile (about 40% of its time on health articles). This is
    the same left-to-right, non-overlapping search for `sentence` plus trailing whitespace
    (`\\s*`, i.e. str.isspace), without the compiles; `tests/test_segment.py` compares the two.
    """

    def sentences_with_char_spans(self, sentences):
        text, spans, prior_end = self.original_text, [], 0
        for sent in sentences:
            position = 0
            while sent and (start := text.find(sent, position)) >= 0:
                end = start + len(sent)
                while end < len(text) and text[end].isspace():
                    end += 1
                if end > prior_end:
                    spans.append(TextSpan(text[start:end], start, end))
                    prior_end = end
                    break
                position = end
        return spans


@functools.cache
def _segmenter() -> pysbd.Segmenter:
    return _Segmenter(language="en", clean=False)


def _open_tags(text: str) -> bool:
    depth = 0
    for tag in inline.tag_numbers(text):
        if tag.endswith("/>"):
            continue
        depth += -1 if tag.startswith("</") else 1
    return depth > 0


def _renumber(piece: str, tags: tuple[Tag, ...]) -> tuple[str, tuple[Tag, ...]]:
    """Number a sentence's tags from 1, keeping what each stands for."""
    mapping: dict[int, int] = {}
    own: list[Tag] = []

    def replace(match: re.Match) -> str:
        opening, closing, atom = match.groups()
        old = int(opening or closing or atom)
        if old not in mapping:
            mapping[old] = len(mapping) + 1
            original = tags[old - 1]
            own.append(Tag(mapping[old], original.kind, original.target, original.title, original.text, original.raw))
        new = mapping[old]
        return f"</{new}>" if closing else (f"<{new}/>" if atom else f"<{new}>")

    return inline.TAG_RE.sub(replace, piece), tuple(own)
