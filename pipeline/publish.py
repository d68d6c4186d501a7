"""Outputs under reviewed/: English pages, approved translations only, and the manifest.

English pages are rendered from the physician-reviewed source and always publish.

A translated document is (re)published only when every distinct unit has a live approval
(`pipeline.approvals`), and then only the approved texts are rendered. Otherwise its last
published version stays untouched and the manifest says why. A locale folder is staged
whole and swapped in by renames, so `reviewed/LANG/` never holds a mix of two runs.

Policy when only the English review date changes (re-reviewed, same text): the approvals
are bound to the unit texts, so they stay live, and the next publish re-stamps the
translation with the new English review date. Any change of English text kills the
approvals of the changed units and makes the publication stale until they are approved again.

`reviewed/manifest.json` (sorted keys, no clocks: a no-op run changes no byte) lists every
document and locale with its status (current, stale, unpublished), the English review date
and source digest the published text reflects, the approval date, and why a locale is not
current. It is what a CI publishing job reads.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import os
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale

from pipeline import inline
from pipeline.approvals import Approval, UnitReview, now_utc, review_units
from pipeline.config import SOURCE_LANGUAGE
from pipeline.errors import MedlocError
from pipeline.fsutil import atomic_write_bytes, write_if_changed
from pipeline.project import Project, Step
from pipeline.state import LastParsed
from pipeline.config import section
from pipeline.render import Page, bcp47, english_page, localized_page, render_html, render_page

MANIFEST = "manifest.json"
DEFAULTS = {"templates": ""}  # [tool.medloc.publish]: a folder of Jinja2 templates replacing the built-in page


@dataclass(frozen=True)
class Outcome:
    """What publishing did for one document in one locale."""

    doc: str
    locale: str
    status: str  # current, stale, unpublished
    reason: str = ""
    units: tuple[tuple[str, int, str], ...] = ()  # units without a live approval: (id, line, why)


@dataclass
class Report:
    written: list[tuple[Path, bool]] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """False when a published translation is stale: readers see outdated text until re-approval.

        A translation never published yet is work in progress, not a failure of publishing.
        """
        return not any(outcome.status == "stale" for outcome in self.outcomes)


def unapproved(reviews: list[UnitReview]) -> list[tuple[UnitReview, str]]:
    """Units without a live approval, each with why: stale approval, or never approved."""
    return [(r, r.stale_reason() or f"not approved ({r.state})") for r in reviews if r.live is None]


def read_manifest(project: Project) -> dict[str, Any]:
    path = project.config.reviewed / MANIFEST
    return _load_manifest(path, project.config.relative(path)) if path.exists() else {"documents": {}}


def _load_manifest(path: Path, shown: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MedlocError(f"manifest is not valid JSON ({exc}); delete it and run `medloc publish`", shown) from None
    except OSError as exc:
        raise MedlocError(f"cannot read manifest: {exc.strerror}", shown) from None
    return data if isinstance(data, dict) and isinstance(data.get("documents"), dict) else {"documents": {}}


def _write_manifest(project: Project, documents: dict[str, Any]) -> tuple[Path, bool]:
    text = json.dumps({"documents": documents, "format": 1}, ensure_ascii=False, indent=2, sort_keys=True)
    path = project.config.reviewed / MANIFEST
    return path, write_if_changed(path, text + "\n")


_ON_DISK = LastParsed()  # the manifest as on disk, for every document rendered in this process


def published_entry(manifest: dict[str, Any], doc: str, locale: str) -> dict[str, Any] | None:
    """The MANIFEST entry (from `read_manifest`) of a published (current or stale) translation, or None."""
    entry = manifest["documents"].get(doc, {}).get("locales", {}).get(locale)
    return entry if entry and entry.get("status") in ("current", "stale") else None


def publish(project: Project, docs: list[str], locales: list[str]) -> Report:
    """Publish English and every approved translation of DOCS in LOCALES; update the manifest.

    Documents are rendered in worker processes when there are many (`_render_document`
    reads but never writes); this process writes English pages, stages translations and
    writes the manifest. Manifest entries of documents and locales not selected are kept.
    """
    config = project.config
    manifest = read_manifest(project)
    report = Report()
    stages = {locale: StagedFolder(config.reviewed / locale) for locale in locales}
    steps = [Step(f"publish:{doc}", doc, "", (), ()) for doc in docs]
    for doc, rendered in zip(docs, project.imap_steps(steps, functools.partial(_render_document, tuple(locales)))):
        for name, data in rendered.english.items():
            path = config.reviewed / SOURCE_LANGUAGE / name
            report.written.append((path, write_if_changed(path, data.decode("utf-8"))))
        for locale, files in rendered.translations.items():
            report.written += [(config.reviewed / locale / name, stages[locale].put(name, data))
                               for name, data in files.items()]
        report.outcomes += rendered.outcomes
        manifest["documents"][doc] = rendered.manifest_entry
    for stage in stages.values():
        stage.commit()
    report.written.append(_write_manifest(project, manifest["documents"]))
    return report


def merge_manifests(project: Project, shards: list[Path]) -> tuple[Path, bool, int]:
    """Combine into reviewed/manifest.json what the locale jobs of a sharded CI published.

    Each job (docs/SCALING.md) started from this project's manifest, rendered the English of
    every document and changed the entries of the locales it built. This is a three-way merge
    against that base: for each document and locale, the entry a shard changed is taken. Two
    shards that changed one entry in different ways, or that rendered different English (built
    from different source commits), are a conflict: nothing is written, exit 2.
    Returns the manifest's path, whether it was rewritten, and how many entries were taken.
    """
    base = read_manifest(project)["documents"]
    loaded = [(project.config.relative(path), _load_manifest(path, project.config.relative(path))["documents"])
              for path in shards]
    merged = json.loads(json.dumps(base))  # a deep copy that the comparisons below never see
    taken = 0
    for doc in sorted({doc for _, documents in loaded for doc in documents}):
        before = base.get(doc, {})
        for field in ("english_review_date", "source_sha256"):  # every job rendered the English: all agree
            value = _changed_by_one(doc, field, None, [(name, docs[doc].get(field)) for name, docs in loaded
                                                       if doc in docs])
            merged.setdefault(doc, {"locales": {}})[field] = value
        locales = sorted({locale for _, docs in loaded for locale in docs.get(doc, {}).get("locales", {})})
        for locale in locales:
            old = before.get("locales", {}).get(locale, _UNPUBLISHED)  # as publish starts a new document
            new = _changed_by_one(doc, locale, old, [(name, docs[doc]["locales"][locale]) for name, docs in loaded
                                                     if locale in docs.get(doc, {}).get("locales", {})])
            if new != old:
                merged[doc]["locales"][locale] = new
                taken += 1
    path, written = _write_manifest(project, merged)
    return path, written, taken


def _changed_by_one(doc: str, what: str, base: Any, candidates: list[tuple[str, Any]]) -> Any:
    """BASE, or the one value other than BASE that CANDIDATES (shard name, value) hold; with BASE
    None, the one value they all hold."""
    changed = {json.dumps(value, sort_keys=True): name for name, value in candidates if value != base}
    if len(changed) > 1:
        names = " and ".join(sorted(changed.values()))
        raise MedlocError(f"{names} both changed {doc} [{what}] in different ways; each locale must be built "
                          "by one shard, from the same English (same source commit)")
    return json.loads(next(iter(changed))) if changed else base


@dataclass
class _Rendered:
    """One document's pages and manifest entry, as `_render_document` hands them to `publish`."""

    english: dict[str, bytes]
    translations: dict[str, dict[str, bytes]]  # locale -> file name -> bytes, approved translations only
    manifest_entry: dict[str, Any]
    outcomes: list[Outcome]


