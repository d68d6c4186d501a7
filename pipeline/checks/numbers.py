"""Numbers, doses, durations and percentages: the values must survive translation exactly.

Numbers are compared by value, so a translation may use its locale's digits (Arabic-Indic
٢٤, full-width ２４) and separators (2,5 for 2.5; 1.000 or 1 000 for 1,000).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from decimal import Decimal, InvalidOperation

from babel.numbers import get_decimal_symbol, get_group_symbol

from pipeline.checks.base import ERROR, Context, unit_check
from pipeline.checks.markup import REFERENCES, URL

_NUMBER = re.compile(r"\d+(?:[.,\u066b\u066c\u00a0\u202f\u2009'’]\d+)*")
_SPACES = "\u00a0\u202f\u2009"
_ANY_DIGIT = re.compile(r"\d")
_WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twice": 2, "once": 1}
# Unit symbols that are the same in every language; a glossary entry can map one to a local form.
_UNITS = ("mcg", "µg", "μg", "mg", "kg", "g", "mL", "ml", "dL", "L", "mmol/L", "mg/dL", "mmHg", "IU", "mEq",
          "cm", "mm", "°C", "°F", "%")
_SAME_UNIT = {"μg": "µg", "ml": "mL", "%": "%", "％": "%", "٪": "%"}
_DOSE_UNIT = "|".join(re.escape(u) for u in sorted({*_UNITS, "％", "٪"}, key=len, reverse=True))
_DOSE = re.compile(rf"({_NUMBER.pattern})\s?({_DOSE_UNIT})(?![^\W\d_])")


def ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def _value(token: str, decimal: str, groups: str) -> str | None:
    """TOKEN's value when DECIMAL marks decimals and any of GROUPS separates thousands, else None."""
    if token.count(decimal) > 1:
        return None
    whole, _, fraction = token.partition(decimal)
    chunks = _splitter(groups).split(whole) if groups else [whole]
    if len(chunks) > 1 and (not 1 <= len(chunks[0]) <= 3 or any(len(c) != 3 for c in chunks[1:])):
        return None
    if not all(c.isdigit() for c in chunks) or (fraction and not fraction.isdigit()):
        return None
    try:
        return format(Decimal("".join(chunks) + (f".{fraction}" if fraction else "")).normalize(), "f")
    except InvalidOperation:
        return None


@functools.lru_cache(maxsize=None)
def _splitter(groups: str) -> re.Pattern:
    return re.compile(f"[{re.escape(groups)}]")


@functools.lru_cache(maxsize=None)
def _rules(locale: str) -> list[tuple[str, str]]:
    """(decimal sign, group signs) a translation may use: its locale's, English, Arabic."""
    local = (get_decimal_symbol(locale), get_group_symbol(locale) + _SPACES)
    return [local, (".", "," + _SPACES), ("\u066b", "\u066c" + _SPACES)]


def readings(token: str, rules: list[tuple[str, str]]) -> list[set[str]]:
    """The possible values of a number as written; an unreadable token counts as its digit runs."""
    token = ascii_digits(token)
    values = {v for decimal, groups in rules if (v := _value(token, decimal, groups)) is not None}
    if values:
        return [values]
    return [{str(int(part))} for part in re.findall(r"\d+", token)]


def numbers_in(text: str, rules: list[tuple[str, str]]) -> list[set[str]]:
    if not _ANY_DIGIT.search(text):
        return []  # most units: nothing to read
    for identifier in (URL, *REFERENCES.values()):  # checked, as a whole, by `urls` and `references`
        text = identifier.sub(" ", text)
    return [values for match in _NUMBER.finditer(text) for values in readings(match.group(0), rules)]


@functools.lru_cache(maxsize=8192)  # the same English is checked once per locale
def _english(text: str) -> tuple[str, ...]:
    """English numbers: `.` decimal sign, `,` thousands separator; one value each."""
    return tuple(next(iter(v)) for v in numbers_in(text, [(".", ",")]))


@unit_check("numbers", ERROR)
def numbers(ctx: Context):
    """Every number of the English (doses, durations, ages, percentages) must appear with the same value."""
    targets = numbers_in(ctx.translation, _rules(ctx.locale))
    missing = []
    for value in _english(ctx.english):
        match = next((t for t in targets if value in t), None)
        if match is None:
            missing.append(value)
        else:
            targets.remove(match)
    # A number the English spells out ("twice") may be written in digits; read words only when needed.
    spelled = Counter(str(_WORDS[w]) for w in re.findall(r"[a-z]+", ctx.english.lower()) if w in _WORDS) \
        if targets else Counter()
    extra = []
    for values in targets:
        word = next((v for v in values if spelled[v]), None)
        if word is not None:
            spelled[word] -= 1
        else:
            extra.append(min(values))
    if missing or extra:
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
            [f"not in the English: {', '.join(extra)}"] if extra else [])
        yield (f"numbers differ from the English ({'; '.join(parts)}); keep every number exactly, as digits "
               f"(your language's digits and decimal sign are fine, e.g. 2,5 for 2.5)")


def _unit(symbol: str) -> str:
    return _SAME_UNIT.get(symbol, symbol)


@unit_check("dose-units", ERROR)
def dose_units(ctx: Context):
    """A dose or measurement keeps its unit: 5 mg must not become 5 g, 50% must stay a percentage."""
    rules = _rules(ctx.locale)
    local = {t.english: t.target for t in ctx.glossary if not t.keep}
    found = [(readings(m.group(1), rules)[0], _unit(m.group(2))) for m in _DOSE.finditer(ctx.translation)]
    for match in _DOSE.finditer(ctx.english):
        value, symbol = _english(match.group(1))[0], _unit(match.group(2))
        hit = next((f for f in found if value in f[0] and f[1] == symbol), None)
        if hit is not None:
            found.remove(hit)
        elif symbol in local and local[symbol] in ctx.translation:
            continue
        else:
            yield (f"{match.group(0)!r} needs the same value and unit in the translation ({value} {symbol}); "
                   f"doses and measurements keep their unit symbols (add a glossary entry for a local symbol)")
