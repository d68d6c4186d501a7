"""Segmented document + translations -> HTML page, plain text and Markdown.

Every output is a renderer over one model: the document's markdown-it token stream, in
which each translatable inline token is replaced by its units' translations
(`localized_tokens`). English outputs go through the same path with the identity catalog
(msgstr == msgid), so the English page proves that segmentation lost nothing: its body is
markdown-it's own rendering of the source. HTML comes from markdown-it's renderer and then
passes the page sanitizer (`pipeline.htmlpolicy`); Markdown comes from mdformat's renderer;
plain text from the walk below. All translated text is text to both renderers, so it is
escaped; the page frame is a Jinja2 template with autoescaping on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2
import mdformat_footnote.plugin
import yaml
from babel import Locale
from babel.dates import format_date, format_skeleton
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from markupsafe import Markup
from mdformat.renderer import MDRenderer
from wcwidth import wcswidth

from pipeline import htmlpolicy, inline, mdgfm
from pipeline.inline import Span, Text
from pipeline.errors import MedlocError
from pipeline.labels import labels_for
from pipeline.segment import Segmented, Unit
from pipeline.source import parser

Translate = Callable[[Unit], str]
TEXT_WIDTH = 72


_BREAK = inline.Atom("break", "")


def _identity(unit: Unit) -> str:
    return unit.msgid


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
    templates: str = ""  # a publisher's template folder (`[tool.medloc.publish] templates`)
    english_review_date: dt.date | None = None  # stamped on localized Markdown


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
        english_review_date=meta.review_date,
    )


# ---------------------------------------------------------------- the localized model


def localized_tokens(segmented: Segmented, translate: Translate | None = None, separator: str = " ",
                     lang: str = "en") -> list[Token]:
    """The document's tokens with each translatable inline token rebuilt from the translations
    of its units (sentences joined by SEPARATOR) and blocks kept in English marked
    `translate="no"`; on a page in another LANG, those blocks and HTML blocks whose text stays
    English are marked `lang="en" dir="ltr"`. Raises inline.MarkupError when a translation's tags do not fit."""
    translate = _one_line(translate or _identity)
    document = segmented.document
    tokens = list(document.tokens)
    for part in segmented.parts:
        titles = {unit.msgid: inline.to_text(inline.from_compact(translate(unit), unit.tags)) for unit in part.titles
                  if translate(unit) != unit.msgid}  # an English title stays as written
        nodes: list = []
        for unit in part.units:
            if nodes and nodes[-1] != _BREAK:  # a hard break ends its line already
                nodes.append(Text(separator))
            nodes.extend(inline.from_compact(translate(unit), unit.tags))
        original = tokens[part.token]
        rebuilt = Token(original.type, original.tag, original.nesting, map=original.map, level=original.level,
                        children=inline.to_tokens(_retitle(tuple(nodes), titles)), content=original.content)
        tokens[part.token] = rebuilt
    for index, token in enumerate(tokens):  # English text (kept, or nothing to translate): the same path
        if token.type == "inline" and index not in segmented.by_token:
            tokens[index] = dataclasses.replace(token, children=inline.to_tokens(inline.from_tokens(token.children or [])))
    for index in sorted(document.untranslated):
        if index - 1 not in document.untranslated and tokens[index].nesting >= 0:
            marked = dataclasses.replace(tokens[index], attrs=dict(tokens[index].attrs))
            marked.attrSet("translate", "no")
            if lang != "en":  # English on a page in another language (and direction)
                marked.attrSet("lang", "en")
                marked.attrSet("dir", "ltr")
            tokens[index] = marked
    if lang != "en":
        for index in segmented.english_html:
            if htmlpolicy.balanced(tokens[index].content):
                tokens[index] = dataclasses.replace(
                    tokens[index], content=f'<div lang="en" dir="ltr">\n{tokens[index].content.rstrip()}\n</div>\n')
    return tokens


def _one_line(translate: Translate) -> Translate:
    """Translations as units hold English: runs of spaces and line ends are one space, none at
    the ends (a line end typed into a PO editor must not start a Markdown table or code)."""
    return lambda unit: inline.one_line(translate(unit))


def _retitle(nodes: tuple, titles: dict[str, str]) -> tuple:
    """NODES with each link and image title replaced by its translation."""
    out = []
    for node in nodes:
        if isinstance(node, Span):
            compact = inline.attribute_compact(node.title)[0] if node.title else ""
            node = dataclasses.replace(node, children=_retitle(node.children, titles),
                                       title=titles.get(compact, node.title))
        out.append(node)
    return tuple(out)