def _render_document(locales: tuple[str, ...], project: Project, step: Step) -> _Rendered:
    """English pages of STEP.doc, its approved translations in LOCALES, and its manifest entry."""
    doc, config = step.doc, project.config
    # Read as on disk: publish writes the manifest only after every document is rendered.
    manifest = _ON_DISK.get(config.reviewed / MANIFEST, lambda: read_manifest(project))
    reviews = {locale: review_units(project, doc, locale) for locale in locales}
    ready = {(doc, locale) for locale, units in reviews.items() if units and not unapproved(units)}
    languages = _languages(project, doc, ready, manifest)
    segmented = project.segmented(doc)
    english = _pages(segmented, _with_templates(project, english_page(segmented, *_alternates(doc, languages))))
    entries = {locale: _UNPUBLISHED for locale in config.locales}  # not selected, never published
    entries.update(manifest["documents"].get(doc, {}).get("locales", {}))
    entries[SOURCE_LANGUAGE] = _entry(segmented, "")
    translations, outcomes = {}, []
    for locale, units in reviews.items():
        if (doc, locale) in ready:
            entries[locale] = _entry(segmented, max(r.live.date for r in units))
            translations[locale] = _render_translation(project, doc, locale, units, languages)
        else:
            entries[locale] = _not_ready(entries.get(locale), units)
        missing = tuple((r.unit.id, r.unit.line, why) for r, why in unapproved(units))
        outcomes.append(Outcome(doc, locale, entries[locale]["status"], entries[locale]["reason"], missing))
    entry = {"english_review_date": segmented.document.meta.review_date.isoformat(), "locales": entries,
             "source_sha256": segmented.document.digest}
    return _Rendered(english, translations, entry, outcomes)


