"""Machine drafts: fill every empty unit of a catalog with the best draft available, marked for review.

For each empty unit, in order: an identical English unit a translator already translated
in another catalog of the locale (translation memory), a close one at or above
`memory_threshold`, else the locale's engine (`[tool.medloc.engines]`, or `--engine`).
Engine answers are cached on disk, so drafting again makes no engine call. Units a person
translated or edited, fuzzy or not, are never touched: only an empty msgstr is filled.

Every draft is fuzzy and carries `medloc-draft: ORIGIN; sha=...` (see pipeline.markers),
plus `medloc-warning: glossary: ...` when a required glossary term is missing. A draft
whose inline tags, URLs, numbers with units or do-not-translate terms did not survive is
discarded and reported, never written. A catalog is re-read right before writing and
drafts go only into units still empty then, so a translator's concurrent edit is kept.
"""

from __future__ import annotations

import multiprocessing
import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable

import polib

from pipeline.catalog import catalog_bytes, edit_catalog, parse_catalog, render_catalog
from pipeline.config import section
from pipeline.drafts import apertium
from pipeline.drafts.cache import DraftCache
from pipeline.drafts.engine import Engine, EngineError, EngineUnavailable, batches
from pipeline.drafts.memory import TranslationMemory
from pipeline.drafts.progress import Progress
from pipeline.drafts.protect import protect, restore
from pipeline.errors import MedlocError
from pipeline.fsutil import write_if_changed
from pipeline.glossary import Term, glossary_path, load_glossary, terms_in
from pipeline.inline import MarkupError, Tag, from_compact
from pipeline.markers import mark_draft
from pipeline.project import PARALLEL_MIN_STEPS, Project, Step
from pipeline.segment import unit_id


DEFAULTS = {
    "cache": "build/cache/drafts.sqlite3",  # relative to the project root
    "timeout": 30.0,  # seconds per engine request (or Apertium process)
    "retries": 3,  # retries of a request after 429, 5xx, connection errors and timeouts
    "backoff": 1.0,  # seconds before the first retry; doubles each time
    "batch_units": 50,  # units per engine request
    "memory_threshold": 0.9,  # similarity for close translation-memory matches; above 1 turns them off
    "libre_url": "",  # LibreTranslate server, e.g. "http://localhost:5000/"; empty: the public one
    "deepl_free": True,  # DeepL free API (api-free.deepl.com) rather than Pro
    "microsoft_region": "",
    "apertium_modes": {},  # locale -> Apertium mode, when the default eng-ISO3 is not right
}

ONLINE = ("google", "deepl", "microsoft", "libre", "mymemory")  # the keys of online.SPECS


def _online(name: str, locale: str, settings: dict) -> Engine:
    """Imported on first use: deep-translator and requests cost a tenth of a second at start-up."""
    from pipeline.drafts import online

    return online.create(name, locale, settings)


ENGINES: dict[str, Callable[[str, dict], Engine]] = {
    "apertium": apertium.create,
    **{name: partial(_online, name) for name in ONLINE},
}
NO_ENGINE = ("none", "memory-only")  # none: leave units empty; memory-only: translation memory only


@dataclass(frozen=True)
class Draft:
    text: str
    origin: str
    warnings: list[str]


