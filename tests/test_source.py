"""Reading articles: headers (Key: value and YAML front matter), the token stream with its
source lines, raw HTML vetting, and errors that name file and line."""

import datetime as dt
from pathlib import Path

import pytest

from pipeline.errors import MedlocError
from pipeline.source import parse_document, read_document

ROOT = Path(__file__).resolve().parent.parent


def parse(text: str, fields=("title", "description", "summary")):
    return parse_document(text.encode(), "doc", "source/doc.md", fields)


def error_of(text: str | bytes) -> MedlocError:
    data = text if isinstance(text, bytes) else text.encode()
    with pytest.raises(MedlocError) as caught:
        parse_document(data, "doc", "source/doc.md")
    return caught.value


def blocks(document):
    """(token type, first source line) of each block that opens at the top level."""
    return [(t.type, t.map[0] + 1) for t in document.tokens if t.level == 0 and t.nesting >= 0 and t.map]


def test_seed_metadata():
    meta = read_document(ROOT / "source" / "vertebroplasty.md").meta
    assert meta.title == "Vertebroplasty"
    assert meta.review_date == dt.date(2015, 7, 13)
    assert meta.updated_by.startswith("C. Benjamin Ma, MD, Professor, Chief, Sports Medicine and Shoulder Service")
    assert meta.also_reviewed_by == "David Zieve, MD, MHA, Isla Ogilvie, PhD, and the A.D.A.M. Editorial team."


def test_token_lines_are_source_lines_after_the_header():
    document = parse("Title: T\nReview-Date: 2020-01-02\n\nIntro\ncontinued.\n\nHead\n====\n\n1. one\n2. two\n   more\n")
    assert blocks(document) == [("paragraph_open", 4), ("heading_open", 7), ("ordered_list_open", 10)]
    inlines = [t.content for t in document.tokens if t.type == "inline"]
    assert inlines == ["Intro\ncontinued.", "Head", "one", "two\nmore"]


def test_a_wrapped_line_starting_with_a_number_continues_the_paragraph():
    """Only "1." starts a list right under a paragraph line (CommonMark's rule)."""
    document = parse("Title: T\nReview-Date: 2020-01-02\n\nSee Smith et al.\n2015. Results were good.\n")
    assert blocks(document) == [("paragraph_open", 4)]


def test_yaml_front_matter_is_read_with_its_lines_and_passes_other_keys_through():
    document = parse("---\ntitle: \"Knee *pain*\"\nreview_date: 2021-03-04\ndescription: >\n  What helps\n"
                     "  at home.\nweight: 10\ntags: [knee, pain]\n---\n\nBody text.\n")
    meta = document.meta
    assert (meta.title, meta.review_date, meta.title_line, meta.header) == ("Knee *pain*", dt.date(2021, 3, 4), 2, "yaml")
    assert [(f.key, f.value, f.line) for f in meta.fields] == [("description", "What helps at home.", 4)]
    assert meta.header_lines[-2:] == ("weight: 10", "tags: [knee, pain]")
    assert blocks(document) == [("paragraph_open", 11)]


def test_front_matter_fields_are_translatable_only_when_listed():
    text = "---\ntitle: T\nreview-date: 2021-03-04\ndescription: D\nsummary: S\n---\nBody.\n"
    assert [f.key for f in parse(text, ("title", "summary")).meta.fields] == ["summary"]


@pytest.mark.parametrize("text, line, words", [
    ("Review-Date: 2015-07-13\n\nBody.\n", 1, "missing required metadata `Title:`"),
    ("Title: T\n\nBody.\n", 1, "missing required metadata `Review-Date:`"),
    ("Title: T\nReview-Date: 7/13/2015\n\nBody.\n", 2, "not a date written YYYY-MM-DD"),
    ("Title: T\nReview-Date: 2015-02-30\n\nBody.\n", 2, "not a date"),
    ("Title: T\nTitle: U\nReview-Date: 2015-01-01\n\nBody.\n", 2, "given twice"),
    ("Title: T\nReviewed: 2015-01-01\nReview-Date: 2015-01-01\n\nBody.\n", 2, "unknown metadata key 'reviewed'"),
    ("Just text\n\nBody.\n", 1, "expected a metadata header line"),
    ("Title: T\nReview-Date: 2015-01-01\n\n<!-- only a comment -->\n", 3, "no translatable content"),
    ("Title: T\nReview-Date: 2015-01-01\n\n```\ncode only\n```\n", 3, "no translatable content"),
    ("---\ntitle: T\nreview-date: 2015-01-01\n", 1, "never closed"),
    ("---\ntitle: T\nreview-date: [2015\n---\nBody.\n", 3, "not valid YAML"),
    ("---\ntitle: T\n---\nBody.\n", 1, "missing required metadata `Review-Date:`"),
    ("---\ntitle: T\nreview-date: 2015-01-01\ndescription: [a, b]\n---\nBody.\n", 4, "listed as translatable"),
    ("---\n- a list\n---\nBody.\n", 2, "must be a YAML mapping"),
    ("Title: T\nReview-Date: 2015-01-01\n\nText <b onclick=\"x()\">bold</b>.\n", 4, "event handler onclick="),
    ("Title: T\nReview-Date: 2015-01-01\n\nA.\n\n<div>\n<script>alert(1)</script>\n</div>\n", 6, "<script>"),
    ("Title: T\nReview-Date: 2015-01-01\n\n[x](javascript:alert(1)) and <a href=\"javascript:x\">y</a>\n", 4,
     "javascript: URL"),
    ("Title: <img src=x onerror=alert(1)>\nReview-Date: 2015-01-01\n\nBody.\n", 1, "event handler onerror="),
    ("Title: T\nReview-Date: 2015-01-01\n\n<!-- medloc: do-not-translate -->\n", 4, "not followed by a block"),
])
def test_bad_articles_name_the_line(text, line, words):
    error = error_of(text)
    assert error.line == line
    assert words in error.message
    assert str(error).startswith(f"source/doc.md:{line}: error: ")


def test_raw_html_on_a_later_line_of_a_paragraph_names_that_line():
    assert error_of("Title: T\nReview-Date: 2015-01-01\n\nFirst line\nsecond <iframe src=x></iframe>\n").line == 5


def test_safe_raw_html_is_accepted():
    document = parse("Title: T\nReview-Date: 2015-01-01\n\n<div class=\"note\">\n\nCall <b>911</b>.\n\n</div>\n")
    assert [t.type for t in document.tokens if t.level == 0] == ["html_block", "paragraph_open", "paragraph_close",
                                                                 "html_block"]


def test_non_utf8_and_binary_sources_are_refused_with_their_line():
    assert error_of(b"Title: T\nReview-Date: 2015-01-01\n\nCaf\xe9\n").line == 4
    assert "binary" in error_of(b"Title: T\n\x00").message


def test_do_not_translate_marker_applies_to_the_next_block_only():
    document = parse("Title: T\nReview-Date: 2020-01-02\n\nA.\n\n<!-- medloc: do-not-translate -->\n- Ref 1\n"
                     "  - nested\n\nB.\n")
    kept = [t.content for i, t in enumerate(document.tokens) if t.type == "inline" and i not in document.untranslated]
    assert kept == ["A.", "B."]
    assert {document.tokens[i].type for i in document.untranslated} >= {"bullet_list_open", "bullet_list_close"}
