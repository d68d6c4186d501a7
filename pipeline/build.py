"""`medloc build`, the main job: every stage in order, each redoing only what changed.

Extract and update skip their steps through `Project.run_steps`. Drafting, checking and
publishing are run here on just the catalogs and documents whose files changed since the
last build (`pipeline.state`); the explicit commands `medloc draft`, `check` and `publish`
always look at everything. A no-op build therefore only compares file fingerprints, and a
build after an edit costs what the edit touched.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Callable

from pipeline.approvals import ledger_path
from pipeline.catalog import (catalog_counts, catalog_steps, extract, folder_of, read_catalog, record_translations,
                              update)
from pipeline.checks import check_step, judge_in_batches
from pipeline.checks.report import by_check, tally
from pipeline.config import SOURCE_LANGUAGE
from pipeline.drafts import draft_catalogs
from pipeline.glossary import glossary_path
from pipeline.project import Project, Step
from pipeline.publish import MANIFEST, publish, publisher_templates
from pipeline.state import fingerprint

Say = Callable[[str], None]
Written = list[tuple[Path, bool]]


def build(project: Project, docs: list[str], locales: list[str], say: Say) -> list[Path]:
    """Run every stage on DOCS x LOCALES; SAY receives progress lines. Returns the files written
    (only those: a corpus of thousands of documents has tens of thousands of unchanged ones)."""
    written: list[Path] = []
    for name, stage in (("extract", lambda: extract(project, docs)),
                        ("update", lambda: update(project, docs, locales)),
                        ("draft", lambda: _draft(project, docs, locales, say)),
                        ("check", lambda: _check(project, docs, locales, say)),
                        ("publish", lambda: _publish(project, docs, locales))):
        say(f"{name} ...")
        started = time.perf_counter()
        results = stage()
        for path, changed in results:
            if changed:
                say(f"  wrote     {project.config.relative(path)}")
                written.append(path)
        say(f"  {name} took {time.perf_counter() - started:.1f} s")
    return written


def _draft(project: Project, docs: list[str], locales: list[str], say: Say) -> Written:
    """Draft only catalogs that changed; a catalog left with undrafted units is tried again next build."""
    todo = project.changed(catalog_steps(project, "draft", docs, locales))
    report = draft_catalogs(project, [(step.doc, step.locale) for step in todo])
    for line in report.lines() if todo else ():
        say(line)
    written: Written = report.written
    failed = {line.split(": unit ", 1)[0] for line in report.failed}
    for step in todo:
        if project.config.relative(Path(step.files[0])) in failed:
            project.state.forget(step.key)
        else:
            project.state.record(step.key, list(step.files))
    if not todo:
        say("  no catalog changed")
    return written


def _check(project: Project, docs: list[str], locales: list[str], say: Say) -> Written:
    """Check changed catalogs (in parallel); report those, and totals over every catalog. Writes nothing.

    Each checked catalog's unit counts are remembered too, so the summary need not read it again,
    and its human translations, so the translation memory need not either.
    """
    steps = catalog_steps(project, "check", docs, locales)
    todo = project.changed(steps)
    judge_in_batches(project, todo)
    for step, (lines, tallied, counts) in zip(todo, project.map_steps(todo, _check_one)):
        if lines:
            say(lines)
        project.state.record(step.key, list(step.files), tallied)
        project.state.record(_counts_key(step.locale, step.doc), [step.files[0]], counts)
    totals: Counter = Counter()
    for step in steps:
        totals.update(project.state.data(step.key) or {})
    say(f"  {len(todo)} of {len(steps)} catalog(s) checked; in all: {totals['errors']} error(s), "
        f"{totals['warnings']} warning(s), {totals['draft_errors']} error(s) in fuzzy units, "
        f"{totals['suppressed']} suppressed")
    return []


def _check_one(project: Project, step: Step) -> tuple[str, dict[str, int], dict[str, int]]:
    path = Path(step.files[0])
    seen = fingerprint(path)
    po = read_catalog(path, project.config.relative(path), project.parsed)
    findings = check_step(project, step, po)
    record_translations(project.config.build, path, seen, po)
    return by_check(findings), dict(tally(findings)), catalog_counts(po)


def _counts_key(locale: str, doc: str) -> str:
    return f"counts:{locale}:{doc}"


def _publish(project: Project, docs: list[str], locales: list[str]) -> Written:
    """Publish the documents any of whose inputs or outputs changed."""
    config = project.config
    shared = [str(config.pyproject), str(config.reviewed / MANIFEST), *map(str, publisher_templates(project))]
    source = folder_of(config.source_path("x"))
    folders = [(str(config.reviewed / locale), folder_of(config.catalog_path(locale, "x")),
                folder_of(ledger_path(project, locale, "x")), str(glossary_path(config.locales_dir, locale)))
               for locale in (SOURCE_LANGUAGE, *locales)]
    steps = []
    for doc in docs:
        files = [f"{source}/{doc}.md", *shared]
        for index, (published, catalogs, ledgers, terms) in enumerate(folders):
            files += [f"{published}/{doc}.html", f"{published}/{doc}.txt", f"{published}/{doc}.md"]
            if index:
                files += [f"{catalogs}/{doc}.po", f"{ledgers}/{doc}.jsonl", terms]
        steps.append(Step(f"publish:{doc}", doc, "", tuple(files), ()))
    todo = project.changed(steps)
    if not todo:
        return []
    written = publish(project, [step.doc for step in todo], locales).written
    for step in todo:
        project.state.record(step.key, list(step.files))
    return written


def summary(project: Project, docs: list[str], locales: list[str], written: list[Path]) -> list[str]:
    """Units by state per locale, over all documents (counts remembered per catalog fingerprint)."""
    lines = [f"medloc build: {len(docs)} document(s), {len(locales)} locale(s), {len(written)} file(s) written"]
    for locale in locales:
        totals: Counter = Counter()
        for doc in docs:
            path = project.config.catalog_path(locale, doc)
            totals.update(project.state.memo(
                _counts_key(locale, doc), [path],
                lambda: catalog_counts(read_catalog(path, project.config.relative(path), project.parsed))))
        label = docs[0] if len(docs) == 1 else f"{len(docs)} documents"
        lines.append(f"  {label} [{locale}]: {totals['total']} units, {totals['translated']} translated, "
                     f"{totals['fuzzy']} fuzzy, {totals['untranslated']} untranslated")
    return lines