@dataclass
class DraftReport:
    written: list[tuple[Path, bool]] = field(default_factory=list)
    drafted: dict[str, int] = field(default_factory=dict)  # origin (engine, or "memory") -> units
    failed: list[str] = field(default_factory=list)  # "catalog: unit id "English...": reason"
    notes: list[str] = field(default_factory=list)  # engines that could not run, conflicts
    engine_calls: int = 0

    def merge(self, other: DraftReport) -> None:
        self.written += other.written
        for origin, count in other.drafted.items():
            self.drafted[origin] = self.drafted.get(origin, 0) + count
        self.failed += other.failed
        self.notes += other.notes
        self.engine_calls += other.engine_calls

    def count(self, origin: str) -> None:
        key = "memory" if origin.startswith("memory ") else origin
        self.drafted[key] = self.drafted.get(key, 0) + 1

    def lines(self, limit: int = 20) -> list[str]:
        """What to tell the user: notes, undrafted units (the first LIMIT), totals."""
        out = [f"  note: {note}" for note in self.notes]
        out += [f"  not drafted: {line}" for line in self.failed[:limit]]
        if len(self.failed) > limit:
            out.append(f"  not drafted: ... and {len(self.failed) - limit} more unit(s)")
        origins = ", ".join(f"{origin}: {count}" for origin, count in sorted(self.drafted.items()))
        out.append(f"  drafted {sum(self.drafted.values())} unit(s){f' ({origins})' if origins else ''}, "
                   f"{len(self.failed)} not drafted, {self.engine_calls} engine call(s)")
        return out


def engine_names() -> list[str]:
    return [*ENGINES, *NO_ENGINE]


def clear_cache(project: Project) -> int:
    settings = section(project.config, "drafts", DEFAULTS)
    cache = DraftCache(project.config.root / settings["cache"])
    try:
        return cache.clear()
    finally:
        cache.close()


def draft(project: Project, docs: list[str], locales: list[str], engine_override: str | None = None,
          progress: Progress | None = None) -> DraftReport:
    """Draft the empty units of each catalog of DOCS x LOCALES; see the module docstring."""
    return draft_catalogs(project, [(doc, locale) for doc in docs for locale in locales], engine_override, progress)


def draft_catalogs(project: Project, catalogs: list[tuple[str, str]], engine_override: str | None = None,
                   progress: Progress | None = None) -> DraftReport:
    """Draft the catalogs given as (document, locale) pairs, locale by locale.

    A locale's translation memory and engine live in one process; with several jobs
    (`--jobs`), locales are drafted side by side in worker processes. Drafts depend only on
    their own locale, so the result is the same as a serial run.
    """
    if engine_override is not None and engine_override not in engine_names():
        raise MedlocError(f"unknown engine {engine_override!r}; engines: {', '.join(engine_names())}")
    by_locale: dict[str, list[str]] = {}
    for doc, locale in catalogs:
        by_locale.setdefault(locale, []).append(doc)
    steps = [Step(f"draft:{locale}", "", locale, tuple(str(project.config.catalog_path(locale, doc)) for doc in docs), ())
             for locale, docs in by_locale.items()]
    work = partial(_draft_locale_step, engine_override, progress)
    side_by_side = progress is None and len(catalogs) >= PARALLEL_MIN_STEPS  # a caller's progress stream stays in-process
    report = DraftReport()
    for part in project.imap_steps(steps, work, 2 if side_by_side else len(steps) + 1):
        report.merge(part)
    _UNIT_TAGS.clear()
    return report


def _draft_locale_step(engine_override: str | None, progress: Progress | None, project: Project,
                       step: Step) -> DraftReport:
    """Draft one locale's catalogs (STEP.files) with one memory, one engine and one cache connection."""
    config = project.config
    settings = section(config, "drafts", DEFAULTS)
    report = DraftReport()
    cache = DraftCache(config.root / settings["cache"])
    try:
        drafter = _LocaleDrafter(project, step.locale, engine_override or config.engine_for(step.locale),
                                 settings, cache, progress or Progress(plain=multiprocessing.parent_process() is not None),
                                 report)
        for path in step.files:
            drafter.draft(Path(path).stem)
    finally:
        cache.close()
    report.engine_calls += drafter.engine.calls if drafter.engine is not None else 0
    return report


