"""Readability formulas: values recomputed by hand from counted words, syllables and sentences."""

from __future__ import annotations

import math

import pytest

from pipeline.config import load_config
from pipeline.errors import MedlocError
from pipeline.readability import DEFAULTS, long_sentences, measure, sentences, settings, spanish_syllables


def score(result, formula):
    return next(s for s in result.scores if s.formula == formula)


def test_flesch_kincaid_and_smog_from_hand_counts():
    # "The cat sat on the mat." 6 words of one syllable, 1 sentence.
    # "Hospital medicine is necessary." 4 words: hos-pi-tal 3, med-i-cine 3, is 1, nec-es-sar-y 4.
    result = measure(["The cat sat on the mat.", "Hospital medicine is necessary."], "en", DEFAULTS)
    assert (result.words, result.sentences) == (10, 2)
    syllables, polysyllables = 6 + 3 + 3 + 1 + 4, 3
    fk = 0.39 * (10 / 2) + 11.8 * (syllables / 10) - 15.59
    smog = 1.0430 * math.sqrt(polysyllables * 30 / 2) + 3.1291
    assert score(result, "Flesch-Kincaid grade").value == round(fk, 1)
    assert score(result, "SMOG grade").value == round(smog, 1)


def test_targets_are_configurable_and_reported(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.medloc.readability]\nmax_grade = 4\n", encoding="utf-8")
    targets = settings(load_config(tmp_path))
    result = measure(["Hospital medicine is necessary."], "en", targets)
    fk = score(result, "Flesch-Kincaid grade")
    assert fk.target == "<= 4" and not fk.meets
    easy = measure(["The cat sat on the mat."], "en", targets)
    assert all(s.meets for s in easy.scores)


def test_bad_readability_setting_is_an_error(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.medloc.readability]\nmax_grade = "eight"\n', encoding="utf-8")
    with pytest.raises(MedlocError, match="max_grade"):
        settings(load_config(tmp_path))


@pytest.mark.parametrize("word, expected", [
    ("casa", 2), ("aéreo", 4), ("país", 2), ("ciudad", 2), ("guiso", 2), ("que", 1),
    ("leer", 2), ("muy", 1), ("y", 1), ("río", 2), ("anestesia", 4), ("procedimiento", 5),
])
def test_spanish_syllables(word, expected):
    assert spanish_syllables(word) == expected


def test_spanish_formulas_and_inflesz_band():
    # "La casa es muy bonita." 5 words: la 1, ca-sa 2, es 1, muy 1, bo-ni-ta 3 = 8 syllables, 1 sentence.
    result = measure(["La casa es muy bonita."], "es", DEFAULTS)
    assert (result.words, result.sentences) == (5, 1)
    fh = 206.84 - 0.60 * (100 * 8 / 5) - 1.02 * (100 * 1 / 5)
    sp = 206.835 - 62.3 * (8 / 5) - 5 / 1
    assert score(result, "Fernández-Huerta").value == round(fh, 1)
    inflesz = score(result, "Szigriszt-Pazos (INFLESZ)")
    assert inflesz.value == round(sp, 1)
    assert inflesz.band == "muy fácil" and inflesz.meets  # above 80 on the INFLESZ scale


@pytest.mark.parametrize("locale", ["zh_Hans", "ar", "vi"])
def test_other_languages_get_no_number(locale):
    result = measure(["一个句子。"], locale, DEFAULTS)
    assert result.scores == ()
    assert "no readability formula applies" in result.describe()


def test_tags_are_not_words_and_units_without_stop_are_sentences():
    assert sentences(["Similar to <1>kyphoplasty</1>. Done.", "Bleeding"]) == ["Similar to kyphoplasty.", "Done.", "Bleeding"]


def test_long_sentences_listed_with_their_own_score():
    short = "You may go home."
    long = " ".join(["word"] * 25) + "."
    found = long_sentences([short + " " + long], "en", DEFAULTS)
    assert [text for text, _ in found] == [long]
    assert found[0][1].words == 25
