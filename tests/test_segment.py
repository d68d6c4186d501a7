"""Segmentation: which units translators get, and sentence splitting on health text."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.segment import segment, split_sentences, unit_id
from pipeline.source import parse_document

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("paragraph, expected", [
    ("Smith et al. reported less pain. Then stop.", ["Smith et al. reported less pain.", "Then stop."]),
    ("Anselmetti GC, Muto M, et al. Percutaneous vertebroplasty. Radiol Clin North Am. 2010;48(3):641-9.",
     ["Anselmetti GC, Muto M, et al. Percutaneous vertebroplasty.", "Radiol Clin North Am. 2010;48(3):641-9."]),
    ("Take aspirin, e.g. 81 mg, i.e. a low dose. Ask Dr. Lee.", ["Take aspirin, e.g. 81 mg, i.e. a low dose.", "Ask Dr. Lee."]),
    ("Compare surgery vs. rest. It is common in the U.S. and Canada.",
     ["Compare surgery vs. rest.", "It is common in the U.S. and Canada."]),
    ("Take 2.5 mg at 8 a.m. daily. Rest for 0.5 hours.", ["Take 2.5 mg at 8 a.m. daily.", "Rest for 0.5 hours."]),
    ("In: Canale ST, Beaty JH, eds. Campbell's Operative Orthopaedics. 12th ed. Philadelphia, PA: Elsevier; 2013.",
     ["In: Canale ST, Beaty JH, eds. Campbell's Operative Orthopaedics.", "12th ed. Philadelphia, PA: Elsevier; 2013."]),
    ("You may feel pain. (This is normal.) Call if it gets worse.",
     ["You may feel pain.", "(This is normal.)", "Call if it gets worse."]),
    ("Is it safe? Yes! Most people recover.", ["Is it safe?", "Yes!", "Most people recover."]),
    ("This is like <1>kyphoplasty. It uses a balloon.</1> Then rest.",
     ["This is like <1>kyphoplasty. It uses a balloon.</1>", "Then rest."]),
])
def test_sentence_splitting_of_tricky_health_text(paragraph, expected):
    assert list(split_sentences(paragraph)) == expected


def test_split_loses_no_character():
    text = "A common cause is osteoporosis. Your provider (Dr. Ma) may recommend it; e.g. for 2 months or more."
    assert " ".join(split_sentences(text)) == text


def doc(body: str):
    return parse_document(f"Title: T\nReview-Date: 2020-01-02\n\n{body}".encode(), "t", "source/t.md")


def test_units_are_title_headings_list_items_cells_and_sentences():
    segmented = segment(doc(
        "## Risks\n\nIt is safe. Problems include:\n\n- Bleeding. Rarely more.\n- Infection\n\n"
        "| Drug | Dose |\n|---|---|\n| Aspirin | 81 mg |\n"
    ))
    kinds = [(u.kind, u.msgid) for u in segmented.units()]
    assert kinds == [
        ("title", "T"), ("heading", "Risks"), ("sentence", "It is safe."), ("sentence", "Problems include:"),
        ("list item", "Bleeding. Rarely more."), ("list item", "Infection"),
        ("table cell", "Drug"), ("table cell", "Dose"), ("table cell", "Aspirin"), ("table cell", "81 mg"),
    ]


def test_units_carry_section_line_and_kind_for_translators():
    units = segment(doc("Intro here.\n\n## Risks\n\nBleeding can happen.\n")).units()
    risk = units[-1]
    assert (risk.section, risk.line, risk.kind) == ("Risks", 8, "sentence")
    assert risk.comment() == "Sentence in section: Risks"
    assert units[1].section == ""


def test_each_sentence_points_to_the_line_it_starts_on():
    units = segment(doc("First sentence here. Second\nsentence runs on. Third\nsentence.\n")).units()
    assert [(u.msgid, u.line) for u in units[1:]] == [
        ("First sentence here.", 4), ("Second sentence runs on.", 4), ("Third sentence.", 5)]


def test_each_sentence_numbers_its_own_tags_from_one():
    units = segment(doc("See [a](u1). Then see [b](u2) and *c*.\n")).units()
    assert [u.msgid for u in units[1:]] == ["See <1>a</1>.", "Then see <1>b</1> and <2>c</2>."]
    assert units[2].tags[0].target == "u2"
    assert "<1>...</1> = link to u2" in units[2].comment()


def test_do_not_translate_block_gives_no_units():
    units = segment(doc("Text.\n\n<!-- medloc: do-not-translate -->\n- Smith J. Title. 2010.\n")).units()
    assert [u.msgid for u in units] == ["T", "Text."]


def test_unit_id_is_a_digest_of_the_english_text():
    assert unit_id("Bleeding") == unit_id("Bleeding") != unit_id("Bleeding.")
    assert len(unit_id("x")) == 12


def test_seed_article_units():
    from pipeline.source import read_document
    segmented = segment(read_document(ROOT / "source" / "vertebroplasty.md"))
    msgids = [u.msgid for u in segmented.units()]
    assert msgids[0] == "Vertebroplasty"
    assert "This procedure is similar to <1>kyphoplasty</1>." in msgids
    assert "Allergic reactions to medicines" in msgids
    assert not any("PMID" in m or "Anselmetti" in m for m in msgids)  # references are do-not-translate
    assert "References" in msgids  # ...but their heading is translated


WORDS = ["Dr.", "e.g.", "i.e.", "U.S.", "a.m.", "3.5", "mg.", "Take", "the", "pill", "now.", "Why?", "Stop!", "  ",
         "\n", "(see", "[1].", "et", "al.", "<1>link</1>", "<2/>", "\"Yes.\"", "No.", "...", "2.", "Fig.", "vs.", "\u00a0",
         "St.", "Mary's", "10", "p.m.", "Call", "911."]


def _stock_and_ours(text: str):
    import pysbd

    from pipeline.segment import _Segmenter

    return (pysbd.Segmenter(language="en", clean=False).segment(text),
            _Segmenter(language="en", clean=False).segment(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30).map(" ".join))
def test_faster_sentence_location_gives_pysbds_own_sentences(text):
    stock, ours = _stock_and_ours(text)
    assert ours == stock


def test_faster_sentence_location_on_the_seed_article():
    paragraphs = [b for b in (ROOT / "source" / "vertebroplasty.md").read_text(encoding="utf-8").split("\n\n") if b.strip()]
    assert len(paragraphs) > 10
    for paragraph in paragraphs:
        stock, ours = _stock_and_ours(paragraph)
        assert ours == stock
