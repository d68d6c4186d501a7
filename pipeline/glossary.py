"""The project glossary of one locale: `locales/LANG/glossary.tsv`.

A plain tab-separated file translators edit and review in diffs:

    # english<TAB>target<TAB>note
    aspirin	aspirina	drug (generic)
    warfarin	=	drug name: keep as is
    mg	=	unit

`target` is the required translation of the English term; `=` means do-not-translate: the
term must appear unchanged in the translation. Matching is case-insensitive on whole words.
Lines starting with `#` and blank lines are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import MedlocError

KEEP = "="
_SPACED_LETTER = r"[0-9A-Za-z\u00c0-\u024f\u0370-\u052f\u0600-\u06ff\u1e00-\u1eff]"


@dataclass(frozen=True)
class Term:
    english: str
    target: str  # the required translation, or the English term itself when keep is True
    keep: bool
    note: str = ""
    line: int = 0

    def pattern(self, text: str) -> re.Pattern:
        """Whole-word match in scripts written with spaces; anywhere in text written without
        (a Chinese term sits between other Chinese characters, with no word boundary)."""
        return re.compile(rf"(?<!{_SPACED_LETTER}){re.escape(text)}(?!{_SPACED_LETTER})", re.IGNORECASE)

    def in_english(self, msgid: str) -> bool:
        return bool(self.pattern(self.english).search(msgid))

    def in_translation(self, msgstr: str) -> bool:
        return bool(self.pattern(self.target).search(msgstr))


def glossary_path(locales_dir: Path, locale: str) -> Path:
    return locales_dir / locale / "glossary.tsv"


def load_glossary(path: Path, shown: str | None = None) -> list[Term]:
    """Terms of one glossary file (empty if there is none); bad lines are errors naming the line."""
    shown = shown or str(path)
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise MedlocError("glossary is not valid UTF-8", shown) from None
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        fields = raw.split("\t")
        if len(fields) < 2 or not fields[0].strip() or not fields[1].strip():
            raise MedlocError("expected `english<TAB>target[<TAB>note]` (target `=` keeps the term as is)", shown, number)
        english, target = fields[0].strip(), fields[1].strip()
        key = english.lower()
        if key in seen:
            raise MedlocError(f"term {english!r} is listed twice (first on line {seen[key]})", shown, number)
        seen[key] = number
        keep = target == KEEP
        terms.append(Term(english, english if keep else target, keep, "\t".join(fields[2:]).strip(), number))
    return terms


def terms_in(terms: list[Term], msgid: str) -> list[Term]:
    """The glossary terms that occur in an English unit."""
    return [term for term in terms if term.in_english(msgid)]
