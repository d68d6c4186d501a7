"""An article with every construct medloc reads (tests/data/constructs.md, written for this
test): YAML front matter, setext heading, loose and nested lists, quotes in quotes, aligned
tables with inline markup (with and without outer pipes), indented and fenced code, an HTML
block, inline HTML, entities, hard breaks, reference links, an autolink, an image with a
title, a footnote and a rule. Its units, their lines, and its HTML, text and Markdown pages
are checked against what the article says, read by hand; then a Spanish round trip."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from l10n_helpers import catalog, medloc, translate_all
from pipeline.render import english_page, localized_page, render_html, render_markdown, render_text
from pipeline.segment import segment
from pipeline.source import parse_document, parser

DATA = Path(__file__).resolve().parent / "data"
SOURCE = (DATA / "constructs.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def segmented():
    return segment(parse_document(SOURCE.encode("utf-8"), "constructs", "source/constructs.md"))


def test_units_kinds_and_lines(segmented):
    units = [(unit.line, unit.kind, unit.msgid) for unit in segmented.units()]
    assert units[:3] == [(2, "title", "Caring for a <1>sprained</1> ankle"),
                         (4, "front matter description", "What to do at home in the first days after an ankle sprain."),
                         (10, "sentence", "Sprains heal well.")]
    expected = [
        (12, "heading", "Quick steps"),                                        # setext heading
        (15, "list item", "Rest the ankle."),                                  # loose ordered list
        (17, "list item", "Put ice on it for 20 minutes. Do this every 2 hours."),
        (20, "sentence", "Wrap the ice in a towel."),                          # second paragraph of an item
        (20, "sentence", "Never put ice on bare skin."),
        (21, "list item", "Raise your foot:"),
        (22, "list item", "above your heart"),                                 # nested bullets
        (23, "list item", "on two pillows"),
        (24, "list item", "at night"),                                         # nested twice
        (26, "sentence", "Call your provider if the pain gets worse."),        # block quote
        (26, "sentence", "Do not wait."),
        (28, "sentence", "A quote in a quote."),
        (32, "table cell", "<1>Ice</1> and rest"),
        (32, "table cell", "See <1>the guide</1>"),                            # reference link in a cell
        (33, "table cell", "Light <1/>"),
        (33, "table cell", "<1>Run</1> Walk"),
        (37, "table cell", "Less"),                                            # table without outer pipes
        (49, "sentence", "Take <1>one</1> pill\u00a0daily.<2/>"),             # inline HTML, &nbsp;, hard break
        (50, "sentence", "Café & tea are fine.<1/>"),                          # entities, backslash break
        (51, "sentence", "See <1>MedlinePlus</1> or <2/>."),
        (49, "link title", "Sprains and strains"),
        (49, "image title", "How to wrap"),
        (56, "sentence", "Ask a nurse to show you."),                          # footnote
        (56, "sentence", "It takes a minute."),
    ]
    for item in expected:
        assert item in units, item
    assert (52, "sentence", "<1>An ankle wrap</1> is shown.<2/>") in units or \
        (51, "sentence", "<1>An ankle wrap</1> is shown.<2/>") in units
    msgids = {unit.msgid for unit in segmented.units()}
    assert not any("code" in m or "HTML block" in m or "print(" in m for m in msgids)  # code and HTML blocks stay out
    assert not any("weight" in m or "ankle, sprain" in m for m in msgids)  # untranslated front matter


def test_tag_table_keeps_urls_out_of_the_catalog(segmented):
    unit = next(u for u in segmented.units() if u.msgid.startswith("See <1>MedlinePlus"))
    assert [(t.kind, t.target) for t in unit.tags] == [
        ("link", "https://medlineplus.gov/sprainsandstrains.html"), ("autolink", "https://medlineplus.gov")]
    assert "https://" not in unit.msgid
    inline_html = next(u for u in segmented.units() if u.msgid.startswith("Take"))
    assert inline_html.tags[0].raw == ("<b>", "</b>") and "HTML <b>...</b>" in inline_html.comment()


def test_english_html_is_markdown_it_rendering_of_the_source(segmented):
    html = render_html(segmented, english_page(segmented))
    body = html[html.index("</h1>") + 5 : html.index("<footer>")]
    reference = parser().render(SOURCE.split("---\n", 2)[2])
    from commonmark_normalize import normalize_html
    from pipeline.htmlpolicy import sanitize

    assert normalize_html(body) == normalize_html(sanitize(reference))
    for piece in ['<th style="text-align:center">What to do</th>', "<s>Run</s>", "<pre><code>indented code stays",
                  '<code class="language-python">print("fenced code too")', '<div class="note">', "<b>one</b>",
                  "Café &amp; tea", '<img src="wrap.png" alt="An ankle wrap" title="How to wrap">',
                  '<a href="#fn1" id="fnref1">[1]</a>', "<blockquote>\n<p>A quote in a quote.</p>"]:
        assert piece in body, piece


def test_plain_text_shows_every_construct_readably(segmented):
    text = render_text(segmented, english_page(segmented))
    for piece in [
        "1. Rest the ankle.\n\n2. Put ice on it for 20 minutes. Do this every 2 hours.\n\n"
        "   Wrap the ice in a towel. Never put ice on bare skin.\n\n3. Raise your foot:\n\n"
        "   - above your heart\n   - on two pillows\n     1. at night\n",
        "> Call your provider if the pain gets worse. Do not wait.\n>\n> > A quote in a quote.\n",
        "Day | What to do    | Notes\n----+---------------+--------------\n1   | Ice and rest  | See the guide\n",
        "    indented code stays as written\n\n    print(\"fenced code too\")\n",
        "An HTML block is published as written.",
        "Take one pill\u00a0daily.\nCafé & tea are fine.\nSee MedlinePlus <https://medlineplus.gov/sprainsandstrains.html>",
        "[1] Ask a nurse to show you. It takes a minute.",
    ]:
        assert piece in text, piece


def test_markdown_output_keeps_structure_and_front_matter(segmented):
    markdown = render_markdown(segmented, english_page(segmented))
    header, body = markdown.split("---\n", 2)[1:]
    assert header.splitlines() == ["title: Caring for a *sprained* ankle", "review_date: 2024-05-06",
                                   "description: What to do at home in the first days after an ankle sprain.",
                                   "updated_by: A. Physician, MD", "weight: 20", "tags: [ankle, sprain]"]
    assert "| :-- | :--------------: | --------------------------: |" in body
    assert "[^1]: Ask a nurse to show you." in body and "~~Run~~" in body
    from commonmark_normalize import normalize_html

    assert normalize_html(parser().render(body)) == normalize_html(parser().render(SOURCE.split("---\n", 2)[2]))


def test_arabic_page_mirrors_table_alignment(segmented):
    import datetime as dt

    html = render_html(segmented, localized_page(segmented, "ar", dt.date(2024, 6, 1), ["R"]), lambda u: u.msgid)
    assert 'dir="rtl"' in html and '<th style="text-align:right">Day</th>' in html
    assert '<td style="text-align:left">See' in html


def test_spanish_round_trip_publishes_every_construct(project_copy):
    root = project_copy
    shutil.copy(DATA / "constructs.md", root / "source" / "constructs.md")
    assert medloc(root, "extract", "constructs") == 0
    assert medloc(root, "update", "-l", "es", "constructs") == 0
    written = translate_all(root, "es", lambda msgid: "ES " + msgid, doc="constructs")
    assert len(written) == len(catalog(root, "es", "constructs"))
    assert medloc(root, "approve", "-l", "es", "constructs", "--reviewer", "Revisora de prueba", "--all") == 0
    assert medloc(root, "publish", "-l", "es", "constructs") == 0
    published = root / "reviewed" / "es"
    html = (published / "constructs.html").read_text(encoding="utf-8")
    text = (published / "constructs.txt").read_text(encoding="utf-8")
    markdown = (published / "constructs.md").read_text(encoding="utf-8")
    assert "<h1>ES Caring for a <em>sprained</em> ankle</h1>" in html
    assert '<li>ES on two pillows\n<ol>\n<li>ES at night</li>' in html
    assert '<a href="https://medlineplus.gov/sprainsandstrains.html" title="ES Sprains and strains">MedlinePlus</a>' in html
    assert '<img src="wrap.png" alt="An ankle wrap" title="ES How to wrap">' in html
    assert "<pre><code>indented code stays as written" in html  # code is never translated
    assert "   - ES above your heart" in text and "> > ES A quote in a quote." in text
    assert markdown.startswith("---\ntitle: ES Caring for a *sprained* ankle\nreview_date: 2024-05-06\n"
                               "description: ES What to do at home")
    assert "weight: 20\ntags: [ankle, sprain]\nenglish_review_date: 2024-05-06\n---\n" in markdown
    assert "| ES Day | ES What to do" in markdown and "[^1]: ES Ask a nurse to show you. ES It takes a minute." in markdown


def test_committed_english_markdown_renders_to_the_source_html():
    """reviewed/en/vertebroplasty.md (what `medloc publish` wrote) shows the page the source shows."""
    from commonmark_normalize import normalize_html

    root = DATA.parent.parent
    source = (root / "source" / "vertebroplasty.md").read_text(encoding="utf-8")
    published = (root / "reviewed" / "en" / "vertebroplasty.md").read_text(encoding="utf-8")
    header = source.split("\n\n", 1)[0]
    assert published.startswith(header + "\n\n")
    published_body, source_body = published.split("\n\n", 1)[1], source.split("\n\n", 1)[1]
    assert normalize_html(parser().render(published_body)) == normalize_html(parser().render(source_body))
