"""Machine-readable notes medloc keeps in a catalog entry's translator comments.

Translator comments (`# ...`) survive Poedit, Weblate and msgmerge, and translators see
them, so medloc records there, one per line:

    medloc-draft: apertium eng-spa 0.8.1; sha=3f2a9c0d1b7e
    medloc-draft: memory 92% locales/es/other.po; sha=...
    medloc-warning: glossary: "aspirin" should be translated "aspirina"
    medloc-ignore: doubled-word -- "que que" is correct here (reviewed by A. Ruiz)

`medloc-draft` names where a draft came from and the digest of the draft text. While the
entry is fuzzy it is an unreviewed machine draft; once a translator clears fuzzy it is an
accepted draft ("sha" still matching) or an edited one (text changed). `medloc-ignore`
suppresses one named QA check for this unit, with the reason a reviewer can read.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import polib

DRAFT = "medloc-draft:"
WARNING = "medloc-warning:"
IGNORE = "medloc-ignore:"
_DRAFT_LINE = re.compile(r"^medloc-draft:\s*(?P<origin>.*?);\s*sha=(?P<sha>[0-9a-f]{12})\s*$")
_IGNORE_LINE = re.compile(r"^medloc-ignore:\s*(?P<check>[a-z0-9-]+)\s*(?:--\s*(?P<reason>.*))?$")


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class DraftMarker:
    origin: str  # e.g. "apertium eng-spa 0.8.1" or "memory 92% locales/es/other.po"
    sha: str  # digest of the draft text as written

    def line(self) -> str:
        return f"{DRAFT} {self.origin}; sha={self.sha}"


def _lines(entry: polib.POEntry) -> list[str]:
    return entry.tcomment.split("\n") if entry.tcomment else []


def _set_lines(entry: polib.POEntry, lines: list[str]) -> None:
    entry.tcomment = "\n".join(lines)


def draft_marker(entry: polib.POEntry) -> DraftMarker | None:
    for line in _lines(entry):
        match = _DRAFT_LINE.match(line)
        if match:
            return DraftMarker(match.group("origin"), match.group("sha"))
    return None


def mark_draft(entry: polib.POEntry, origin: str, warnings: list[str] = ()) -> None:
    """Record that ENTRY's msgstr is a machine draft from ORIGIN; mark it fuzzy."""
    kept = [line for line in _lines(entry) if not line.startswith((DRAFT, WARNING))]
    marks = [DraftMarker(origin, text_digest(entry.msgstr)).line(), *(f"{WARNING} {w}" for w in warnings)]
    _set_lines(entry, kept + marks)
    if "fuzzy" not in entry.flags:
        entry.flags.append("fuzzy")


def warnings(entry: polib.POEntry) -> list[str]:
    return [line[len(WARNING):].strip() for line in _lines(entry) if line.startswith(WARNING)]


def suppressions(entry: polib.POEntry) -> dict[str, str]:
    """Checks suppressed for this unit -> the reason given."""
    out = {}
    for line in _lines(entry):
        match = _IGNORE_LINE.match(line)
        if match:
            out[match.group("check")] = (match.group("reason") or "").strip()
    return out


def entry_state(entry: polib.POEntry) -> str:
    """One of: untranslated, machine-draft, fuzzy, accepted-draft, translated.

    machine-draft: fuzzy with a draft marker (nobody has looked at it).
    fuzzy: a human translation whose English changed, or marked for rework.
    accepted-draft: fuzzy cleared by a translator, text still exactly the machine draft.
    translated: a human translation, or a draft a translator edited.
    """
    if not entry.msgstr:
        return "untranslated"
    marker = draft_marker(entry)
    if "fuzzy" in entry.flags:
        if marker and marker.sha == text_digest(entry.msgstr) and not entry.previous_msgid:
            return "machine-draft"
        return "fuzzy"
    if marker and marker.sha == text_digest(entry.msgstr):
        return "accepted-draft"
    return "translated"
