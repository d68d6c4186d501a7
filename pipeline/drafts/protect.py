"""Keep what machine translation must not touch out of its reach, and check it came back intact.

Before a unit goes to an engine, URLs, e-mail addresses, numbers with units and
do-not-translate glossary terms are replaced by self-closing placeholders in the same
form as the unit's own inline tags (`<N/>`, numbered after them), which Apertium and the
online engines pass through. After translation every placeholder and every inline tag
must be back exactly as often as it went out; otherwise the draft is discarded, because
a garbled tag or URL in a medical text is worse than an empty unit.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.glossary import Term
from pipeline.inline import MarkupError, Tag, from_compact, tag_numbers

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


def protect(msgid: str, keep_terms: list[Term]) -> Protected:
    """Replace URLs, e-mail addresses, numbers with units and KEEP_TERMS by placeholders."""
    tags = tuple(tag_numbers(msgid))
    numbers = [int(re.sub(r"\D", "", tag)) for tag in tags]
    next_number = max(numbers, default=0) + 1
    patterns = [_URL, _EMAIL, _NUMBER_UNIT]
    patterns += [rf"(?<!\w){re.escape(term.english)}(?!\w)" for term in sorted(keep_terms, key=lambda t: -len(t.english))]
    combined = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    slots: dict[str, str] = {}
    parts: list[str] = []
    # Inline tags are never split: only the text between them is searched.
    for piece in re.split(r"(<\d+>|</\d+>|<\d+/>)", msgid):
        if re.fullmatch(r"<\d+>|</\d+>|<\d+/>", piece):
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
    text = re.sub(r"[ \t]{2,}", " ", translated).strip()  # Apertium leaves a gap where it drops "you"
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
    if re.search(r"<\s*/?\s*\d+\s*/?\s*>", re.sub(r"<\d+>|</\d+>|<\d+/>", "", text)):
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