def _languages(project: Project, doc: str, ready: set[tuple[str, str]], manifest: dict[str, Any]) -> list[str]:
    """English and every locale that will have a published version of DOC after this run."""
    return [SOURCE_LANGUAGE] + [
        locale for locale in project.config.locales
        if (doc, locale) in ready or published_entry(manifest, doc, locale)
    ]


def _alternates(doc: str, languages: list[str]) -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
    """hreflang links between the language versions (none while English is alone), and their names."""
    if len(languages) < 2:
        return (), {}
    return (tuple((bcp47(loc), f"../{loc}/{doc}.html") for loc in languages),
            {bcp47(loc): _own_name(loc) for loc in languages})


def _translated_page(project: Project, doc: str, locale: str, live: list[Approval], languages: list[str]):
    """The page frame of a translation: approval date and reviewers from LIVE, links to LANGUAGES."""
    approved_on = dt.date.fromisoformat(max(a.date for a in live) if live else now_utc()[:10])
    return _with_templates(project, localized_page(project.segmented(doc), locale, approved_on,
                                                   sorted({a.reviewer for a in live}), *_alternates(doc, languages)))


def _render_translation(project: Project, doc: str, locale: str, units: list[UnitReview],
                        languages: list[str]) -> dict[str, bytes]:
    """DOC.html and DOC.txt of LOCALE from the approved texts only."""
    segmented = project.segmented(doc)
    live = [r.live for r in units]
    approved = {a.msgid: a.msgstr for a in live}
    page = _translated_page(project, doc, locale, live, languages)
    return _pages(segmented, page, lambda unit: approved[unit.msgid])


def _pages(segmented, page: Page, translate=None) -> dict[str, bytes]:
    """DOC.html, DOC.txt and DOC.md of one language."""
    doc = segmented.document.name
    html, text, markdown = render_page(segmented, page, translate)
    return {f"{doc}.html": html.encode("utf-8"), f"{doc}.txt": text.encode("utf-8"), f"{doc}.md": markdown.encode("utf-8")}


def _templates_folder(project: Project) -> Path | None:
    """The folder `[tool.medloc.publish] templates` names, or None for the built-in page."""
    folder = section(project.config, "publish", DEFAULTS)["templates"]
    if not folder:
        return None
    path = project.config.root / folder
    if not path.is_dir():
        raise MedlocError(f"[tool.medloc.publish] templates = {folder!r} is not a folder", project.config.pyproject)
    return path


def publisher_templates(project: Project) -> list[Path]:
    """The publisher's template files, which every page depends on (for incremental builds)."""
    folder = _templates_folder(project)
    return sorted(folder.glob("*.j2")) if folder else []


def _with_templates(project: Project, page: Page) -> Page:
    """PAGE rendered with the publisher's templates, if any."""
    folder = _templates_folder(project)
    return dataclasses.replace(page, templates=str(folder)) if folder else page


