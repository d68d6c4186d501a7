"""Catalog validity: headers that agree with Babel, and GNU msgfmt's own verdict.

Parsing, UTF-8 and duplicate entries are checked when the catalog is read
(`pipeline.catalog.read_catalog`); a catalog that fails those is unreadable input (exit 2).
"""

from __future__ import annotations

import re
import shutil
import subprocess

from pipeline.catalog import locale_header
from pipeline.checks.base import ERROR, CatalogContext, catalog_check

MSGFMT_TIMEOUT = 60


@catalog_check("catalog-header", ERROR)
def header(cat: CatalogContext):
    """The header's Language and Plural-Forms must match the catalog's locale (Babel's CLDR data)."""
    expected = locale_header(cat.locale)
    for field in ("Language", "Plural-Forms"):
        found = cat.po.metadata.get(field, "")
        if found.strip() != expected[field]:
            yield (cat.line_of(rf'^"{field}:'),
                   f"header {field} is {found!r} but {cat.locale} needs {expected[field]!r}; "
                   f"fix the header line or run `medloc update`, which writes it")


@catalog_check("msgfmt", ERROR)
def msgfmt(cat: CatalogContext):
    """GNU `msgfmt --check` must accept the catalog (skipped when gettext is not installed)."""
    program = shutil.which("msgfmt")
    if program is None:
        return
    try:
        result = subprocess.run([program, "--check", "-o", "/dev/null", str(cat.path)],
                                capture_output=True, text=True, timeout=MSGFMT_TIMEOUT)
    except subprocess.TimeoutExpired:
        yield 1, f"msgfmt --check did not finish within {MSGFMT_TIMEOUT} s"
        return
    if result.returncode == 0:
        return
    prefix = re.compile(rf"^{re.escape(str(cat.path))}:(\d+):\s*")
    problems = [(int(m.group(1)), raw[m.end():]) for raw in result.stderr.splitlines()
                if (m := prefix.match(raw)) and not raw[m.end():].startswith("warning:")]
    for line, problem in problems or [(1, result.stderr.strip() or f"exit status {result.returncode}")]:
        yield line, f"msgfmt --check: {problem}; fix the entry at this line"