class _LocaleDrafter:
    """One locale's drafting across documents: its glossary, and its translation memory and
    engine, each set up only once a unit needs it."""

    def __init__(self, project: Project, locale: str, name: str, settings: dict, cache: DraftCache,
                 progress: Progress, report: DraftReport):
        config = project.config
        if name not in engine_names():
            raise MedlocError(f"[tool.medloc.engines] {locale} = {name!r} is not an engine; engines: "
                              f"{', '.join(engine_names())}", config.pyproject)
        self.project, self.locale, self.name, self.settings = project, locale, name, settings
        self.cache, self.progress, self.report = cache, progress, report
        gpath = glossary_path(config.locales_dir, locale)
        self.glossary = load_glossary(gpath, config.relative(gpath))
        self.memory: TranslationMemory | None = None
        self.engine: Engine | None = None
        self.stopped = ""  # why the engine is not drafting: unavailable here, or failed earlier in this run

    def draft(self, doc: str) -> None:
        config, report, locale, name = self.project.config, self.report, self.locale, self.name
        if name == "none":
            return
        path = config.catalog_path(locale, doc)
        shown = config.relative(path)
        if not path.exists():
            report.notes.append(f"{shown}: no catalog; run `medloc update` first")
            return
        data = catalog_bytes(path, shown)
        # Not through `Project.parsed`: a catalog with units to draft is rewritten at once, so a
        # kept parse of these bytes would never be asked for again.
        po = parse_catalog(data, shown) if may_have_empty_units(data) else None
        empty = [e for e in po if not e.obsolete and not e.msgstr and e.msgid and not e.msgid_plural] if po else []
        if not empty:
            report.written.append((path, False))
            return
        units = unit_tags(self.project, doc)
        empty = [e for e in empty if e.msgid in units]  # others wait for `medloc update`
        self.memory = self.memory or TranslationMemory.load(config, locale, self.settings["memory_threshold"])
        drafts: dict[str, Draft] = {}
        for entry in empty:
            match = self.memory.lookup(entry.msgid, units[entry.msgid], shown)
            if match is not None and _fits(match.msgstr, units[entry.msgid]):
                found = match.warnings() + _glossary_warnings(self.glossary, entry.msgid, match.msgstr)
                drafts[entry.msgid] = Draft(match.msgstr, match.origin, found)
        rest = [e.msgid for e in empty if e.msgid not in drafts]
        if rest and name in ENGINES and self.engine is None and not self.stopped:
            try:
                self.engine = ENGINES[name](locale, self.settings)
            except EngineUnavailable as exc:
                report.notes.append(f"{locale}: {exc}; units without a translation-memory match stay empty")
                self.stopped = f"{name} is not available here (see note)"
        if rest and self.stopped:
            report.failed += [_unit_line(shown, msgid, self.stopped) for msgid in rest]
        elif rest and self.engine is not None:
            failure = _engine_drafts(self.engine, rest, units, self.glossary, self.cache, self.progress,
                                     f"{locale}/{doc}", drafts, report, shown)
            if failure:
                report.notes.append(f"{locale}: {failure}; stopped drafting with it, drafts so far are saved")
                self.stopped = f"{name} failed (see note)"
        report.written.append((path, _apply(path, shown, drafts, report, (data, po))))


def _engine_drafts(engine: Engine, msgids: list[str], units: dict[str, tuple[Tag, ...]], glossary: list[Term],
                   cache: DraftCache, progress: Progress, label: str, drafts: dict[str, Draft],
                   report: DraftReport, shown: str) -> str:
    """Draft MSGIDS with ENGINE into DRAFTS (cache first). Returns why the engine failed, or ""."""
    keep = [term for term in glossary if term.keep]
    protected = {msgid: protect(msgid, terms_in(keep, msgid)) for msgid in msgids}
    sources = list(dict.fromkeys(p.text for p in protected.values()))
    answers = cache.get_many(engine.cache_key, engine.pair, sources)
    missing = [text for text in sources if text not in answers]
    sendable = [text for text in missing if len(text) <= engine.max_chars]
    failure = ""
    progress.start(label, len(sendable))
    for batch in batches(sendable, engine.max_units, engine.max_chars):
        try:
            got = dict(zip(batch, engine.translate(batch)))
        except EngineError as exc:
            failure = str(exc)
            break
        cache.put_many(engine.cache_key, engine.pair, got)
        answers.update(got)
        progress.advance(len(batch))
    progress.finish()
    for msgid in msgids:
        source = protected[msgid].text
        if source not in answers:
            reason = f"{engine.name} failed (see note)" if failure else \
                f"longer than the {engine.max_chars} characters {engine.name} takes in one request"
            report.failed.append(_unit_line(shown, msgid, reason))
            continue
        text, problems = restore(answers[source], protected[msgid], units[msgid])
        if problems:
            report.failed.append(_unit_line(shown, msgid, f"{engine.name} draft discarded: {'; '.join(problems)}"))
            continue
        drafts[msgid] = Draft(text, engine.origin, _glossary_warnings(glossary, msgid, text))
    return failure


