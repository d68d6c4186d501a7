"""Document -> translation units.

A unit is what a translator translates at once: the title, each heading, each list item,
each table cell, and each sentence of a paragraph. Its text is the compact tagged form of
`pipeline.inline`, so markup and link targets never reach the catalog.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from typing import Callable

import pysbd
from pysbd.utils import TextSpan

from pipeline import inline
from pipeline.inline import Tag
from pipeline.source import Document

_KIND_OF_BLOCK = {"heading": "heading", "bullet_list": "list item", "ordered_list": "list item", "table": "table cell"}

# pysbd splits a few citation and abbreviation patterns that are not sentence ends in health text.
_NOT_A_BREAK_BEFORE = re.compile(r"^(?:[a-z]|\d{4};|\d+\(\d+\):|\d+:\d)")
_LEADING_CLOSE = re.compile(r"(?:\s*</\d+>)+")
_NOT_A_BREAK_AFTER = re.compile(r"(?:\bet al\.|\b(?:eds?|vol|no|pp|ch|chap|fig|approx|ca)\.)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Unit:
    msgid: str
    tags: tuple[Tag, ...]
    kind: str  # "title", "heading", "sentence", "list item", "table cell"
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
class SegmentedBlock:
    """A block and, for each of its parts, the units it was cut into (none if do-not-translate)."""

    index: int
    units: tuple[tuple[Unit, ...], ...]


@dataclass(frozen=True)
class Segmented:
    document: Document
    title: Unit
    blocks: tuple[SegmentedBlock, ...]

    def units(self) -> list[Unit]:
        """Every unit in document order, duplicates included."""
        out = [self.title]
        for block in self.blocks:
            for part_units in block.units:
                out.extend(part_units)
        return out


def segment(document: Document, split: Callable[[str], tuple[str, ...]] | None = None) -> Segmented:
    """Cut DOCUMENT into units. SPLIT (default `split_sentences`) may be a cached splitter."""
    split = split or split_sentences
    title_text, title_tags = inline.to_compact(inline.parse(document.meta.title))
    title = Unit(title_text, title_tags, "title", "", document.meta.title_line)
    section = ""
    blocks: list[SegmentedBlock] = []
    for index, block in enumerate(document.blocks):
        if block.kind == "heading":
            section = inline.to_text(inline.parse(block.parts[0].text))
        per_part: list[tuple[Unit, ...]] = []
        for part in block.parts:
            if not block.translate:
                per_part.append(())
                continue
            compact, tags = inline.to_compact(inline.parse(part.text))
            if block.kind == "paragraph":
                pieces = split(compact)
                kind = "sentence"
            else:
                pieces = (compact,) if compact.strip() else ()
                kind = _KIND_OF_BLOCK[block.kind]
            units, words = [], 0
            for piece in pieces:
                units.append(Unit(*_renumber(piece, tags), kind, section, part.line_of_word(words)))
                words += len(piece.split())
            per_part.append(tuple(units))
        blocks.append(SegmentedBlock(index, tuple(per_part)))
    return Segmented(document, title, tuple(blocks))


@functools.lru_cache(maxsize=65536)
def split_sentences(compact: str) -> tuple[str, ...]:
    """Sentences of one paragraph in compact form; never splits inside a tag pair."""
    sentences: list[str] = []
    for piece in _segmenter().segment(compact):
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
        if sentences and (_NOT_A_BREAK_AFTER.search(sentences[-1]) or _NOT_A_BREAK_BEFORE.match(piece.lstrip())):
            sentences[-1] += piece
        else:
            sentences.append(piece)
    return tuple(sentence.strip() for sentence in sentences)


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
            own.append(Tag(mapping[old], original.kind, original.target, original.title, original.text))
        new = mapping[old]
        return f"</{new}>" if closing else (f"<{new}/>" if atom else f"<{new}>")

    return inline.TAG_RE.sub(replace, piece), tuple(own)
