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

# Importing the families registers their checks, in this order (the order of the report).
from pipeline.checks import catalog, markup, numbers, terms, text, punctuation, health  # noqa: E402,F401

__all__ = ["ERROR", "WARNING", "Finding", "Settings", "REGISTRY", "load_settings", "check_entry",
           "check_catalog", "check_step", "iter_checks", "run_checks"]

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


def check_entry(entry: polib.POEntry, locale: str, glossary: list[Term] | tuple[Term, ...],
                settings: Settings, path: str = "") -> list[Finding]:
    """Findings for one catalog entry (at PATH, if given), suppressed ones marked."""
    if entry.obsolete or entry.msgid_plural:  # medloc units have no plural forms; msgfmt checks those
        return []
    ctx = Context(entry, locale, tuple(glossary), settings)
    ignored = suppressions(entry)
    fuzzy = "fuzzy" in entry.flags
    findings = []
    for check in _enabled(settings, "unit"):
        if not entry.msgstr.strip() and not check.on_empty:
            continue
        for message in check.function(ctx) or ():
            findings.append(Finding(check.name, settings.level(check.name), message, path=path, line=entry.linenum,
                                    locale=locale, msgid=entry.msgid, msgstr=entry.msgstr, fuzzy=fuzzy,
                                    suppressed=ignored.get(check.name) if check.name != "suppression" else None))
    return findings


def check_catalog(po: polib.POFile, path: Path, shown: str, locale: str, glossary: list[Term],
                  settings: Settings) -> list[Finding]:
    """Catalog-level checks, then every active entry's checks, in file order."""
    cat = CatalogContext(po, path, shown, locale)
    findings = [Finding(check.name, settings.level(check.name), message, shown, line, locale)
                for check in _enabled(settings, "catalog") for line, message in check.function(cat) or ()]
    for entry in po:
        findings.extend(check_entry(entry, locale, glossary, settings, shown))
    return findings


def iter_checks(project: Project, docs: list[str], locales: list[str]) -> Iterator[list[Finding]]:
    """The findings of each catalog of DOCS x LOCALES in turn (in worker processes when there are
    many). A missing or unreadable catalog is a MedlocError."""
    steps = catalog_steps(project, "check", docs, locales)
    for step in steps:
        if not Path(step.files[0]).exists():
            raise MedlocError("no catalog; run `medloc update` (or `medloc build`) first",
                              project.config.relative(Path(step.files[0])))
    yield from project.imap_steps(steps, check_step)


def check_step(project: Project, step: Step) -> list[Finding]:
    """Check one catalog: STEP.files is (catalog, glossary, ...)."""
    config = project.config
    path, terms_file = Path(step.files[0]), Path(step.files[1])
    shown = config.relative(path)
    glossary = load_glossary(terms_file, config.relative(terms_file))
    return check_catalog(read_catalog(path, shown), path, shown, step.locale, glossary, load_settings(config))


def run_checks(project: Project, docs: list[str], locales: list[str]) -> list[Finding]:
    """Every finding of every catalog of DOCS x LOCALES (for callers that want them all at once)."""
    return [finding for findings in iter_checks(project, docs, locales) for finding in findings]
