"""Translation memory: what translators already wrote for the same English in other catalogs.

Only human translations count (entries that are translated and not fuzzy); a machine
draft is not memory. An identical English unit gives a `memory 100% FILE` draft; the
closest unit at or above the configured similarity gives a `memory NN% FILE` draft with a
warning quoting the English it translated, so the translator sees what to adjust.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import NamedTuple

from pipeline.catalog import read_catalog
from pipeline.config import Config
from pipeline.inline import MarkupError, Tag, from_compact
from pipeline.state import DerivedStore, fingerprint

_INDEX_VERSION = "translation memory index 2"  # what a catalog contributes: translated, not fuzzy, active


@dataclass(frozen=True)
class Match:
    msgstr: str
    score: float
    source: str  # catalog path as shown, e.g. locales/es/other.po
    english: str  # the English the translation was written for

    @property
    def origin(self) -> str:
        return f"memory {int(self.score * 100)}% {self.source}"

    def warnings(self) -> list[str]:
        if self.score >= 1:
            return []
        return [f"memory {int(self.score * 100)}%: written for other English; compare"]


class _Entry(NamedTuple):  # a tuple: a large memory holds hundreds of thousands
    msgid: str
    msgstr: str
    source: str


class TranslationMemory:
    def __init__(self, entries: list[_Entry], threshold: float):
        self.entries = entries
        self.threshold = threshold
        self.exact: dict[str, list[_Entry]] = {}
        for entry in entries:
            self.exact.setdefault(entry.msgid, []).append(entry)

    @classmethod
    def load(cls, config: Config, locale: str, threshold: float) -> TranslationMemory:
        """Every human translation in locales/LOCALE/*.po, in file name order.

        What each catalog holds is remembered in `build/cache/memory.sqlite3` under the
        catalog's path and fingerprint, so only catalogs changed since the last load are read
        again; the index is read in rows, never as one document the size of the corpus.
        """
        store = DerivedStore(config.build / "cache" / "memory.sqlite3", _INDEX_VERSION)
        paths = sorted((config.locales_dir / locale).glob("*.po"))
        shown = [config.relative(path) for path in paths]
        keys = [store.key(f"{name}\0{fingerprint(path)}") for name, path in zip(shown, paths)]
        known = store.get_many(keys)
        entries = []
        for path, name, key in zip(paths, shown, keys):
            pairs = known.pop(key, None)
            if pairs is None:
                pairs = [[e.msgid, e.msgstr] for e in read_catalog(path, name)
                         if e.msgstr and "fuzzy" not in e.flags and not e.obsolete and not e.msgid_plural]
                store.add(key, pairs)
            entries += [_Entry(msgid, msgstr, name) for msgid, msgstr in pairs]
        store.flush()
        return cls(entries, threshold)

    def lookup(self, msgid: str, tags: tuple[Tag, ...], exclude: str) -> Match | None:
        """The best reusable translation of MSGID from a catalog other than EXCLUDE."""
        for entry in self.exact.get(msgid, []):
            if entry.source != exclude:
                return Match(entry.msgstr, 1.0, entry.source, entry.msgid)
        return self._closest(msgid, tags, exclude)

    def _closest(self, msgid: str, tags: tuple[Tag, ...], exclude: str) -> Match | None:
        if self.threshold > 1:
            return None
        best: Match | None = None
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(msgid)
        for entry in self.entries:
            if entry.source == exclude or entry.msgid == msgid:
                continue
            matcher.set_seq1(entry.msgid)
            floor = best.score if best else self.threshold
            if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                continue
            score = matcher.ratio()
            if score < floor or (best and score == best.score):
                continue
            try:
                from_compact(entry.msgstr, tags)  # its tags must fit this unit
            except MarkupError:
                continue
            best = Match(entry.msgstr, score, entry.source, entry.msgid)
        return best

