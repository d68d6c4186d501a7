"""What articles written elsewhere (MkDocs, Hugo, Jekyll, GitHub READMEs) showed: each case
here failed, or published something other than the source said, before it was fixed."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.errors import MedlocError
from pipeline.render import english_page, localized_page, render_html, render_markdown, render_text
from pipeline.segment import segment
from pipeline.source import parse_document


def article(body: str, header: str = "---\ntitle: T\nreview_date: 2024-01-01\n---\n") -> object:
    return segment(parse_document((header + body).encode("utf-8"), "doc", "source/doc.md"))


def units(segmented) -> list[tuple[int, str]]:
    return [(unit.line, unit.msgid) for unit in segmented.units()[1:]]


def test_a_unit_needs_a_letter():
    segmented = article("*   **`permalink`**\n\n    Generate links.\n\n| Setting | Default |\n| --- | --- |\n"
                        "| `toc` | 1 |\n\n<a id=\"anchor\"></a>\n\nSay hi. 👋\n\n!!! Note\n")
    assert units(segmented) == [(7, "Generate links."), (9, "Setting"), (9, "Default"), (15, "Say hi. 👋"),
                                (17, "<1/> Note")]
    html = render_html(segmented, localized_page(segmented, "es", dt.date(2024, 2, 1), ["R"]), lambda u: "ES " + u.msgid)
    assert "<td><code>toc</code></td>" in html and "<td>1</td>" in html  # published as written


def test_sentence_lines_follow_the_words_not_word_counts():
    segmented = article("Run `pip install --upgrade --user x` or `pipx install x` to get it.\nThen run it. It works.\n")
    assert units(segmented) == [(5, "Run <1/> or <2/> to get it."), (6, "Then run it."), (6, "It works.")]


def test_an_html_br_ends_a_line_like_a_hard_break():
    segmented = article("Take one tablet in the morning.<br>\nTake two tablets at night.\n")
    assert units(segmented) == [(5, "Take one tablet in the morning.<1/>"), (6, "Take two tablets at night.")]
    assert "morning.\nTake two" in render_text(segmented, english_page(segmented))


@pytest.mark.parametrize("text, compact", [
    ("{{< note >}} Take the tablets. {{< /note >}}", "<1/> Take the tablets. <2/>"),
    ("Use {% raw %}this{% endraw %} form.", "Use <1/>this<2/> form."),
    ("> [!WARNING]\n> Do not drive.", "<1/> Do not drive."),
])
def test_site_generator_syntax_is_kept_out_of_reach(text, compact):
    assert units(article(text + "\n"))[0][1] == compact


def test_english_html_block_is_marked_on_translated_pages_and_warned_about(capsys):
    segmented = article('<div class="note">\n<p>Call 911 now.</p>\n</div>\n\nA sentence.\n')
    assert segmented.english_html == (0,)
    spanish = render_html(segmented, localized_page(segmented, "es", dt.date(2024, 2, 1), ["R"]), lambda u: u.msgid)
    assert '<div lang="en" dir="ltr">\n<div class="note">\n<p>Call 911 now.</p>\n</div>\n</div>' in spanish
    english = render_html(segmented, english_page(segmented))
    assert 'lang="en">\n<div class="note">' not in english


@pytest.mark.parametrize("prefix", ["~~5 mg~~ ", "[^note] ", "    ", "a\n| x | y |\n|---|---|\n", "a | b "])
def test_markdown_output_escapes_what_a_translation_types(prefix):
    segmented = article("Take it[^note].\n\n## Dose\n\n[^note]: With food.\n")
    page = localized_page(segmented, "es", dt.date(2024, 2, 1), ["R"])
    markdown = render_markdown(segmented, page, lambda unit: prefix + unit.msgid)
    html = render_html(segmented, page, lambda unit: prefix + unit.msgid)
    assert "<del>" not in html and "<s>" not in html and "<table>" not in html
    assert "~~" not in markdown.replace("\\~\\~", "") and "| x |" not in markdown


def test_front_matter_edge_cases():
    assert article("Body.\n", "---\ntitle: T\nreview_date: 2024-01-01\ndescription:\n---\n").fields == ()
    meta = article("Body.\n", "Title: T\nReview_Date: 2024-01-01\n\n").document.meta
    assert meta.review_date == dt.date(2024, 1, 1)
    linked = article("Body.\n", "---\ntitle: T\nreviewDate: 2024-01-01\nlinkTitle: Short\n---\n")
    assert [unit.msgid for unit in linked.fields] == ["Short"]


def test_footnotes_in_plain_text_are_numbered_as_on_the_page():
    segmented = article("A claim.[^long]\n\n[^long]: First paragraph.\n\n    Second paragraph.\n")
    text = render_text(segmented, english_page(segmented))
    assert "A claim.[1]" in text
    assert "[1] First paragraph.\n\n    Second paragraph." in text


@pytest.mark.parametrize("attributes", ['<p align="center">x</p>', "<details open><summary>More</summary></details>",
                                        '<a name="top"></a>'])
def test_harmless_html_attributes_are_accepted(attributes):
    article(attributes + "\n\nBody.\n")


def test_raw_html_problem_names_the_line_of_the_inline_tag():
    with pytest.raises(MedlocError) as caught:
        article("First line\nsecond <span onclick=\"x()\">y</span>\n")
    assert caught.value.line == 6


def test_english_blocks_on_an_arabic_page_read_left_to_right():
    segmented = article('<div class="note">\n<p>Call 911 now.</p>\n</div>\n\nA sentence.\n\n'
                        "<!-- medloc: do-not-translate -->\n- Smith J. A reference.\n")
    html = render_html(segmented, localized_page(segmented, "ar", dt.date(2024, 2, 1), ["R"]), lambda u: u.msgid)
    assert '<div lang="en" dir="ltr">\n<div class="note">' in html
    assert '<ul translate="no" lang="en" dir="ltr">' in html
    assert '<ul translate="no">' in render_html(segmented, english_page(segmented))


def test_struck_text_reads_as_struck_in_plain_text():
    segmented = article("~~Run~~ Walk to the car.\n")
    assert "~~Run~~ Walk to the car." in render_text(segmented, english_page(segmented))