def _title_nodes(segmented: Segmented, translate: Translate | None):
    return inline.from_compact(_one_line(translate or _identity)(segmented.title), segmented.title.tags)


# ---------------------------------------------------------------- HTML

_MIRROR = {'style="text-align:left"': 'style="text-align:right"', 'style="text-align:right"': 'style="text-align:left"'}
_MIRRORED = re.compile("|".join(map(re.escape, _MIRROR)))


@functools.cache
def environment(trim: bool = False, templates: str = "") -> jinja2.Environment:
    """Jinja2 for medloc's templates: autoescaping always on, undefined names are errors.
    TRIM drops the whitespace around block tags (review packets); article pages keep it.
    TEMPLATES is a publisher's folder whose templates replace the built-in ones of that name."""
    loaders: list[jinja2.BaseLoader] = [jinja2.PackageLoader("pipeline", "templates")]
    if templates:
        loaders.insert(0, jinja2.FileSystemLoader(templates))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=trim,
        lstrip_blocks=trim,
    )


def render_body_html(segmented: Segmented, translate: Translate | None = None, separator: str = " ",
                     lang: str = "en", tokens: list[Token] | None = None) -> str:
    """The article body as markdown-it renders the localized tokens, before sanitizing."""
    md = parser()
    tokens = tokens or localized_tokens(segmented, translate, separator, lang)
    return md.renderer.render(tokens, md.options, segmented.document.env)


def render_page(segmented: Segmented, page: Page, translate: Translate | None = None) -> tuple[str, str, str]:
    """The page's HTML, plain text and Markdown, from one localized token stream."""
    tokens = localized_tokens(segmented, translate, page.sentence_separator, page.lang)
    return (render_html(segmented, page, translate, tokens), render_text(segmented, page, translate, tokens=tokens),
            render_markdown(segmented, page, translate, tokens))


def render_html(segmented: Segmented, page: Page, translate: Translate | None = None,
                tokens: list[Token] | None = None) -> str:
    """A complete HTML5 page. TRANSLATE maps a unit to its compact translation (None: English);
    TOKENS, the page's localized tokens when the caller has them already."""
    body = htmlpolicy.sanitize(render_body_html(segmented, translate, page.sentence_separator, page.lang, tokens))
    if page.direction == "rtl":  # a column aligned to the reading start in English is so in Arabic too
        body = _MIRRORED.sub(lambda match: _MIRROR[match.group(0)], body)
    title = _title_nodes(segmented, translate)
    return environment(templates=page.templates).get_template("article.html.j2").render(
        page=page,
        title_text=inline.to_text(title),
        title_html=Markup(htmlpolicy.sanitize(inline.to_html(title))),
        body=Markup(body.strip("\n")),
    )


# ---------------------------------------------------------------- Markdown


_MDFORMAT_OPTIONS = {"number": True, "wrap": "keep", "end_of_line": "lf", "validate": False}


def render_markdown(segmented: Segmented, page: Page, translate: Translate | None = None,
                    tokens: list[Token] | None = None) -> str:
    """The article as Markdown, header first, for static site generators (Hugo, MkDocs, Jekyll):
    the source's structure with every unit translated, by mdformat's renderer.

    The Markdown is parsed again and must give the page's HTML; where mdformat cannot write
    a construct back (a few CommonMark corner cases), this refuses rather than publish a
    different page."""
    tokens = tokens or localized_tokens(segmented, translate, page.sentence_separator, page.lang)
    body = _markdown(tokens, segmented.document.env)
    md = parser()
    expected = md.renderer.render(tokens, md.options, segmented.document.env)
    if _comparable(md.render(body)) != _comparable(expected):
        raise MedlocError(f"medloc cannot write this page as Markdown that shows the same text "
                          f"(language {page.lang}); its HTML and text are unaffected. Please report it",
                          segmented.document.path)
    return _header(segmented, page, translate) + "\n" + body


def _markdown(tokens: list[Token], env: dict) -> str:
    tokens = [_edge_spaces_as_entities(token) if token.type == "inline" else token for token in tokens]
    options = {**parser().options, "parser_extension": [mdgfm, mdformat_footnote.plugin], "mdformat": _MDFORMAT_OPTIONS}
    return MDRenderer().render(tokens, options, dict(env))


