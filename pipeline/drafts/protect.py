"""Keep what machine translation must not touch out of its reach, and check it came back intact.

Before a unit goes to an engine, URLs, e-mail addresses, numbers with units and
do-not-translate glossary terms are replaced by self-closing placeholders in the same
form as the unit's own inline tags (`<N/>`, numbered after them), which Apertium and the
online engines pass through. After translation every placeholder and every inline tag
must be back exactly as often as it went out; otherwise the draft is discarded, because
a garbled tag or URL in a medical text is worse than an empty unit.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from pipeline.glossary import Term
from pipeline.inline import TAG_RE, MarkupError, Tag, from_compact, tag_numbers

_URL = r"(?:https?://|www\.)[^\s<>]*[^\s<>.,;:!?)\]'\"]"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_UNITS = (
    "mg/dL", "mmol/L", "mcg", "µg", "mg", "kg", "g", "mL", "ml", "dL", "L", "cc", "IU", "mEq",
    "mm", "cm", "km", "m", "ft", "lb", "lbs", "oz", "mmHg", "bpm", "°C", "°F", "%",
    "kcal", "cal", "Gy", "mSv", "Hz",
)
_NUMBER_UNIT = (
    r"(?<![\w.])\d+(?:[.,]\d+)*\s?(?:"
    + "|".join(re.escape(unit) for unit in sorted(_UNITS, key=len, reverse=True))
    + r")(?![\w/])"
)


@dataclass(frozen=True)
class Protected:
    """A unit as sent to an engine: TEXT with placeholders; SLOTS maps each placeholder back."""

    text: str
    slots: dict[str, str]
    tags: tuple[str, ...]  # the unit's own inline tags as written in the English text


_TAG_SPLIT = re.compile(r"(<\d+>|</\d+>|<\d+/>)")
_GAP = re.compile(r"[ \t]{2,}")
_DAMAGED_TAG = re.compile(r"<\s*/?\s*\d+\s*/?\s*>")


# What each kind of protected text cannot do without: a unit lacking it skips that part of the search.
_NEEDS = (
    (_URL, re.compile(r"https?://|www\.", re.IGNORECASE)),
    (_EMAIL, re.compile("@")),
    (_NUMBER_UNIT, re.compile(r"\d")),
)


@functools.lru_cache(maxsize=256)
def _protected_pattern(kinds: tuple[str, ...], terms: tuple[str, ...]) -> re.Pattern | None:
    """The patterns KINDS and TERMS as one (compiled once per combination); None if there is nothing to find."""
    patterns = [*kinds, *(rf"(?<!\w){re.escape(term)}(?!\w)" for term in terms)]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None


def protect(msgid: str, keep_terms: list[Term]) -> Protected:
    """Replace URLs, e-mail addresses, numbers with units and KEEP_TERMS by placeholders."""
    tags = tuple(tag_numbers(msgid))
    next_number = max((int(tag.strip("</>")) for tag in tags), default=0) + 1
    combined = _protected_pattern(tuple(kind for kind, needed in _NEEDS if needed.search(msgid)),
                                  tuple(term.english for term in sorted(keep_terms, key=lambda t: -len(t.english))))
    if combined is None:
        return Protected(msgid, {}, tags)
    slots: dict[str, str] = {}
    parts: list[str] = []
    # Inline tags are never split: only the text between them is searched (the split puts them at odd places).
    for index, piece in enumerate(_TAG_SPLIT.split(msgid)):
        if index % 2:
            parts.append(piece)
            continue
        last = 0
        for match in combined.finditer(piece):
            placeholder = f"<{next_number}/>"
            next_number += 1
            slots[placeholder] = match.group(0)
            parts.append(piece[last : match.start()])
            parts.append(placeholder)
            last = match.end()
        parts.append(piece[last:])
    return Protected("".join(parts), slots, tags)


def restore(translated: str, protected: Protected, unit_tags: tuple[Tag, ...] | None = None) -> tuple[str, list[str]]:
    """Put the protected text back. Returns (draft, problems); any problem means: discard it."""
    problems: list[str] = []
    text = _GAP.sub(" ", translated).strip()  # Apertium leaves a gap where it drops "you"
    found = Counter(tag_numbers(text))
    for placeholder, original in protected.slots.items():
        count = found.pop(placeholder, 0)
        if count != 1:
            problems.append(f"{original!r} came back {count} times instead of once")
    expected = Counter(protected.tags)
    if found != expected:
        lost = sorted((expected - found).elements())
        added = sorted((found - expected).elements())
        detail = ", ".join(filter(None, [f"lost {' '.join(lost)}" if lost else "", f"added {' '.join(added)}" if added else ""]))
        problems.append(f"inline tags changed ({detail})")
    if _DAMAGED_TAG.search(TAG_RE.sub("", text)):
        problems.append("a tag came back with spaces or other damage inside it")
    if problems:
        return "", problems
    for placeholder, original in protected.slots.items():
        text = text.replace(placeholder, original, 1)
    if unit_tags is not None:
        try:
            from_compact(text, unit_tags)
        except MarkupError as exc:
            return "", [f"inline tags broken: {exc}"]
    if not text:
        return "", ["the engine returned nothing"]
    return text, []
