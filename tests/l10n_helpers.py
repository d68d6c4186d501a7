"""Helpers for tests that translate, approve and publish inside a temporary project copy.

Translations are written by the tests themselves, in temporary copies, never committed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import polib

from pipeline.cli import main

DOC = "vertebroplasty"


def catalog(root: Path, locale: str, doc: str = DOC) -> polib.POFile:
    return polib.pofile(str(root / "locales" / locale / f"{doc}.po"), wrapwidth=78)


def translate_all(root: Path, locale: str, make: Callable[[str], str], doc: str = DOC) -> dict[str, str]:
    """Give every unit the translation MAKE(msgid), not fuzzy. Returns msgid -> msgstr as written."""
    po = catalog(root, locale, doc)
    written = {}
    for entry in po:
        entry.msgstr = make(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        written[entry.msgid] = entry.msgstr
    po.save()
    return written


def prefixed(prefix: str, special: dict[str, str] | None = None) -> Callable[[str], str]:
    """Translations PREFIX + English (tags, numbers and URLs intact), or SPECIAL[msgid]."""
    return lambda msgid: (special or {}).get(msgid, prefix + msgid)


def edit_entry(root: Path, locale: str, msgid: str, change: Callable[[polib.POEntry], None], doc: str = DOC) -> None:
    po = catalog(root, locale, doc)
    change(po.find(msgid))
    po.save()


def medloc(root: Path, *args: str) -> int:
    return main(["-C", str(root), *args])
