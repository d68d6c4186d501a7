"""Reading articles: metadata header, block structure, and errors that name file and line."""

import datetime as dt
from pathlib import Path

import pytest

from pipeline.errors import MedlocError
from pipeline.source import parse_document, read_document

ROOT = Path(__file__).resolve().parent.parent


def parse(text: str):
    return parse_document(text.encode(), "doc", "source/doc.md")


def error_of(text: str | bytes) -> MedlocError:
    data = text if isinstance(text, bytes) else text.encode()
    with pytest.raises(MedlocError) as caught:
        parse_document(data, "doc", "source/doc.md")
    return caught.value


def test_seed_metadata():
    meta = read_document(ROOT / "source" / "vertebroplasty.md").meta
    assert meta.title == "Vertebroplasty"
    assert meta.review_date == dt.date(2015, 7, 13)
    assert meta.updated_by.startswith("C. Benjamin Ma, MD, Professor, Chief, Sports Medicine and Shoulder Service")
    assert meta.also_reviewed_by == "David Zieve, MD, MHA, Isla Ogilvie, PhD, and the A.D.A.M. Editorial team."


def test_blocks_keep_kinds_and_lines():
    document = parse("Title: T\nReview-Date: 2020-01-02\n\nIntro\ncontinued.\n\n## Head ##\n\n1. one\n2. two\n   more\n")
    assert [(b.kind, b.line) for b in document.blocks] == [("paragraph", 4), ("heading", 7), ("ordered_list", 9)]
    assert document.blocks[0].parts[0].text == "Intro continued."
    assert document.blocks[1].parts[0].text == "Head"
    assert [p.text for p in document.blocks[2].parts] == ["one", "two more"]


def test_a_wrapped_line_starting_with_a_number_continues_the_paragraph():
    """Only "1." starts a list right under a paragraph line (CommonMark's rule): a citation year
    wrapped to the start of a line must not turn the rest of the sentence into a list item."""
    document = parse("Title: T\nReview-Date: 2020-01-02\n\nSee Smith et al.\n2015. Results were good.\n\n"
                     "Steps:\n1. one\n2. two\n")
    assert [(b.kind, b.line) for b in document.blocks] == [("paragraph", 4), ("paragraph", 7), ("ordered_list", 8)]
    assert document.blocks[0].parts[0].text == "See Smith et al. 2015. Results were good."
    assert [p.text for p in document.blocks[2].parts] == ["one", "two"]


@pytest.mark.parametrize("text, line, words", [
    ("Review-Date: 2015-07-13\n\nBody.\n", 1, "missing required metadata `Title:`"),
    ("Title: T\n\nBody.\n", 1, "missing required metadata `Review-Date:`"),
    ("Title: T\nReview-Date: 7/13/2015\n\nBody.\n", 2, "not a date written YYYY-MM-DD"),
    ("Title: T\nReview-Date: 2015-02-30\n\nBody.\n", 2, "not a date"),
    ("Title: T\nTitle: U\nReview-Date: 2015-01-01\n\nBody.\n", 2, "given twice"),
    ("Title: T\nReviewed: 2015-01-01\nReview-Date: 2015-01-01\n\nBody.\n", 2, "unknown metadata key 'reviewed'"),
    ("Just text\n\nBody.\n", 1, "expected a metadata header line"),
    ("Title: T\nReview-Date: 2015-01-01\n\n<!-- only a comment -->\n", 3, "no translatable content"),
    ("Title: T\nReview-Date: 2015-01-01\n\n- a\n\n- b\n", 5, "blank line between list items"),
    ("Title: T\nReview-Date: 2015-01-01\n\n- a\n  - nested\n", 5, "nested lists"),
    ("Title: T\nReview-Date: 2015-01-01\n\n```\ncode\n```\n", 4, "code fences"),
    ("Title: T\nReview-Date: 2015-01-01\n\n| a | b |\n|---|---|\n| 1 |\n", 6, "table row has 1 cells"),
])
def test_bad_articles_name_the_line(text, line, words):
    error = error_of(text)
    assert error.line == line
    assert words in error.message
    assert str(error).startswith(f"source/doc.md:{line}: error: ")


def test_non_utf8_and_binary_sources_are_refused_with_their_line():
    assert error_of(b"Title: T\nReview-Date: 2015-01-01\n\nCaf\xe9\n").line == 4
    assert "binary" in error_of(b"Title: T\n\x00").message


def test_do_not_translate_marker_applies_to_the_next_block_only():
    document = parse("Title: T\nReview-Date: 2020-01-02\n\nA.\n\n<!-- medloc: do-not-translate -->\n- Ref 1\n\nB.\n")
    assert [b.translate for b in document.blocks] == [True, False, True]