def preview_html(project: Project, doc: str, locale: str) -> tuple[str, list[tuple[UnitReview, str]]]:
    """DOC in LOCALE as `publish` would render it now, and the units that still lack a live approval.

    Approved units show their approved text; the others their current translation, or the
    English while they have none (or its markup does not match). With every unit approved the
    HTML is byte for byte what `publish` writes. For the web workspace's preview; writes nothing.
    """
    config = project.config
    units = review_units(project, doc, locale)
    ready = {(doc, loc) for loc in config.locales
             if loc == locale or not unapproved(review_units(project, doc, loc))}
    languages = _languages(project, doc, ready, read_manifest(project))
    texts = {r.unit.msgid: r.live.msgstr if r.live else _usable(r) for r in units}
    page = _translated_page(project, doc, locale, [r.live for r in units if r.live], languages)
    return render_html(project.segmented(doc), page, lambda unit: texts[unit.msgid]), unapproved(units)


def _usable(review: UnitReview) -> str:
    try:
        inline.from_compact(review.msgstr, review.unit.tags)
    except inline.MarkupError:
        return review.unit.msgid
    return review.msgstr or review.unit.msgid


@functools.cache
def _own_name(locale: str) -> str:
    """A language's name in itself, capitalized as a menu item: English, Español, 中文 (简体)."""
    name = Locale.parse(locale).get_display_name(locale)
    return name[:1].upper() + name[1:]


_UNPUBLISHED: dict[str, Any] = {"approved": None, "english_review_date": None, "reason": "not published yet",
                                "source_sha256": None, "stale_units": [], "status": "unpublished"}


def _entry(segmented, approved: str) -> dict[str, Any]:
    """A current publication: it reflects today's English source."""
    return {
        "approved": approved or None,
        "english_review_date": segmented.document.meta.review_date.isoformat(),
        "reason": "",
        "source_sha256": segmented.document.digest,
        "stale_units": [],
        "status": "current",
    }


def _not_ready(previous: dict[str, Any] | None, units: list[UnitReview]) -> dict[str, Any]:
    """The manifest entry of a translation that cannot be published now.

    A published one stays, stale, still naming the English review date and source it
    reflects; otherwise it is unpublished.
    """
    missing = unapproved(units)
    kinds = Counter("changed since approval" if r.stale_reason() else r.state for r, _ in missing)
    detail = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    reason = f"{len(missing)} of {len(units)} units have no live approval: {detail}"
    if previous and previous.get("status") in ("current", "stale"):
        return {**previous, "reason": reason, "stale_units": [r.unit.id for r, _ in missing], "status": "stale"}
    return {**_UNPUBLISHED, "reason": reason}


class StagedFolder:
    """Changes to one published folder, staged beside it and swapped in whole by `commit`.

    The first changed file starts `.LANG.staging` as a copy of the folder made of hard links
    (no file is read or rewritten for it); changed files are written there, and `commit` swaps
    the staging folder in with two renames. Readers therefore see the old publication or the
    new one, never a mix; between the renames the folder is briefly absent, and a crash there
    leaves `.LANG.previous`, which the next run puts back. Unchanged files keep their bytes,
    inode and mtime, and a run that changes nothing writes nothing.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.staging = folder.parent / f".{folder.name}.staging"
        self.previous = folder.parent / f".{folder.name}.previous"
        self.started = False
        if self.previous.is_dir() and not folder.exists():
            os.rename(self.previous, folder)

    def put(self, name: str, data: bytes) -> bool:
        """Stage NAME with DATA unless the published file already holds it. Returns True if staged."""
        try:
            if (self.folder / name).read_bytes() == data:
                return False
        except FileNotFoundError:
            pass
        if not self.started:
            self._start()
        atomic_write_bytes(self.staging / name, data)
        return True

    def _start(self) -> None:
        for leftover in (self.staging, self.previous):
            shutil.rmtree(leftover, ignore_errors=True)
        self.staging.mkdir(parents=True)
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.is_file():
                    try:
                        os.link(path, self.staging / path.name)
                    except OSError:  # a file system without hard links
                        shutil.copy2(path, self.staging / path.name)
        self.started = True

    def commit(self) -> None:
        """Swap the staged folder in (nothing to do if nothing was staged)."""
        if not self.started:
            return
        if self.folder.exists():
            os.rename(self.folder, self.previous)
        os.rename(self.staging, self.folder)
        shutil.rmtree(self.previous, ignore_errors=True)
        self.started = False
