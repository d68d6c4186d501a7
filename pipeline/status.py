"""Where each document stands in each locale: the numbers `medloc status` shows.

Per document and locale: units (distinct English units), translated, machine drafts, fuzzy,
untranslated, approved (live approvals), stale (units whose publication or approval no
longer matches the English or the translation), readability, and the published state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.approvals import UnitReview, review_units
from pipeline.config import SOURCE_LANGUAGE
from pipeline.project import Project
from pipeline.publish import published_entry, read_manifest, unapproved
from pipeline.readability import Readability, measure
from pipeline.readability import settings as readability_settings


@dataclass(frozen=True)
class StaleUnit:
    id: str
    line: int
    msgid: str
    reason: str


@dataclass(frozen=True)
class LocaleStatus:
    locale: str
    units: int
    translated: int
    machine_drafts: int
    fuzzy: int
    untranslated: int
    approved: int
    stale: tuple[StaleUnit, ...]
    readability: Readability
    published: str  # current, stale, unpublished
    published_review_date: str | None  # the English review date the published version reflects


@dataclass(frozen=True)
class DocumentStatus:
    doc: str
    english_review_date: str
    readability: Readability
    locales: tuple[LocaleStatus, ...]


def stale_units(project: Project, doc: str, locale: str) -> list[StaleUnit]:
    """Units that need (re-)approval because something changed after an approval.

    For a published translation: every unit without a live approval (its English is new or
    changed, or its translation changed). Otherwise: units whose approval died.
    """
    return _stale(published_entry(read_manifest(project), doc, locale), review_units(project, doc, locale))


def _stale(entry: dict[str, Any] | None, reviews: list[UnitReview]) -> list[StaleUnit]:
    """ENTRY is the translation's manifest entry if it is published."""
    if entry:
        pairs = unapproved(reviews)
    else:
        pairs = [(r, r.stale_reason()) for r in reviews if r.stale_reason()]
    return [StaleUnit(r.unit.id, r.unit.line, r.unit.msgid, reason) for r, reason in pairs]


def _published(project: Project, doc: str, entry: dict[str, Any] | None,
               reviews: list[UnitReview]) -> tuple[str, str | None]:
    """The published state as of now: current only if publishing again would change nothing."""
    if entry is None:
        return "unpublished", None
    live = [r.live for r in reviews]
    current = (
        all(live)
        and entry.get("source_sha256") == project.segmented(doc).document.digest
        and entry.get("approved") == max(a.date for a in live)
    )
    return ("current" if current else "stale"), entry.get("english_review_date")


def locale_status(project: Project, doc: str, locale: str, targets: dict[str, Any],
                  manifest: dict[str, Any]) -> LocaleStatus:
    reviews = review_units(project, doc, locale)
    states = [r.state for r in reviews]
    done = [r.msgstr for r in reviews if r.state in ("translated", "accepted-draft")]
    entry = published_entry(manifest, doc, locale)
    published, reflects = _published(project, doc, entry, reviews)
    return LocaleStatus(
        locale=locale,
        units=len(reviews),
        translated=len(done),
        machine_drafts=states.count("machine-draft"),
        fuzzy=states.count("fuzzy"),
        untranslated=states.count("untranslated") + states.count("missing"),
        approved=sum(1 for r in reviews if r.live is not None),
        stale=tuple(_stale(entry, reviews)),
        readability=measure(done, locale, targets),
        published=published,
        published_review_date=reflects,
    )


def document_status(project: Project, doc: str, locales: list[str]) -> DocumentStatus:
    targets = readability_settings(project.config)
    manifest = read_manifest(project)  # once per document, not once per locale and question
    segmented = project.segmented(doc)
    return DocumentStatus(
        doc=doc,
        english_review_date=segmented.document.meta.review_date.isoformat(),
        readability=measure([u.msgid for u in segmented.units()], SOURCE_LANGUAGE, targets),
        locales=tuple(locale_status(project, doc, locale, targets, manifest) for locale in locales),
    )


def as_json(statuses: list[DocumentStatus]) -> dict[str, Any]:
    return {
        "documents": [
            {
                "doc": s.doc,
                "english_review_date": s.english_review_date,
                "readability": s.readability.as_dict(),
                "locales": [
                    {
                        "locale": loc.locale,
                        "units": loc.units,
                        "translated": loc.translated,
                        "machine_drafts": loc.machine_drafts,
                        "fuzzy": loc.fuzzy,
                        "untranslated": loc.untranslated,
                        "approved": loc.approved,
                        "stale": [{"id": u.id, "line": u.line, "msgid": u.msgid, "reason": u.reason} for u in loc.stale],
                        "readability": loc.readability.as_dict(),
                        "published": loc.published,
                        "published_review_date": loc.published_review_date,
                    }
                    for loc in s.locales
                ],
            }
            for s in statuses
        ]
    }


def as_text(statuses: list[DocumentStatus]) -> str:
    lines = []
    for s in statuses:
        lines.append(f"{s.doc} (English reviewed {s.english_review_date})")
        lines.append(f"  en readability: {s.readability.describe()}")
        for loc in s.locales:
            reflects = f", reflects English of {loc.published_review_date}" if loc.published_review_date else ""
            lines.append(
                f"  {loc.locale}: {loc.units} units, {loc.translated} translated, {loc.machine_drafts} machine drafts, "
                f"{loc.fuzzy} fuzzy, {loc.untranslated} untranslated, {loc.approved} approved, {len(loc.stale)} stale; "
                f"published: {loc.published}{reflects}"
            )
            lines.append(f"    readability: {loc.readability.describe()}")
            for unit in loc.stale:
                lines.append(f"    stale {unit.id} (line {unit.line}): {unit.reason}: {_excerpt(unit.msgid)}")
    return "\n".join(lines)


def _excerpt(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
