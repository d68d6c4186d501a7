"""Catalog validity: headers that agree with Babel, and GNU msgfmt's own verdict.

Parsing, UTF-8 and duplicate entries are checked when the catalog is read
(`pipeline.catalog.read_catalog`); a catalog that fails those is unreadable input (exit 2).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pipeline.catalog import locale_header
from pipeline.checks.base import ERROR, CatalogContext, catalog_check
from pipeline.state import DerivedStore

MSGFMT_TIMEOUT = 60
MSGFMT_BATCH = 64  # catalogs per msgfmt run in `accept_in_batches`
_DOMAIN_DIRECTIVE = re.compile(rb"^[ \t]*domain\b", re.MULTILINE)


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
    key = cat.store and _accepted_key(cat.store, _judge(program), cat.path.read_bytes())
    if key and cat.store.get_many([key]):
        return  # these very bytes were accepted before (alone or in a batch)
    try:
        result = subprocess.run([program, "--check", "-o", "/dev/null", str(cat.path)],
                                capture_output=True, text=True, timeout=MSGFMT_TIMEOUT)
    except subprocess.TimeoutExpired:
        yield 1, f"msgfmt --check did not finish within {MSGFMT_TIMEOUT} s"
        return
    if result.returncode == 0:
        if key:
            cat.store.add(key, True)
            cat.store.flush()
        return
    prefix = re.compile(rf"^{re.escape(str(cat.path))}:(\d+):\s*")
    problems = [(int(m.group(1)), raw[m.end():]) for raw in result.stderr.splitlines()
                if (m := prefix.match(raw)) and not raw[m.end():].startswith("warning:")]
    for line, problem in problems or [(1, result.stderr.strip() or f"exit status {result.returncode}")]:
        yield line, f"msgfmt --check: {problem}; fix the entry at this line"


def accept_in_batches(paths: list[Path], store: DerivedStore, jobs: int) -> None:
    """Record in STORE which catalogs of PATHS GNU `msgfmt --check` accepts, many per msgfmt run.

    Starting msgfmt costs more than checking a whole catalog. A batch is one file in which each
    catalog is its own `domain`, so msgfmt checks each one's header and duplicates apart, as if
    run on it alone. Only a batch accepted whole is recorded; every catalog of any other batch is
    left to the `msgfmt` check, which runs msgfmt on it alone and reports messages at its lines.
    """
    program = shutil.which("msgfmt")
    if program is None:
        return
    judge = _judge(program)
    # Keys only: a batch reads its catalogs again, so memory does not grow with the corpus.
    keys = {path: _accepted_key(store, judge, path.read_bytes()) for path in paths}
    known = store.get_many(list(keys.values()))
    todo = [path for path, key in keys.items() if key not in known]
    batches = [todo[start:start + MSGFMT_BATCH] for start in range(0, len(todo), MSGFMT_BATCH)]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for accepted in pool.map(lambda batch: _accepted_whole(program, judge, store, batch), batches):
            for key in accepted:
                store.add(key, True)
    store.flush()


def _accepted_whole(program: str, judge: str, store: DerivedStore, batch: list[Path]) -> list[str]:
    """The keys of BATCH's catalogs if msgfmt accepts them all in one run, else none."""
    contents = [path.read_bytes() for path in batch]
    if any(_DOMAIN_DIRECTIVE.search(data) for data in contents):
        return []  # a catalog with its own domains cannot be told apart in a batch
    with tempfile.TemporaryDirectory(prefix="medloc-msgfmt-") as folder:
        Path(folder, "batch.po").write_bytes(
            b"".join(b'domain "c%d"\n%s\n\n' % (number, data) for number, data in enumerate(contents)))
        try:  # with domains, msgfmt writes one c<N>.mo per catalog into its working folder
            result = subprocess.run([program, "--check", "batch.po"], cwd=folder, capture_output=True,
                                    timeout=MSGFMT_TIMEOUT)
        except subprocess.TimeoutExpired:
            return []
    return [_accepted_key(store, judge, data) for data in contents] if result.returncode == 0 else []


def _judge(program: str) -> str:
    """Names the msgfmt binary at PROGRAM, so that an upgraded msgfmt judges every catalog again."""
    binary = os.stat(program)
    return f"{program} {binary.st_size} {binary.st_mtime_ns}"


def _accepted_key(store: DerivedStore, judge: str, data: bytes) -> str:
    """Names catalog bytes DATA as accepted by the msgfmt JUDGE (`_judge`)."""
    return store.key(f"msgfmt accepts\0{judge}\0{hashlib.blake2b(data, digest_size=16).hexdigest()}")
