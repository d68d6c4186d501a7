"""The approval ledger: who approved which translation of which English text, and when.

`reviewed/approvals/LANG/DOC.jsonl` holds one JSON object per line (sorted keys), appended to
and never rewritten, so `git diff` shows exactly the approvals a change adds. Each record
keeps the exact English unit and translation it approves with their sha256 digests, the
reviewer, the UTC time, and the English review date of the document at that time:

    {"approved_at": "2026-11-26T04:31:04Z", "english_review_date": "2015-07-13",
     "msgid": "...", "msgid_sha256": "...", "msgstr": "...", "msgstr_sha256": "...",
     "reviewer": "A. Ruiz", "unit": "3f2a9c0d1b7e"}

An approval is live only while both digests match the current English unit and catalog
entry: editing either one kills it, and the unit needs approving again. The texts are kept
(not only digests) so that the review packet can show what changed since the approval and
publishing can render exactly the approved text.
"""

from __future__ import annotations

import hashlib
import json
import marshal
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polib

from pipeline import checks, clock, inline
from pipeline.catalog import read_catalog
from pipeline.config import section
from pipeline.errors import MedlocError
from pipeline.fsutil import atomic_write_bytes
from pipeline.glossary import glossary_path, load_glossary
from pipeline.markers import draft_marker, entry_state
from pipeline.segment import Unit
from pipeline.state import PerFileStore, derived_from, fingerprint

if TYPE_CHECKING:
    from pipeline.project import Project

REVIEW_DEFAULTS: dict[str, Any] = {
    # A draft a translator accepted without changing a word is still unedited machine text;
    # approving it needs this switched on, per project.
    "allow_accepted_drafts": False,
}
_FIELDS = ("approved_at", "english_review_date", "msgid", "msgid_sha256", "msgstr", "msgstr_sha256", "reviewer", "unit")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Approval:
    unit: str
    msgid: str
    msgstr: str
    reviewer: str
    approved_at: str  # ISO 8601 UTC, e.g. 2026-11-26T04:31:04Z
    english_review_date: str

    @property
    def date(self) -> str:
        return self.approved_at[:10]

    def record(self) -> dict[str, str]:
        return {
            "approved_at": self.approved_at,
            "english_review_date": self.english_review_date,
            "msgid": self.msgid,
            "msgid_sha256": sha256(self.msgid),
            "msgstr": self.msgstr,
            "msgstr_sha256": sha256(self.msgstr),
            "reviewer": self.reviewer,
            "unit": self.unit,
        }

    def binds(self, msgid: str, msgstr: str) -> bool:
        """Exactly these texts, character for character (the ledger's digests guard the record itself)."""
        return self.msgid == msgid and self.msgstr == msgstr


@dataclass(frozen=True)
class UnitReview:
    """One distinct English unit of a document as a reviewer sees it in one locale."""

    unit: Unit
    entry: polib.POEntry | None
    state: str  # pipeline.markers.entry_state, or "missing" when the catalog lacks the unit
    live: Approval | None  # the approval that still binds the current texts
    last: Approval | None  # the latest earlier approval of this unit (same or previous English)

    @property
    def msgstr(self) -> str:
        return self.entry.msgstr if self.entry is not None else ""

    def stale_reason(self) -> str:
        """Why an approved unit needs approving again; "" if it is live or was never approved."""
        if self.live is not None or self.last is None:
            return ""
        if self.last.msgid != self.unit.msgid:
            return f"English changed since approved on {self.last.date}"
        return f"translation changed since approved on {self.last.date}"


def ledger_path(project: Project, locale: str, doc: str) -> Path:
    return project.config.reviewed / "approvals" / locale / f"{doc}.jsonl"


