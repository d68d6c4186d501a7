"""Findings as people and machines read them: human text, JSON, GitHub workflow commands.

Suppressed findings are left out of the human and GitHub listings (they are counted in the
summary) and kept, marked, in JSON, so a reviewer can audit every exception.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Callable, Iterable

from pipeline.checks.base import Finding
from pipeline.segment import unit_id

FORMATS = ("human", "json", "github")


def tally(findings: list[Finding]) -> Counter:
    """Errors (fail `medloc check`), warnings, errors in fuzzy units (block approval only), suppressed."""
    counts: Counter = Counter(errors=0, warnings=0, draft_errors=0, suppressed=0)
    for f in findings:
        if f.suppressed is not None:
            counts["suppressed"] += 1
        elif f.blocking:
            counts["errors"] += 1
        elif f.blocks_approval:
            counts["draft_errors"] += 1
        else:
            counts["warnings"] += 1
    return counts


def summary_line(counts: Counter) -> str:
    parts = [f"{counts['errors']} error(s)", f"{counts['warnings']} warning(s)"]
    if counts["draft_errors"]:
        parts.append(f"{counts['draft_errors']} error(s) in fuzzy units (they block approval, not this check)")
    if counts["suppressed"]:
        parts.append(f"{counts['suppressed']} suppressed")
    return "medloc check: " + ", ".join(parts)


def summary(findings: list[Finding]) -> str:
    return summary_line(tally(findings))


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


def _human(findings: list[Finding]) -> list[str]:
    out = []
    for f in findings:
        if f.suppressed is not None:
            continue
        note = " (fuzzy unit: an error once the fuzzy flag is cleared)" if f.blocks_approval and not f.blocking else ""
        out.append(f"{f.path}:{f.line}: {f.level} {f.check}: {f.message}{note}")
        if f.msgid:
            out.append(_text_block("en", f.msgid))
            out.append(_text_block(f.locale, f.msgstr))
    return out


def _record(f: Finding) -> dict:
    return {
        "file": f.path, "line": f.line, "locale": f.locale, "check": f.check, "severity": f.severity,
        "level": f.level, "blocking": f.blocking, "blocks_approval": f.blocks_approval, "fuzzy": f.fuzzy,
        "suppressed": f.suppressed, "message": f.message, "unit": unit_id(f.msgid) if f.msgid else None,
        "msgid": f.msgid, "msgstr": f.msgstr,
    }


def _escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def _github(findings: list[Finding]) -> list[str]:
    """GitHub Actions workflow commands: each finding annotates its line of the catalog."""
    return [f"::{f.level} file={_escape(f.path, True)},line={f.line},title={_escape(f'medloc {f.check}', True)}"
            f"::{_escape(f.message)}" for f in findings if f.suppressed is None]


def write(batches: Iterable[list[Finding]], fmt: str, out: Callable[[str], None]) -> Counter:
    """Write findings catalog by catalog as FMT through OUT, ending with the summary; return the tallies.

    Only one catalog's findings are held at a time, so checking thousands of catalogs needs
    no more memory than checking one. JSON is written as one object:
    `{"findings": [...], "summary": "..."}`.
    """
    total: Counter = Counter(errors=0, warnings=0, draft_errors=0, suppressed=0)
    first = True
    if fmt == "json":
        out('{"findings": [')
    for findings in batches:
        total += tally(findings)
        if fmt == "json":
            for f in findings:
                out(("" if first else ",") + json.dumps(_record(f), ensure_ascii=False))
                first = False
        else:
            lines = _human(findings) if fmt == "human" else _github(findings)
            if lines:
                out("\n".join(lines))
    if fmt == "json":
        out(f'], "summary": {json.dumps(summary_line(total))}}}')
    elif fmt == "github":
        out(f"::notice title=medloc check::{_escape(summary_line(total))}")
    else:
        out(summary_line(total))
    return total


def render(findings: list[Finding], fmt: str) -> str:
    lines: list[str] = []
    write([findings], fmt, lines.append)
    return "\n".join(lines)
