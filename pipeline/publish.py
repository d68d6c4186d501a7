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

import datetime as dt
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale

from pipeline.approvals import UnitReview, review_units
from pipeline.config import SOURCE_LANGUAGE
from pipeline.errors import MedlocError
from pipeline.fsutil import atomic_write_bytes, write_if_changed
from pipeline.project import Project
from pipeline.render import bcp47, english_page, localized_page, render_html, render_text

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Outcome:
    """What publishing did for one document in one locale."""

    doc: str
    locale: str
    status: str  # current, stale, unpublished
    reason: str = ""
    units: tuple[tuple[UnitReview, str], ...] = ()  # units without a live approval, and why


@dataclass
class Report:
    written: list[tuple[Path, bool]] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(outcome.status == "current" for outcome in self.outcomes)


def unapproved(reviews: list[UnitReview]) -> list[tuple[UnitReview, str]]:
    """Units without a live approval, each with why: stale approval, or never approved."""
    return [(r, r.stale_reason() or f"not approved ({r.state})") for r in reviews if r.live is None]


def read_manifest(project: Project) -> dict[str, Any]:
    path = project.config.reviewed / MANIFEST
    if not path.exists():
        return {"documents": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MedlocError(f"manifest is not valid JSON ({exc}); delete it and run `medloc publish`",
                          project.config.relative(path)) from None
    return data if isinstance(data, dict) and isinstance(data.get("documents"), dict) else {"documents": {}}


def published_entry(project: Project, doc: str, locale: str) -> dict[str, Any] | None:
    """The manifest entry of a published (current or stale) translation, or None."""
    entry = read_manifest(project)["documents"].get(doc, {}).get("locales", {}).get(locale)
    return entry if entry and entry.get("status") in ("current", "stale") else None


def publish(project: Project, docs: list[str], locales: list[str]) -> Report:
    """Publish English and every approved translation of DOCS in LOCALES; update the manifest."""
    config = project.config
    manifest = read_manifest(project)
    report = Report()
    reviews = {(doc, locale): review_units(project, doc, locale) for doc in docs for locale in locales}
    ready = {key for key, units in reviews.items() if units and not unapproved(units)}
    for doc in docs:
        old = manifest["documents"].get(doc, {}).get("locales", {})
        shown = [SOURCE_LANGUAGE] + [loc for loc in config.locales
                                     if (doc, loc) in ready or old.get(loc, {}).get("status") in ("current", "stale")]
        alternates = tuple((bcp47(loc), f"../{loc}/{doc}.html") for loc in shown) if len(shown) > 1 else ()
        names = {bcp47(loc): _own_name(loc) for loc in shown}
        segmented = project.segmented(doc)
        page = english_page(segmented, alternates, names)
        for suffix, text in ((".html", render_html(segmented, page)), (".txt", render_text(segmented, page))):
            path = config.reviewed / SOURCE_LANGUAGE / f"{doc}{suffix}"
            report.written.append((path, write_if_changed(path, text)))
        entries = dict(old)
        entries[SOURCE_LANGUAGE] = _entry("current", segmented, "")
        for locale in locales:
            units = reviews[(doc, locale)]
            if (doc, locale) in ready:
                live = [r.live for r in units]
                entries[locale] = _entry("current", segmented, max(a.date for a in live))
                report.outcomes.append(Outcome(doc, locale, "current"))
                continue
            entries[locale] = outcome_entry = _not_ready(old.get(locale), units)
            report.outcomes.append(Outcome(doc, locale, outcome_entry["status"], outcome_entry["reason"],
                                           tuple(unapproved(units))))
        manifest["documents"][doc] = {
            "english_review_date": segmented.document.meta.review_date.isoformat(),
            "locales": entries,
            "source_sha256": segmented.document.digest,
        }
    for locale in locales:
        files = {}
        for doc in docs:
            if (doc, locale) not in ready:
                continue
            segmented = project.segmented(doc)
            live = [r.live for r in reviews[(doc, locale)]]
            approved = {a.msgid: a.msgstr for a in live}
            doc_shown = [SOURCE_LANGUAGE] + [loc for loc in config.locales if (doc, loc) in ready or
                         manifest["documents"][doc]["locales"].get(loc, {}).get("status") in ("current", "stale")]
            page = localized_page(
                segmented, locale, dt.date.fromisoformat(max(a.date for a in live)),
                sorted({a.reviewer for a in live}),
                tuple((bcp47(loc), f"../{loc}/{doc}.html") for loc in doc_shown),
                {bcp47(loc): _own_name(loc) for loc in doc_shown},
            )

            def translate(unit, approved=approved):
                return approved[unit.msgid]

            files[f"{doc}.html"] = render_html(segmented, page, translate).encode("utf-8")
            files[f"{doc}.txt"] = render_text(segmented, page, translate).encode("utf-8")
        report.written.extend(swap_in(config.reviewed / locale, files))
    text = json.dumps({"documents": manifest["documents"], "format": 1}, ensure_ascii=False, indent=2, sort_keys=True)
    path = config.reviewed / MANIFEST
    report.written.append((path, write_if_changed(path, text + "\n")))
    return report


def _own_name(locale: str) -> str:
    """A language's name in itself, capitalized as a menu item: English, Español, 中文 (简体)."""
    name = Locale.parse(locale).get_display_name(locale)
    return name[:1].upper() + name[1:]


def _entry(status: str, segmented, approved: str, reason: str = "", stale: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "approved": approved or None,
        "english_review_date": segmented.document.meta.review_date.isoformat(),
        "reason": reason,
        "source_sha256": segmented.document.digest,
        "stale_units": list(stale),
        "status": status,
    }


def _not_ready(previous: dict[str, Any] | None, units: list[UnitReview]) -> dict[str, Any]:
    """The manifest entry of a translation that cannot be published now.

    A published one stays, stale, still naming the English review date and source it
    reflects; otherwise it is unpublished.
    """
    missing = unapproved(units)
    reason = f"{len(missing)} of {len(units)} units have no live approval"
    if previous and previous.get("status") in ("current", "stale"):
        return {**previous, "reason": reason, "stale_units": [r.unit.id for r, _ in missing], "status": "stale"}
    return {"approved": None, "english_review_date": None, "reason": reason, "source_sha256": None,
            "stale_units": [], "status": "unpublished"}


def swap_in(folder: Path, files: dict[str, bytes]) -> list[tuple[Path, bool]]:
    """Make FOLDER hold FILES (other files in it are kept) by staging a copy and renaming it in.

    Between the two renames the folder is briefly absent, never half-written; a crash there
    leaves `.LANG.previous`, which the next run puts back. Unchanged content is not touched.
    """
    staging = folder.parent / f".{folder.name}.staging"
    previous = folder.parent / f".{folder.name}.previous"
    if previous.is_dir() and not folder.exists():
        os.rename(previous, folder)
    current = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} if folder.is_dir() else {}
    merged = {**current, **files}
    results = [(folder / name, current.get(name) != data) for name, data in sorted(files.items())]
    if merged == current:
        return results
    for leftover in (staging, previous):
        shutil.rmtree(leftover, ignore_errors=True)
    staging.mkdir(parents=True)
    for name, data in sorted(merged.items()):
        atomic_write_bytes(staging / name, data)
    if folder.exists():
        os.rename(folder, previous)
    os.rename(staging, folder)
    shutil.rmtree(previous, ignore_errors=True)
    return results