def _edge_spaces_as_entities(token: Token) -> Token:
    """No-break spaces at the edges of a line of text written `&nbsp;`: parsers and mdformat
    strip them from the start and end of headings, paragraphs, cells and broken lines when
    they are literal characters."""
    children: list[Token] = []
    source = token.children or []
    for index, child in enumerate(source):
        if child.type != "text" or child.content.strip("\u00a0") == child.content:
            children.append(child)
            continue
        starts = index == 0 or source[index - 1].type in ("hardbreak", "softbreak")
        ends = index == len(source) - 1 or source[index + 1].type in ("hardbreak", "softbreak")
        text = child.content
        lead = len(text) - len(text.lstrip("\u00a0")) if starts else 0
        trail = len(text) - len(text.rstrip("\u00a0")) if ends and text.strip("\u00a0") else 0
        core = text[lead : len(text) - trail]
        children += [Token("html_inline", "", 0, content="&nbsp;" * lead)] if lead else []
        children += [Token("text", "", 0, content=core)] if core else []
        children += [Token("html_inline", "", 0, content="&nbsp;" * trail)] if trail else []
    return dataclasses.replace(token, children=children)


def _inline_markdown(nodes: tuple) -> str:
    """Inline nodes as Markdown text (a title in the header keeps its emphasis)."""
    paragraph = [Token("paragraph_open", "p", 1), Token("inline", "", 0, children=inline.to_tokens(nodes)),
                 Token("paragraph_close", "p", -1)]
    return _markdown(paragraph, {}).strip("\n")


_BLOCK_MARKS = re.compile(r'(<[a-z0-9]+) translate="no"(?: lang="en" dir="ltr")?')


def _comparable(html_text: str) -> str:
    """HTML as compared for sameness: sanitized, white space collapsed, and without the marks
    of blocks kept in English, which Markdown cannot carry (the do-not-translate comment can)."""
    return " ".join(_BLOCK_MARKS.sub(r"\1", htmlpolicy.sanitize(html_text)).split())


def _header(segmented: Segmented, page: Page, translate: Translate | None) -> str:
    """The source's header with the translated title and fields, and the English review date
    a translation reflects; every other line as written."""
    meta = segmented.document.meta
    translate = _one_line(translate or _identity)
    values = {meta.title_key: _inline_markdown(_title_nodes(segmented, translate))}
    for unit, source_field in zip(segmented.fields, meta.fields):
        values[source_field.key] = _inline_markdown(inline.from_compact(translate(unit), unit.tags))
    stamp = page.english_review_date.isoformat() if page.english_review_date else ""
    if meta.header == "yaml":
        lines = _replace_yaml_keys(list(meta.header_lines), values)
        if stamp:
            lines.append(f"english_review_date: {stamp}")
        return "---\n" + "".join(f"{line}\n" for line in lines) + "---\n"
    lines = _replace_meta_keys(list(meta.header_lines), values)
    if stamp:
        lines.append(f"English-Review-Date: {stamp}")
    return "".join(f"{line}\n" for line in lines)


def _replace_yaml_keys(lines: list[str], values: dict[str, str]) -> list[str]:
    out: list[str] = []
    skipping = False
    for line in lines:
        key = re.match(r"^([^\s#][^:]*?)\s*:(?:\s|$)", line)
        if key or (line and not line[0].isspace()):
            skipping = False
        if key and key.group(1) in values:
            value = yaml.safe_dump(values[key.group(1)], allow_unicode=True, width=10**6).removesuffix("\n...\n")
            out.append(f"{key.group(1)}: {value.strip()}")
            skipping = True
        elif not skipping:
            out.append(line)
    return out


def _replace_meta_keys(lines: list[str], values: dict[str, str]) -> list[str]:
    lowered = {key.lower(): value for key, value in values.items()}
    out: list[str] = []
    skipping = False
    for line in lines:
        key = re.match(r"^[ ]{0,3}([A-Za-z0-9_-]+):", line)
        if key:
            skipping = key.group(1).lower() in lowered
            out.append(f"{key.group(1)}: {lowered[key.group(1).lower()]}" if skipping else line)
        elif not skipping:
            out.append(line)
    return out


# ---------------------------------------------------------------- plain text


def render_text(segmented: Segmented, page: Page, translate: Translate | None = None, width: int = TEXT_WIDTH,
                tokens: list[Token] | None = None) -> str:
    """Readable plain text wrapped by display width (CJK characters count double): nested
    lists indented, quotes marked with `>`, code kept as written, tables aligned."""
    title = inline.to_text(_title_nodes(segmented, translate))
    tree = SyntaxTreeNode(tokens or localized_tokens(segmented, translate, page.sentence_separator, page.lang))
    out = [title, "=" * max(4, display_width(title)), "", *_blocks_text(tree.children, width)]
    for label, value in page.footer:
        out += wrap(f"{label}: {value}", width)
    return "\n".join(out).rstrip("\n") + "\n"


