"""Property tests (hypothesis): round trips that must hold for every input, not just our examples.

1. Any generated article (nested and loose lists, quotes, code, tables, inline markup and
   HTML, breaks) renders through units and an identity catalog to markdown-it's own HTML
   of its source, and its Markdown output renders to that HTML again: segmentation loses
   and invents nothing.
2. After any edit of the English, `update_catalog` keeps the translation of every unit
   whose English still exists, no translated text disappears from the catalog, and
   updating an up-to-date catalog again changes nothing.
3. Any catalog medloc writes reads back and renders to the same bytes.
"""

from __future__ import annotations

import re
import string
import textwrap
from pathlib import Path

import polib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.catalog import WRAP_WIDTH, read_catalog, render_catalog, update_catalog
from commonmark_normalize import normalize_html
from pipeline.render import english_page, localized_page, render_body_html, render_html, render_markdown, render_text
from pipeline.segment import segment
from pipeline.source import parse_document, parser

PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------- 1. Markdown documents

WORD = st.text(string.ascii_lowercase, min_size=1, max_size=9)
NAME = st.text(string.ascii_letters, min_size=2, max_size=9).map(str.capitalize)
URL = st.sampled_from(["https://medlineplus.gov/ency/", "kyphoplasty.html", "mailto:info@example.org",
                       "../es/page.html#risks", "http://example.org/a_b?x=1&y=2"])


_WRAPPED = {"em": "*{}*", "code": "`{}`", "strike": "~~{}~~", "html": "<b>{}</b>"}


@st.composite
def phrase(draw) -> str:
    """A few words, some of them marked up the way articles do."""
    words = draw(st.lists(WORD, min_size=1, max_size=6))
    out = []
    for word in words:
        style = draw(st.sampled_from(["plain"] * 6 + ["em", "strong", "link", "code", "number", "tricky", "strike",
                                                       "html", "image", "entity"]))
        if style in _WRAPPED:
            out.append(_WRAPPED[style].format(word))
        elif style == "strong":
            out.append(f"**{word} {draw(WORD)}**")
        elif style == "link":
            out.append(f"[{word}]({draw(URL)})")
        elif style == "image":
            out.append(f"![{word} {draw(WORD)}]({draw(URL)})")
        elif style == "entity":
            out.append(draw(st.sampled_from(["&amp;", "&eacute;", "&nbsp;", "&#233;", "\\*", "a\\_b"])))
        elif style == "number":
            out.append(f"{draw(st.integers(1, 500))} mg")
        elif style == "tricky":  # what sentence splitters and escaping trip over
            out.append(draw(st.sampled_from(["Dr. Ma", "e.g. rest", "2.5 mg", "U.S. adults", "i.e.", "(see below)",
                                             "a < b & c > d", "\"quoted\"", "it's", "50%", "x-ray", "Smith et al. 2015"])))
        else:
            out.append(word)
    return " ".join(out)


@st.composite
def sentence(draw) -> str:
    return f"{draw(NAME)} {draw(phrase())}{draw(st.sampled_from(['.', '.', '?', '!']))}"


