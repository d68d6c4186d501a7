"""The glossary file format and term matching across scripts."""

import pytest

from pipeline.errors import MedlocError
from pipeline.glossary import load_glossary, terms_in


def write(tmp_path, text):
    path = tmp_path / "glossary.tsv"
    path.write_text(text, encoding="utf-8")
    return path


def test_required_and_keep_terms(tmp_path):
    terms = load_glossary(write(tmp_path, "# english\ttarget\tnote\naspirin\taspirina\tdrug\nwarfarin\t=\tkeep\n"))
    assert [(t.english, t.target, t.keep, t.line) for t in terms] == [
        ("aspirin", "aspirina", False, 2), ("warfarin", "warfarin", True, 3)]
    assert [t.english for t in terms_in(terms, "Stop taking Aspirin and warfarin.")] == ["aspirin", "warfarin"]
    assert terms_in(terms, "aspirins are not listed") == []  # whole words only


def test_terms_match_inside_text_written_without_spaces(tmp_path):
    terms = load_glossary(write(tmp_path, "aspirin\t阿司匹林\nvertebroplasty\t椎体成形术\n"))
    assert terms[0].in_translation("停止服用阿司匹林和布洛芬。")
    assert terms[1].in_translation("椎体成形术通常是门诊手术。")
    assert not terms[0].in_translation("停止服用布洛芬。")


@pytest.mark.parametrize("text, line", [("aspirin\n", 1), ("a\tb\n\nc\t\n", 3), ("a\tb\nA\tc\n", 2)])
def test_bad_lines_name_their_line(tmp_path, text, line):
    with pytest.raises(MedlocError) as caught:
        load_glossary(write(tmp_path, text))
    assert caught.value.line == line


def test_missing_glossary_is_empty(tmp_path):
    assert load_glossary(tmp_path / "none.tsv") == []
