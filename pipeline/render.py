"""Segmented document + translations -> HTML page and plain text.

English outputs are rendered from the source blocks themselves; localized outputs from
the units, each unit's translation put back into its block. Rendering through an identity
catalog (msgstr == msgid) therefore proves that segmentation lost nothing: both paths must
give identical bytes. All text is escaped by `pipeline.inline.to_html`; the page frame is a
Jinja2 template with autoescaping on.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

import jinja2
from babel import Locale
from babel.dates import format_date, format_skeleton
from markupsafe import Markup
from wcwidth import wcswidth

from pipeline import inline
from pipeline.labels import labels_for
from pipeline.segment import Segmented, Unit
from pipeline.source import Block, Part

Translate = Callable[[Unit], str]
TEXT_WIDTH = 72


@dataclass(frozen=True)
class Page:
    """Everything around the article body: language, direction, footer lines, other languages."""

    lang: str = "en"
    direction: str = "ltr"
    footer: tuple[tuple[str, str], ...] = ()
    alternates: tuple[tuple[str, str], ...] = ()  # (hreflang, href)
    language_names: dict[str, str] = field(default_factory=dict)
    languages_label: str = "Other languages"
    sentence_separator: str = " "


def english_page(segmented: Segmented, alternates: tuple[tuple[str, str], ...] = (), names: dict[str, str] | None = None) -> Page:
    meta = segmented.document.meta
    footer = [("Review Date", format_skeleton("yMd", meta.review_date, locale="en_US"))]
    if meta.updated_by:
        footer.append(("Updated by", meta.updated_by))
    if meta.also_reviewed_by:
        footer.append(("Also reviewed by", meta.also_reviewed_by))
    if meta.source_url:
        footer.append(("Source", meta.source_url))
    return Page(footer=tuple(footer), alternates=alternates, language_names=names or {})


def bcp47(locale: str) -> str:
    """gettext `zh_Hans` -> BCP 47 `zh-Hans`, as HTML `lang` and `hreflang` want it."""
    return locale.replace("_", "-")


_NO_SPACE_BETWEEN_SENTENCES = ("zh", "ja")


def localized_page(segmented: Segmented, locale: str, approved_on: dt.date, reviewers: list[str],
                   alternates: tuple[tuple[str, str], ...] = (), names: dict[str, str] | None = None) -> Page:
    """The frame of a translated page: target-language labels, Babel dates, lang/dir, credits.

    It states the English review date the translation reflects, who reviewed the English,
    when the translation was approved and by whom.
    """
    meta = segmented.document.meta
    babel_locale = Locale.parse(locale)
    _, labels = labels_for(locale)
    footer = [(labels["english_review_date"], format_date(meta.review_date, "long", locale=babel_locale))]
    if meta.updated_by:
        footer.append((labels["english_reviewed_by"], meta.updated_by))
    if meta.also_reviewed_by:
        footer.append((labels["also_reviewed_by"], meta.also_reviewed_by))
    footer.append((labels["translation_approved"], format_date(approved_on, "long", locale=babel_locale)))
    if reviewers:
        footer.append((labels["translation_reviewed_by"], ", ".join(reviewers)))
    if meta.source_url:
        footer.append((labels["source"], meta.source_url))
    return Page(
        lang=bcp47(locale),
        direction=babel_locale.text_direction,
        footer=tuple(footer),
        alternates=alternates,
        language_names=names or {},
        languages_label=labels["other_languages"],
        sentence_separator="" if babel_locale.language in _NO_SPACE_BETWEEN_SENTENCES else " ",
    )


# ---------------------------------------------------------------- shared walk


def _part_nodes(segmented: Segmented, translate: Translate | None, block_index: int, part_index: int, part: Part):
    """The inline nodes of one part, per sentence: from the source, or from translated units."""
    units = segmented.blocks[block_index].units[part_index]
    if translate is None or not units:
        return [inline.parse(part.text)]
    return [inline.from_compact(translate(unit), unit.tags) for unit in units]


def _title_nodes(segmented: Segmented, translate: Translate | None):
    if translate is None:
        return inline.parse(segmented.document.meta.title)
    return inline.from_compact(translate(segmented.title), segmented.title.tags)


# ---------------------------------------------------------------- HTML


@functools.cache
def environment(trim: bool = False) -> jinja2.Environment:
    """Jinja2 for medloc's templates: autoescaping always on, undefined names are errors.
    TRIM drops the whitespace around block tags (review packets); article pages keep it."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline", "templates"),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=trim,
        lstrip_blocks=trim,
    )