@st.composite
def block(draw, kind: str, depth: int = 0) -> str:
    if kind == "heading":
        return f"{'#' * draw(st.integers(2, 4))} {draw(NAME)} {draw(phrase())}"
    if kind == "paragraph":  # wrapped over several source lines, as editors do, maybe with hard breaks
        text = " ".join(draw(st.lists(sentence(), min_size=1, max_size=4)))
        lines = textwrap.wrap(text, draw(st.integers(30, 90)), break_long_words=False, break_on_hyphens=False)
        ends = [draw(st.sampled_from(["", "", "", "  ", "\\"])) for _ in lines[:-1]]
        return "\n".join(line + end for line, end in zip(lines, [*ends, ""]))
    if kind in ("bullets", "numbers"):
        items = draw(st.lists(phrase(), min_size=1, max_size=4))
        loose = draw(st.booleans())
        out = []
        for n, item in enumerate(items, 1):
            marker = "- " if kind == "bullets" else f"{n}. "
            out.append(marker + item)
            if depth < 2 and draw(st.integers(0, 4)) == 0:  # a nested list or a second paragraph
                inner = draw(block(draw(st.sampled_from(["bullets", "numbers", "paragraph"])), depth + 1))
                out.append(textwrap.indent(inner, " " * len(marker)) if not loose else
                           "\n" + textwrap.indent(inner, " " * len(marker)))
            if loose:
                out.append("")
        return "\n".join(out).rstrip("\n")
    if kind == "quote":
        inner = draw(block(draw(st.sampled_from(["paragraph", "bullets"])), depth + 1))
        return textwrap.indent(inner, "> ", lambda line: True)
    if kind == "code":
        code = "\n".join(draw(st.lists(st.text("abc *_<>&[]`#", min_size=1, max_size=20), min_size=1, max_size=3)))
        fence = "~~~" if "`" in code else "```"
        return f"{fence}\n{code}\n{fence}" if draw(st.booleans()) else textwrap.indent(code, "    ")
    columns = draw(st.integers(2, 3))
    rows = draw(st.lists(st.lists(phrase(), min_size=columns, max_size=columns), min_size=2, max_size=4))
    outer = draw(st.booleans())
    lines = [" | ".join(rows[0]), "|".join(["---"] * columns), *(" | ".join(row) for row in rows[1:])]
    return "\n".join(f"| {line} |" if outer else line for line in lines)


KINDS = st.sampled_from(["heading", "paragraph", "paragraph", "bullets", "numbers", "table", "quote", "code"])


@st.composite
def article(draw) -> bytes:
    header = [f"Title: {draw(NAME)} {draw(phrase())}", "Review-Date: 2015-07-13",
              f"Updated-By: {draw(NAME)} {draw(NAME)}, MD"]
    kinds = draw(st.lists(KINDS, min_size=1, max_size=8))
    if all(kind == "code" for kind in kinds):
        kinds.append("paragraph")
    body = [draw(block(kind)) for kind in kinds]
    return ("\n".join(header) + "\n\n" + "\n\n".join(body) + "\n").encode("utf-8")


def _alt_spaces(html: str) -> str:
    """An image's alt text with its white space collapsed, as units hold it (markdown-it keeps
    a line break of the source there; a browser shows a space)."""
    return re.sub(r'alt="[^"]*"', lambda match: " ".join(match.group(0).split()), html)


def identity(unit) -> str:
    return unit.msgid


@PROPERTY
@given(article())
def test_identity_catalog_renders_the_source_unchanged(data):
    segmented = segment(parse_document(data, "generated", "source/generated.md"))
    body = data.decode("utf-8").split("\n\n", 1)[1]
    translations = {unit.msgid: unit.msgid for unit in segmented.units()}
    html = render_body_html(segmented, lambda unit: translations[unit.msgid])
    assert _alt_spaces(normalize_html(html)) == _alt_spaces(normalize_html(parser().render(body)))
    page = english_page(segmented)
    markdown = render_markdown(segmented, page, identity)
    assert normalize_html(parser().render(markdown.split("\n\n", 1)[1])) == normalize_html(html)
    assert render_text(segmented, page, identity) == render_text(segmented, page)
    spanish = localized_page(segmented, "es", segmented.document.meta.review_date, ["A. Reviewer"])
    render_html(segmented, spanish, identity)


# ---------------------------------------------------------------- 2. update never loses a translation

SENTENCES = st.lists(st.builds(lambda *w: " ".join(w).capitalize() + ".", WORD, WORD, WORD, WORD),
                     min_size=1, max_size=15, unique=True)


def template_of(msgids: list[str]) -> polib.POFile:
    pot = polib.POFile(wrapwidth=WRAP_WIDTH)
    pot.metadata = {"Content-Type": "text/plain; charset=UTF-8", "PO-Revision-Date": ""}
    for number, msgid in enumerate(msgids, start=1):
        pot.append(polib.POEntry(msgid=msgid, msgstr="", occurrences=[("source/doc.md", str(number))]))
    return pot


def reread(po: polib.POFile, tmp: Path) -> polib.POFile:
    """Through the file, as the next run sees it."""
    path = tmp / "doc.po"
    path.write_text(render_catalog(po), encoding="utf-8")
    return read_catalog(path)


