"""Review packets: one self-contained HTML page per document and locale for the reviewer.

`build/review/LANG/DOC.html` (not committed) shows, section by section, each unit's English
and translation side by side; what changed in either since its last approval, as a
word-level diff against the texts the ledger kept; machine-draft and memory markers;
QA findings and what would stop `medloc approve`; and readability of the English and the
translation, for the document and for each long sentence, against the configured targets.
All text goes through Jinja2 autoescaping; the page loads nothing from elsewhere.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from babel import Locale

from pipeline.approvals import UnitReview, qa_findings, refusal, review_units
from pipeline.config import SOURCE_LANGUAGE
from pipeline.fsutil import write_if_changed
from pipeline.markers import draft_marker, warnings
from pipeline.project import Project
from pipeline.readability import Readability, long_sentences, measure
from pipeline.readability import settings as readability_settings
from pipeline.render import bcp47, environment

# A token is a CJK character, a word, a run of spaces, or one other character.
_DIFF_TOKEN = re.compile(r"[\u2e80-\u9fff\uac00-\ud7a3\uf900-\ufaff]|\w+|\s+|[^\w\s]")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) pieces turning OLD into NEW; op is "same", "del" or "ins"."""
    a, b = _DIFF_TOKEN.findall(old), _DIFF_TOKEN.findall(new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("ins", "".join(b[j1:j2])))
    return out


@dataclass(frozen=True)
class Row:
    """One unit as the packet shows it."""

    review: UnitReview
    approval: str  # "approved on ... by ...", "stale: ...", or "not approved"
    blocked: str  # why `medloc approve` would refuse it ("" if it would not)
    english_diff: list[tuple[str, str]]
    translation_diff: list[tuple[str, str]]
    marker: str  # machine-draft or memory origin
    notes: list[str]  # draft warnings
    findings: list  # pipeline.checks findings
    long: list[tuple[str, Readability]]  # the unit's long English sentences and their scores
    translation_score: Readability | None  # the translation's scores, shown beside long sentences


def packet_path(project: Project, locale: str, doc: str) -> Path:
    return project.config.build / "review" / locale / f"{doc}.html"


def _row(project: Project, locale: str, review: UnitReview, targets: dict) -> Row:
    live, last = review.live, review.last
    if live is not None:
        approval = f"approved on {live.date} by {live.reviewer}"
    elif last is not None:
        approval = f"stale: {review.stale_reason()}"
    else:
        approval = "not approved"
    changed = live is None and last is not None
    marker = draft_marker(review.entry) if review.entry is not None else None
    long = long_sentences([review.unit.msgid], SOURCE_LANGUAGE, targets)
    return Row(
        review=review,
        approval=approval,
        blocked="" if live is not None else refusal(project, locale, review),
        english_diff=word_diff(last.msgid, review.unit.msgid) if changed and last.msgid != review.unit.msgid else [],
        translation_diff=word_diff(last.msgstr, review.msgstr) if changed and last.msgstr != review.msgstr else [],
        marker=marker.origin if marker else "",
        notes=warnings(review.entry) if review.entry is not None else [],
        findings=qa_findings(project, locale, review.entry) if review.msgstr else [],
        long=long,
        translation_score=measure([review.msgstr], locale, targets) if long and review.msgstr else None,
    )




def render_packet(project: Project, doc: str, locale: str) -> str:
    return environment(trim=True).get_template("review.html.j2").render(**packet_context(project, doc, locale))


def packet_context(project: Project, doc: str, locale: str) -> dict:
    """Everything a review page of DOC in LOCALE shows; the web workspace renders the same data."""
    targets = readability_settings(project.config)
    reviews = review_units(project, doc, locale)
    rows = [_row(project, locale, review, targets) for review in reviews]
    sections: list[tuple[str, list[Row]]] = []
    for row in rows:
        if not sections or sections[-1][0] != row.review.unit.section:
            sections.append((row.review.unit.section, []))
        sections[-1][1].append(row)
    translated = [r.msgstr for r in reviews if r.msgstr]
    segmented = project.segmented(doc)
    babel_locale = Locale.parse(locale)
    return dict(
        doc=doc,
        title=segmented.document.meta.title,
        english_review_date=segmented.document.meta.review_date.isoformat(),
        locale=locale,
        lang=bcp47(locale),
        direction=babel_locale.text_direction,
        language=babel_locale.get_display_name("en"),
        sections=sections,
        counts={"units": len(rows), "approved": sum(1 for r in rows if r.review.live),
                "blocked": sum(1 for r in rows if r.blocked), "with text": len(translated)},
        english_readability=measure([u.msgid for u in segmented.units()], SOURCE_LANGUAGE, targets),
        translation_readability=measure(translated, locale, targets),
        long_limit=targets["long_sentence_words"],
    )


def write_packets(project: Project, docs: list[str], locales: list[str]) -> list[tuple[Path, bool]]:
    results = []
    for doc in docs:
        for locale in locales:
            path = packet_path(project, locale, doc)
            results.append((path, write_if_changed(path, render_packet(project, doc, locale))))
    return results