def read_ledger(path: Path, shown: str, parsed: PerFileStore | None = None) -> list[Approval]:
    """Every record in file order; a damaged or hand-edited record is an error naming its line.

    With PARSED (`Project.parsed`), the records of these very bytes are taken from there, or
    kept there once read: publishing reads every ledger of every document it renders.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    return derived_from(parsed, shown, data, lambda: _parse_ledger(data, shown),
                        lambda records: marshal.dumps([astuple(record) for record in records]),
                        lambda blob: [Approval(*fields) for fields in marshal.loads(blob)])


def _parse_ledger(data: bytes, shown: str) -> list[Approval]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MedlocError("approval ledger is not valid UTF-8", shown, data[: exc.start].count(b"\n") + 1) from None
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise MedlocError(f"approval record is not valid JSON ({exc.msg})", shown, number) from None
        if not isinstance(record, dict) or sorted(record) != sorted(_FIELDS):
            raise MedlocError(f"approval record must have exactly the fields {', '.join(_FIELDS)}", shown, number)
        if sha256(record["msgid"]) != record["msgid_sha256"] or sha256(record["msgstr"]) != record["msgstr_sha256"]:
            raise MedlocError("approval record's texts do not match its digests (edited by hand?)", shown, number)
        out.append(Approval(record["unit"], record["msgid"], record["msgstr"], record["reviewer"],
                            record["approved_at"], record["english_review_date"]))
    return out


def _distinct_units(project: Project, doc: str) -> list[Unit]:
    seen: dict[str, Unit] = {}
    for unit in project.segmented(doc).units():
        seen.setdefault(unit.msgid, unit)
    return list(seen.values())


def review_units(project: Project, doc: str, locale: str) -> list[UnitReview]:
    """Each distinct English unit of DOC with its catalog entry, state and approvals in LOCALE."""
    config = project.config
    catalog_file = config.catalog_path(locale, doc)
    po = read_catalog(catalog_file, config.relative(catalog_file), project.parsed) if catalog_file.exists() else None
    entries = {e.msgid: e for e in po if not e.obsolete} if po is not None else {}
    by_english: dict[str, list[tuple[int, Approval]]] = {}  # in ledger order
    ledger = read_ledger(ledger_path(project, locale, doc), config.relative(ledger_path(project, locale, doc)),
                         project.parsed)
    for position, approval in enumerate(ledger):
        by_english.setdefault(approval.msgid, []).append((position, approval))
    out = []
    for unit in _distinct_units(project, doc):
        entry = entries.get(unit.msgid)
        msgstr = entry.msgstr if entry is not None else ""
        earlier = {unit.msgid, entry.previous_msgid} if entry is not None and entry.previous_msgid else {unit.msgid}
        mine = [a for _, a in sorted(pair for english in earlier for pair in by_english.get(english, []))]
        live = next((a for a in reversed(mine) if msgstr and a.binds(unit.msgid, msgstr)), None)
        last = next((a for a in reversed(mine) if a is not live), None)
        state = entry_state(entry) if entry is not None else "missing"
        out.append(UnitReview(unit, entry, state, live, last))
    return out


def refusal(project: Project, locale: str, review: UnitReview) -> str:
    """Why REVIEW cannot be approved, or "" if it can."""
    state = review.state
    if state in ("missing", "untranslated"):
        return "not translated yet" if state == "untranslated" else "not in the catalog; run `medloc update`"
    if state == "machine-draft":
        return f"unreviewed machine draft ({draft_marker(review.entry).origin}); edit or accept it and clear fuzzy"
    if state == "fuzzy":
        return "marked fuzzy (the English changed or it needs rework); revise it and clear the fuzzy flag"
    review_settings = section(project.config, "review", REVIEW_DEFAULTS)
    if state == "accepted-draft" and not review_settings["allow_accepted_drafts"]:
        return (f"text is exactly the machine draft ({draft_marker(review.entry).origin}); a translator must edit it "
                "(or set allow_accepted_drafts in [tool.medloc.review])")
    try:
        inline.from_compact(review.msgstr, review.unit.tags)
    except inline.MarkupError as exc:
        return f"markup does not match the English: {exc}"
    blocking = blocking_findings(project, locale, review.entry)
    if blocking:
        return "blocking QA finding(s): " + "; ".join(blocking)
    return ""


def qa_findings(project: Project, locale: str, entry: polib.POEntry) -> list:
    """The `pipeline.checks` findings of ENTRY (each with check, severity, message, suppressed)."""
    glossary, settings = _qa_inputs(project.config, locale)
    return checks.check_entry(entry, locale, glossary, settings)


_QA_INPUTS: dict[tuple, tuple] = {}


def _qa_inputs(config, locale: str) -> tuple:
    """The locale's glossary and the check settings, read again only when their files change
    (approving or reviewing a document asks for them once per unit)."""
    terms = glossary_path(config.locales_dir, locale)
    key = (str(terms), fingerprint(terms), str(config.pyproject), fingerprint(config.pyproject))
    if key not in _QA_INPUTS:
        _QA_INPUTS[key] = (load_glossary(terms, config.relative(terms)), checks.load_settings(config))
    return _QA_INPUTS[key]


def blocking_findings(project: Project, locale: str, entry: polib.POEntry) -> list[str]:
    """Errors that are not suppressed: they block approval, and so publishing."""
    return [f"{f.check}: {f.message}" for f in qa_findings(project, locale, entry) if f.blocks_approval]


@dataclass(frozen=True)
class Outcome:
    unit: Unit
    result: str  # "approved", "already approved" or "refused"
    reason: str = ""


def approve(project: Project, doc: str, locale: str, reviewer: str, unit_ids: list[str] | None) -> list[Outcome]:
    """Approve the units UNIT_IDS of DOC in LOCALE (None: every unit), appending to the ledger.

    Units that cannot be approved are refused with the reason; the others are recorded even
    so. An unknown unit id is an error before anything is written.
    """
    reviewer = " ".join(reviewer.split())
    if not reviewer:
        raise MedlocError("--reviewer must name the person approving")
    reviews = review_units(project, doc, locale)
    if unit_ids is not None:
        known = {r.unit.id: r for r in reviews}
        unknown = [uid for uid in unit_ids if uid not in known]
        if unknown:
            raise MedlocError(f"no unit {unknown[0]!r} in {doc}; `medloc review -l {locale} {doc}` lists the unit ids")
        reviews = [known[uid] for uid in dict.fromkeys(unit_ids)]
    review_date = project.segmented(doc).document.meta.review_date.isoformat()
    stamp = now_utc()
    outcomes, new = [], []
    for review in reviews:
        if review.live is not None:
            outcomes.append(Outcome(review.unit, "already approved", f"on {review.live.date} by {review.live.reviewer}"))
            continue
        reason = refusal(project, locale, review)
        if reason:
            outcomes.append(Outcome(review.unit, "refused", reason))
            continue
        new.append(Approval(review.unit.id, review.unit.msgid, review.msgstr, reviewer, stamp, review_date))
        outcomes.append(Outcome(review.unit, "approved"))
    if new:
        append_records(ledger_path(project, locale, doc), new)
    return outcomes


def append_records(path: Path, approvals: list[Approval]) -> None:
    """Append one line per approval; the whole file is replaced atomically, its old lines unchanged."""
    old = path.read_bytes() if path.exists() else b""
    if old and not old.endswith(b"\n"):
        old += b"\n"
    lines = "".join(json.dumps(a.record(), sort_keys=True, ensure_ascii=False) + "\n" for a in approvals)
    atomic_write_bytes(path, old + lines.encode("utf-8"))


def now_utc() -> str:
    """The approval time, ISO 8601 UTC."""
    return clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