@st.composite
def edit(draw, msgids: list[str]) -> list[str]:
    """Delete, reword, insert and move units at random."""
    out = []
    for msgid in msgids:
        action = draw(st.sampled_from(["keep", "keep", "keep", "delete", "reword", "insert"]))
        if action == "reword":
            out.append(msgid[:-1] + " " + draw(WORD) + ".")
        elif action == "insert":
            out += [msgid, draw(WORD).capitalize() + " " + draw(WORD) + "."]
        elif action == "keep":
            out.append(msgid)
    if out and draw(st.booleans()):
        out.insert(draw(st.integers(0, len(out) - 1)), out.pop())
    return list(dict.fromkeys(out))


@PROPERTY
@given(st.data(), SENTENCES)
def test_update_after_english_edits_keeps_every_translation(tmp_path_factory, data, msgids):
    tmp = tmp_path_factory.mktemp("update")
    translated = data.draw(st.sets(st.sampled_from(msgids)))
    old = update_catalog(template_of(msgids), None, "es")
    for entry in old:
        if entry.msgid in translated:
            entry.msgstr = f"traducción de «{entry.msgid}»"
    old = reread(old, tmp)
    edited = data.draw(edit(msgids))
    new = reread(update_catalog(template_of(edited), old, "es"), tmp)
    active = {entry.msgid: entry for entry in new if not entry.obsolete}
    assert list(active) == edited
    for msgid in translated & set(edited):
        assert active[msgid].msgstr == f"traducción de «{msgid}»"
        assert "fuzzy" not in active[msgid].flags
    everywhere = {entry.msgstr for entry in new} | {entry.msgstr for entry in new.obsolete_entries()}
    for msgid in translated:
        assert f"traducción de «{msgid}»" in everywhere, "a translator's text vanished"
    again = update_catalog(template_of(edited), new, "es")  # a rerun (no state cache, or after a crash)
    assert render_catalog(again) == render_catalog(new), "update of an up-to-date catalog changed it"
    back = reread(update_catalog(template_of(msgids), new, "es"), tmp)  # the English is put back
    for entry in back:
        if entry.msgid in translated and not entry.obsolete:
            assert entry.msgstr  # every unit translated before has a translation (exact or fuzzy) again


# ---------------------------------------------------------------- 3. catalogs round-trip byte for byte

PO_TEXT = st.lists(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
    | st.sampled_from(['"', "\\", "\n", "\t", "<1>", "</1>", "<2/>", "\\n", '\\"', "  ", "é", "中文", "عربي"]),
    max_size=8,
).map("".join)


@st.composite
def po_entry(draw) -> polib.POEntry:
    msgid = draw(PO_TEXT.filter(bool))
    entry = polib.POEntry(
        msgid=msgid,
        msgstr=draw(PO_TEXT),
        msgctxt=draw(st.none() | PO_TEXT.filter(bool)),
        comment=draw(st.sampled_from(["", "Sentence in section: Risks", "Title\n<1>...</1> = emphasis"])),
        tcomment=draw(st.sampled_from(["", "medloc-draft: apertium eng-spa; sha=0123456789ab", "checked by R."])),
        occurrences=draw(st.lists(st.tuples(st.just("source/doc.md"), st.integers(1, 999).map(str)), max_size=3)),
        flags=draw(st.sampled_from([[], ["fuzzy"], ["fuzzy", "c-format"]])),
    )
    if "fuzzy" in entry.flags and draw(st.booleans()):
        entry.previous_msgid = draw(PO_TEXT.filter(bool))
    return entry


@PROPERTY
@given(st.lists(po_entry(), max_size=8), st.lists(po_entry(), max_size=3))
def test_catalog_reads_back_to_the_same_bytes(tmp_path_factory, entries, obsolete):
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    po.header = "Spanish translation of source/doc.md.\nGenerated by medloc."
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "es",
                   "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    seen = set()
    for entry in obsolete:  # as update_catalog writes them: polib does not read `#~|` lines back
        entry.obsolete, entry.previous_msgid = True, None
    for entry in entries + obsolete:
        if (entry.msgctxt, entry.msgid) not in seen:  # a catalog has one entry per context and msgid
            seen.add((entry.msgctxt, entry.msgid))
            po.append(entry)
    text = render_catalog(po)
    path = tmp_path_factory.mktemp("po") / "doc.po"
    path.write_text(text, encoding="utf-8")
    assert render_catalog(read_catalog(path)) == text