def render_html(segmented: Segmented, page: Page, translate: Translate | None = None) -> str:
    """A complete HTML5 page. TRANSLATE maps a unit to its compact translation (None: English source)."""
    body: list[str] = []
    for index, block in enumerate(segmented.document.blocks):
        parts = [
            page.sentence_separator.join(inline.to_html(n) for n in _part_nodes(segmented, translate, index, i, part))
            for i, part in enumerate(block.parts)
        ]
        body.append(_block_html(block, parts))
    title = _title_nodes(segmented, translate)
    return environment().get_template("article.html.j2").render(
        page=page,
        title_text=inline.to_text(title),
        title_html=Markup(inline.to_html(title)),
        body=Markup("\n".join(body)),
    )


def _block_html(block: Block, parts: list[str]) -> str:
    no = "" if block.translate else ' translate="no"'
    if block.kind == "heading":
        level = min(block.level, 6)
        return f"<h{level}{no}>{parts[0]}</h{level}>"
    if block.kind == "paragraph":
        return f"<p{no}>{parts[0]}</p>"
    if block.kind in ("bullet_list", "ordered_list"):
        items = "\n".join(f"<li>{p}</li>" for p in parts)
        if block.kind == "bullet_list":
            return f"<ul{no}>\n{items}\n</ul>"
        start = f' start="{block.start}"' if block.start != 1 else ""
        return f"<ol{start}{no}>\n{items}\n</ol>"
    rows = [parts[i : i + block.columns] for i in range(0, len(parts), block.columns)]
    head = "".join(f"<th>{cell}</th>" for cell in rows[0])
    body = "\n".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows[1:])
    return f"<table{no}>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


# ---------------------------------------------------------------- plain text


def render_text(segmented: Segmented, page: Page, translate: Translate | None = None, width: int = TEXT_WIDTH) -> str:
    """Readable plain text wrapped by display width (CJK characters count double)."""
    title = inline.to_text(_title_nodes(segmented, translate))
    out = [title, "=" * max(4, display_width(title)), ""]
    for index, block in enumerate(segmented.document.blocks):
        parts = [
            page.sentence_separator.join(inline.to_text(n) for n in _part_nodes(segmented, translate, index, i, part))
            for i, part in enumerate(block.parts)
        ]
        if block.kind == "heading":
            rule = "-" if block.level <= 2 else "~"
            out += [parts[0], rule * max(4, display_width(parts[0])), ""]
        elif block.kind == "paragraph":
            out += [*wrap(parts[0], width), ""]
        elif block.kind in ("bullet_list", "ordered_list"):
            for number, text in enumerate(parts, start=block.start):
                marker = "- " if block.kind == "bullet_list" else f"{number}. "
                out += wrap(text, width, marker, " " * len(marker))
            out.append("")
        else:
            for row in [parts[i : i + block.columns] for i in range(0, len(parts), block.columns)]:
                out += wrap(" | ".join(row), width)
            out.append("")
    for label, value in page.footer:
        out += wrap(f"{label}: {value}", width)
    return "\n".join(out).rstrip("\n") + "\n"


def display_width(text: str) -> int:
    """Terminal columns of TEXT. ASCII needs no lookup: each printable character takes one
    column, and text with a control character falls back to its length anyway."""
    if text.isascii():
        return len(text)
    width = wcswidth(text)
    return width if width >= 0 else len(text)


_WIDE = r"\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
_TOKEN = re.compile(rf"[{_WIDE}]|[^\s{_WIDE}]+|\s+")
_NO_LINE_START = set("。，、；：？！）」』】〉》．,.;:?!)")


def wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """Greedy wrap by display width. Wide (CJK) characters may break anywhere, except that
    closing punctuation never starts a line; other text breaks at spaces."""
    lines: list[str] = []
    line, used = first, display_width(first)
    indents = (display_width(first), display_width(rest))  # a line holding only its indent is fresh
    pending_space = ""
    for token in _TOKEN.findall(unicodedata.normalize("NFC", text)):
        if token.isspace():
            pending_space = " " if used > indents[bool(lines)] else ""
            continue
        size = display_width(pending_space + token)
        fresh = used <= indents[bool(lines)]
        if used + size > width and not fresh and token[0] not in _NO_LINE_START:
            lines.append(line.rstrip())
            line, used = rest + token, display_width(rest + token)
        else:
            line += pending_space + token
            used += size
        pending_space = ""
    lines.append(line.rstrip())
    return lines
