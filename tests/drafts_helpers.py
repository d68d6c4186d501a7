"""Helpers shared by the drafting tests: settings in a project copy, reading its catalog."""

from __future__ import annotations

import re
from pathlib import Path

import polib

from pipeline.cli import main
from pipeline.markers import DRAFT, WARNING, entry_state


def set_drafts(root: Path, **values: object) -> None:
    """Put VALUES into [tool.medloc.drafts] of ROOT/pyproject.toml (table created if missing)."""
    path = root / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    lines = []
    for key, value in values.items():
        rendered = ("true" if value else "false") if isinstance(value, bool) else (
            f'"{value}"' if isinstance(value, str) else str(value))
        lines.append(f"{key} = {rendered}")
    header = "[tool.medloc.drafts]"
    if header in text:
        text = text.replace(header, header + "\n" + "\n".join(lines), 1)
    else:
        text = text.rstrip("\n") + "\n\n" + header + "\n" + "\n".join(lines) + "\n"
    path.write_text(text, encoding="utf-8")


def set_engine(root: Path, locale: str, engine: str) -> None:
    path = root / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    text, count = re.subn(rf'(?m)^{locale} = "[^"]*"', f'{locale} = "{engine}"', text)
    assert count == 1
    path.write_text(text, encoding="utf-8")


def catalog(root: Path, locale: str = "es", doc: str = "vertebroplasty") -> polib.POFile:
    return polib.pofile(str(root / "locales" / locale / f"{doc}.po"))


def active(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def run(root: Path, *args: str) -> int:
    return main(["-C", str(root), *args])


def clear_drafts(root: Path) -> None:
    """Empty every unreviewed machine draft in ROOT's catalogs, as before the first `medloc draft`."""
    for path in sorted((root / "locales").glob("*/*.po")):
        po = polib.pofile(str(path), wrapwidth=78)
        for entry in po:
            if not entry.obsolete and entry_state(entry) == "machine-draft":
                entry.msgstr = ""
                entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
                entry.tcomment = "\n".join(line for line in entry.tcomment.split("\n")
                                           if not line.startswith((DRAFT, WARNING)))
        po.save(str(path))
