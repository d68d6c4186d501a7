"""Findings as people and machines read them: human text, JSON, GitHub workflow commands.

Suppressed findings are left out of the human and GitHub listings (they are counted in the
summary) and kept, marked, in JSON, so a reviewer can audit every exception.
"""

from __future__ import annotations

import json
from collections import Counter

from pipeline.checks.base import Finding
from pipeline.segment import unit_id

FORMATS = ("human", "json", "github")


def summary(findings: list[Finding]) -> str:
    active = [f for f in findings if f.suppressed is None]
    errors = sum(1 for f in active if f.blocking)
    drafts = sum(1 for f in active if f.blocks_approval and not f.blocking)
    warnings = len(active) - errors - drafts
    parts = [f"{errors} error(s)", f"{warnings} warning(s)"]
    if drafts:
        parts.append(f"{drafts} error(s) in fuzzy units (they block approval, not this check)")
    if len(findings) > len(active):
        parts.append(f"{len(findings) - len(active)} suppressed")
    return "medloc check: " + ", ".join(parts)


def by_check(findings: list[Finding]) -> str:
    """One line per catalog: how many findings of each check (for `medloc build`)."""
    lines = []
    counts = Counter((f.path, f.check, f.level) for f in findings if f.suppressed is None)
    for path in dict.fromkeys(f.path for f in findings):
        listed = ", ".join(f"{check} {n}" + (" (error)" if level == "error" else "")
                           for (where, check, level), n in counts.items() if where == path)
        if listed:
            lines.append(f"  {path}: {listed}")
    return "\n".join(lines)


def _text_block(label: str, text: str) -> str:
    return f"    {label}: " + text.replace("\n", "\n" + " " * (len(label) + 6))


def human(findings: list[Finding]) -> str:
    out = []
    for f in findings:
        if f.suppressed is not None:
            continue
        note = " (fuzzy unit: an error once the fuzzy flag is cleared)" if f.blocks_approval and not f.blocking else ""
        out.append(f"{f.path}:{f.line}: {f.level} {f.check}: {f.message}{note}")
        if f.msgid:
            out.append(_text_block("en", f.msgid))
            out.append(_text_block(f.locale, f.msgstr))
    out.append(summary(findings))
    return "\n".join(out)


def as_json(findings: list[Finding]) -> str:
    records = [{
        "file": f.path, "line": f.line, "locale": f.locale, "check": f.check, "severity": f.severity,
        "level": f.level, "blocking": f.blocking, "blocks_approval": f.blocks_approval, "fuzzy": f.fuzzy,
        "suppressed": f.suppressed, "message": f.message, "unit": unit_id(f.msgid) if f.msgid else None,
        "msgid": f.msgid, "msgstr": f.msgstr,
    } for f in findings]
    return json.dumps({"summary": summary(findings), "findings": records}, ensure_ascii=False, indent=2)


def _escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def github(findings: list[Finding]) -> str:
    """GitHub Actions workflow commands: each finding annotates its line of the catalog."""
    out = []
    for f in findings:
        if f.suppressed is not None:
            continue
        title = _escape(f"medloc {f.check}", property_value=True)
        out.append(f"::{f.level} file={_escape(f.path, True)},line={f.line},title={title}::{_escape(f.message)}")
    out.append(f"::notice title=medloc check::{_escape(summary(findings))}")
    return "\n".join(out)


def render(findings: list[Finding], fmt: str) -> str:
    return {"human": human, "json": as_json, "github": github}[fmt](findings)