def _blocks_text(nodes: list[SyntaxTreeNode], width: int, tight: bool = False) -> list[str]:
    """Lines for a run of blocks, a blank line after each (none inside a tight list item)."""
    out: list[str] = []
    for node in nodes:
        lines = _block_text(node, width)
        if lines:
            out += lines if tight and node.type == "paragraph" else [*lines, ""]
    return out


def _block_text(node: SyntaxTreeNode, width: int) -> list[str]:
    kind = node.type
    if kind == "paragraph":
        return [line for piece in _inline_text(node).split("\n") for line in wrap(piece, width)]
    if kind == "heading":
        text = _inline_text(node)
        return [text, ("-" if node.tag in ("h1", "h2") else "~") * max(4, display_width(text))]
    if kind in ("bullet_list", "ordered_list"):
        return _list_text(node, width)
    if kind == "blockquote":
        return [f"> {line}".rstrip() for line in _trimmed(_blocks_text(node.children, max(20, width - 2)))]
    if kind in ("code_block", "fence"):
        return ["    " + line if line else "" for line in node.content.rstrip("\n").split("\n")]
    if kind == "html_block":
        text = htmlpolicy.text_of(node.content)
        return [line for piece in text.split("\n") if piece.strip() for line in wrap(piece, width)]
    if kind == "hr":
        return ["* * *"]
    if kind == "table":
        return _table_text(node)
    if kind == "footnote_block":
        out = ["* * *", ""]
        for item in node.children:
            lines = _trimmed(_blocks_text(item.children, width - 6))
            out += _hanging(f"[{item.meta['id'] + 1}] ", lines) if lines else []  # numbered as on the page
        return out
    return _blocks_text(node.children, width)


def _list_text(node: SyntaxTreeNode, width: int) -> list[str]:
    ordered = node.type == "ordered_list"
    number = int(node.attrs.get("start", 1)) if ordered else 0
    tight = all(child.hidden for item in node.children for child in item.children if child.type == "paragraph")
    out: list[str] = []
    for item in node.children:
        marker = f"{number}. " if ordered else "- "
        number += 1
        out += _hanging(marker, _trimmed(_blocks_text(item.children, max(20, width - len(marker)), tight=tight)) or [""])
        if not tight:
            out.append("")
    return _trimmed(out)


def _trimmed(lines: list[str]) -> list[str]:
    """LINES without the blank lines at their end."""
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _hanging(marker: str, lines: list[str]) -> list[str]:
    """LINES after MARKER, the lines after the first indented by its width (list items, footnotes)."""
    return [(marker + lines[0]).rstrip(), *((" " * len(marker) + line) if line else "" for line in lines[1:])]


def _table_text(node: SyntaxTreeNode) -> list[str]:
    rows = [[_inline_text(cell).replace("\n", " ") for cell in row.children]
            for section in node.children for row in section.children]
    columns = max(len(row) for row in rows)
    widths = [max(display_width(row[i]) for row in rows if i < len(row)) for i in range(columns)]
    lines = [" | ".join(cell + " " * (widths[i] - display_width(cell)) for i, cell in enumerate(row)).rstrip()
             for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return lines


def _inline_text(node: SyntaxTreeNode) -> str:
    inline_node = next((child for child in node.children if child.type == "inline"), None)
    return inline.to_text(inline.from_tokens(inline_node.token.children or [])) if inline_node else ""


def display_width(text: str) -> int:
    """Terminal columns of TEXT. ASCII needs no lookup: each printable character takes one
    column, and text with a control character falls back to its length anyway."""
    if text.isascii():
        return len(text)
    width = wcswidth(text)
    return width if width >= 0 else len(text)


_WIDE = r"\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6"
_TOKEN = re.compile(rf"[{_WIDE}]|[^ \t\n{_WIDE}]+|[ \t\n]+")  # a no-break space is no break
_NO_LINE_START = set("。，、；：？！）」』】〉》．,.;:?!)")


def wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """Greedy wrap by display width. Wide (CJK) characters may break anywhere, except that
    closing punctuation never starts a line; other text breaks at spaces."""
    lines: list[str] = []
    line, used = first, display_width(first)
    indents = (display_width(first), display_width(rest))  # a line holding only its indent is fresh
    pending_space = ""
    for token in _TOKEN.findall(unicodedata.normalize("NFC", text)):
        if not token.strip(" \t\n"):
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
