"""Saving one translation from the workspace into the catalog a translator would edit by hand.

Only the edited entry's lines are replaced; every other byte of the file (header, comments,
entries another editor wrapped its own way) stays as it was, and the file is replaced
atomically. The rules are those of editing by hand in Poedit: saving a translation marks it
done (clears fuzzy and the previous English `#|`), and an unchanged machine draft saved so
is an accepted draft (`pipeline.markers.entry_state`). The `medloc-draft` comment stays, so
approvals can still tell an accepted draft from an edited one.

The page sends the digest of the catalog as it rendered it. If the file on disk has changed
since (a translator saved in Poedit, `medloc update` merged), nothing is written: the caller
shows what is on disk now next to the text that was not saved.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import polib

from pipeline import pofile
from pipeline.catalog import WRAP_WIDTH, read_catalog, render_catalog
from pipeline.errors import MedlocError
from pipeline.fsutil import atomic_write_bytes
from pipeline.project import Project
from pipeline.segment import Unit


class CatalogChanged(Exception):
    """The catalog on disk is not the one the page was rendered from."""


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes ("missing" when there is no file): what a page was rendered from."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return "missing"


def find_unit(project: Project, doc: str, unit_id: str) -> Unit | None:
    return next((u for u in project.segmented(doc).units() if u.id == unit_id), None)


def save_translation(project: Project, doc: str, locale: str, unit: Unit, msgstr: str, needs_work: bool,
                     expected_digest: str) -> polib.POEntry:
    """Set UNIT's translation in DOC's LOCALE catalog; raise CatalogChanged if the file moved on."""
    config = project.config
    path = config.catalog_path(locale, doc)
    shown = config.relative(path)
    if not path.exists():
        raise MedlocError("no catalog; run `medloc update` (or `medloc build`) first", shown)
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != expected_digest:
        raise CatalogChanged()
    po = read_catalog(path, shown)
    entry = next((e for e in po if not e.obsolete and e.msgid == unit.msgid and not e.msgctxt), None)
    if entry is None:
        raise MedlocError(f"unit {unit.id} is not in the catalog yet; run `medloc update`", shown)
    entry.msgstr = msgstr
    if needs_work:
        if "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
    else:
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        entry.previous_msgid = entry.previous_msgctxt = None
    new = replace_entry(data.decode("utf-8"), po, entry)
    if path.read_bytes() != data:  # saved by someone else while we worked
        raise CatalogChanged()
    atomic_write_bytes(path, new.encode("utf-8"))
    return entry


def replace_entry(text: str, po: polib.POFile, entry: polib.POEntry) -> str:
    """TEXT with ENTRY's block (its lines up to the blank lines around it) rendered anew.

    The result must parse to exactly PO; if the file's layout defeats that (entries not
    separated by blank lines), the whole catalog is rendered as `medloc update` would.
    """
    lines = text.split("\n")
    start = end = entry.linenum - 1
    while start > 0 and lines[start - 1].strip():
        start -= 1
    while end < len(lines) and lines[end].strip():
        end += 1
    block = pofile.render_entry(entry, WRAP_WIDTH).rstrip("\n").split("\n")
    candidate = "\n".join(lines[:start] + block + lines[end:])
    if render_catalog(polib.pofile(candidate, wrapwidth=WRAP_WIDTH)) == render_catalog(po):
        return candidate
    return render_catalog(po)