_EMPTY_MSGSTR = re.compile(rb'^msgstr[ \t]+""[ \t]*(?:\r?\n(?![ \t]*")|\Z)', re.MULTILINE)


def may_have_empty_units(data: bytes) -> bool:
    """False only if no active entry of the catalog DATA can have an empty msgstr, seen from the
    raw text (an empty msgstr is a `msgstr ""` line with no string line after it; the header's
    is followed by its fields), so the many catalogs with nothing to draft are not parsed."""
    return _EMPTY_MSGSTR.search(data) is not None


def unit_tags(project: Project, doc: str) -> dict[str, tuple[Tag, ...]]:
    """DOC's units and their inline tags, kept per process: drafting asks for them once per
    locale, and they are a small fraction of a segmented document."""
    key = (str(project.config.root), doc, str(project.config.source_path(doc).stat().st_mtime_ns))
    if key not in _UNIT_TAGS:
        _UNIT_TAGS[key] = {unit.msgid: unit.tags for unit in project.segmented(doc).units()}
    return _UNIT_TAGS[key]


_UNIT_TAGS: dict[tuple[str, str, str], dict[str, tuple[Tag, ...]]] = {}


def _fits(text: str, tags: tuple[Tag, ...]) -> bool:
    try:
        from_compact(text, tags)
    except MarkupError:
        return False
    return True


def _glossary_warnings(glossary: list[Term], msgid: str, text: str) -> list[str]:
    return [f'glossary: "{term.english}" should be translated "{term.target}"'
            for term in terms_in(glossary, msgid) if not term.keep and not term.in_translation(text)]


def _unit_line(shown: str, msgid: str, reason: str) -> str:
    english = msgid if len(msgid) <= 50 else msgid[:47] + "..."
    return f"{shown}: unit {unit_id(msgid)} {english!r}: {reason}"


def _apply(path: Path, shown: str, drafts: dict[str, Draft], report: DraftReport,
           known: tuple[bytes, polib.POFile]) -> bool:
    """Write DRAFTS into the units of PATH that are empty now; keep whatever else changed meanwhile.
    KNOWN is the catalog as drafting read it (bytes, parse), reused if the file is unchanged."""
    if not drafts:
        return False

    def fill(po: polib.POFile | None) -> tuple[polib.POFile, list[Draft]]:
        if po is None:
            raise MedlocError("the catalog disappeared while medloc drafted it", shown)
        filled = []
        for entry in po:
            if entry.msgid in drafts and not entry.obsolete and not entry.msgstr and not entry.msgid_plural:
                found = drafts[entry.msgid]
                entry.msgstr = found.text
                mark_draft(entry, found.origin, found.warnings)
                filled.append(found)
        return po, filled

    po, filled = edit_catalog(path, shown, fill, "drafted", known)
    for found in filled:
        report.count(found.origin)
    if len(filled) < len(drafts):
        report.notes.append(f"{shown}: {len(drafts) - len(filled)} unit(s) were translated or changed "
                            "while drafting; their drafts were not written")
    return bool(filled) and write_if_changed(path, render_catalog(po))
