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

from pipeline.catalog import human_translations, may_match, read_catalog, translations_index, translations_key
from pipeline.config import Config
from pipeline.inline import MarkupError, Tag, from_compact
from pipeline.state import fingerprint


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
        self.msgids = [entry.msgid for entry in entries]
        self.exact: dict[str, list[_Entry]] = {}
        for entry in entries:
            self.exact.setdefault(entry.msgid, []).append(entry)

    @classmethod
    def load(cls, config: Config, locale: str, threshold: float) -> TranslationMemory:
        """Every human translation in locales/LOCALE/*.po, in file name order.

        What each catalog holds is looked up in `catalog.translations_index` under the catalog's
        path and fingerprint, so only catalogs changed since medloc last wrote or read them are
        parsed; the index is read in rows, never as one document the size of the corpus.
        """
        index = translations_index(config.build)
        paths = sorted((config.locales_dir / locale).glob("*.po"))
        keys = [translations_key(index, path, fingerprint(path)) for path in paths]  # taken before any read
        known = index.get_many(keys)
        entries = []
        for path, key in zip(paths, keys):
            name = config.relative(path)
            pairs = known.pop(key, None)
            if pairs is None:
                pairs = human_translations(read_catalog(path, name))
                index.add(key, pairs)
            entries += [_Entry(msgid, msgstr, name) for msgid, msgstr in pairs]
        index.flush()
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
        matcher = None
        for index in may_match(msgid, self.msgids, self.threshold):
            entry = self.entries[index]
            if entry.source == exclude or entry.msgid == msgid:
                continue
            matcher = matcher or difflib.SequenceMatcher(None, "", msgid, autojunk=False)  # indexes MSGID once
            matcher.set_seq1(entry.msgid)
            floor = best.score if best else self.threshold
            score = matcher.ratio()
            if score < floor or (best and score == best.score):
                continue
            try:
                from_compact(entry.msgstr, tags)  # its tags must fit this unit
            except MarkupError:
                continue
            best = Match(entry.msgstr, score, entry.source, entry.msgid)
        return best

