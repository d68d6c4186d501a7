"""Bad input gets a clear error naming file and line, exit code 2, and writes nothing.

Each case installs one file of the corpus in tests/badinput/ into a temporary copy of the
project (already built, so a correct run would have nothing to write) and runs the CLI.
The expected line is found by reading the corpus file: the first line holding a given text.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.cli import main

CORPUS = Path(__file__).resolve().parent / "badinput"
DOC = "vertebroplasty"
CATALOG = f"locales/es/{DOC}.po"
SOURCE = f"source/{DOC}.md"
PYPROJECT = "pyproject.toml"


@dataclass(frozen=True)
class Case:
    name: str  # file in tests/badinput/
    target: str  # where it is installed in the project
    command: tuple[str, ...]
    at: str | int | None  # text on the reported line, a line number, or None when no line applies
    says: str  # part of the message


CASES = [
    Case("po-unterminated-string.po", CATALOG, ("update",), 'msgstr "Descripción', "not terminated"),
    Case("po-bad-escape.po", CATALOG, ("update",), "\\qn", "invalid escape sequence"),
    Case("po-wrong-charset.po", CATALOG, ("update",), "Descripci", "not valid UTF-8"),
    Case("po-declares-latin1.po", CATALOG, ("update",), "Content-Type:", "charset=UTF-8"),
    Case("po-duplicate-msgid.po", CATALOG, ("update",), "# A second entry", "duplicate entry"),
    Case("po-not-a-catalog.po", CATALOG, ("update",), "not gettext syntax", "unexpected text"),
    Case("md-no-metadata.md", SOURCE, ("build",), 1, "metadata header"),
    Case("md-malformed-metadata.md", SOURCE, ("build",), "no key", "metadata header line"),
    Case("md-missing-review-date.md", SOURCE, ("build",), 1, "Review-Date"),
    Case("md-bad-review-date.md", SOURCE, ("build",), "Review-Date:", "YYYY-MM-DD"),
    Case("md-unknown-metadata-key.md", SOURCE, ("build",), "Reviwed-By", "unknown metadata key"),
    Case("md-duplicate-metadata-key.md", SOURCE, ("build",), "Title: Again", "given twice"),
    Case("md-not-utf8.md", SOURCE, ("build",), "## Riesgos", "not valid UTF-8"),
    Case("md-binary.md", SOURCE, ("build",), 3, "binary data"),
    Case("md-control-character.md", SOURCE, ("build",), "\x01javascript", "control character U+0001"),
    Case("md-empty.md", SOURCE, ("build",), 1, "empty"),
    Case("md-header-only.md", SOURCE, ("build",), 7, "no translatable content"),
    Case("md-front-matter-not-yaml.md", SOURCE, ("build",), "updated_by: [", "front matter is not valid YAML"),
    Case("md-front-matter-unclosed.md", SOURCE, ("build",), 1, "never closed with a `---` line"),
    Case("md-front-matter-no-review-date.md", SOURCE, ("build",), 1, "missing required metadata `Review-Date:`"),
    Case("md-script-in-html.md", SOURCE, ("build",), '<div class="note">', "HTML tag <script> (script)"),
    Case("md-event-handler-in-html.md", SOURCE, ("build",), "onmouseover", "event handler onmouseover="),
    Case("md-javascript-url-in-html.md", SOURCE, ("build",), "javascript:alert", "javascript: URL in href="),
    Case("pyproject-unknown-locale.toml", PYPROJECT, ("build",), "locales =", "unknown locale code 'xx_Nowhere'"),
    Case("pyproject-locale-path.toml", PYPROJECT, ("build",), "locales =", "invalid locale code '../../etc'"),
    Case("pyproject-engine-for-unknown-locale.toml", PYPROJECT, ("build",), "klingon", "'klingon' is not one of"),
    Case("pyproject-not-toml.toml", PYPROJECT, ("build",), None, "not valid TOML"),
]


def line_of(case: Case) -> int | None:
    if case.at is None or isinstance(case.at, int):
        return case.at
    lines = (CORPUS / case.name).read_bytes().split(b"\n")
    needle = case.at.encode("utf-8")
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every project file but build/cache/ (derived values a refused run may still have computed)."""
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file() and not p.relative_to(root).as_posix().startswith("build/cache/")}


@pytest.fixture
def built(project_copy, monkeypatch) -> Path:
    """An up-to-date project: any write by a failing run would show in the snapshot."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert main(["-C", str(project_copy), "build"]) in (0, 1)
    return project_copy


def run_refused(root: Path, args: list[str], capsys) -> str:
    """Run the CLI; it must exit 2 and change nothing. Returns its error output."""
    capsys.readouterr()
    before = snapshot(root)
    code = main(["-C", str(root), *args])
    err = capsys.readouterr().err
    assert code == 2, err
    assert snapshot(root) == before
    return err


def test_corpus_and_table_agree():
    assert sorted([case.name for case in CASES] + ["po-plural-mismatch.po"]) == sorted(
        p.name for p in CORPUS.iterdir() if p.name != "README.md")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_is_refused_with_file_and_line(built, capsys, case):
    (built / case.target).write_bytes((CORPUS / case.name).read_bytes())
    err = run_refused(built, list(case.command), capsys)
    shown = str(built / PYPROJECT) if case.target == PYPROJECT else case.target
    line = line_of(case)
    where = f"{shown}:{line}: error:" if line else f"{shown}: error:"
    assert where in err
    assert case.says in err


def test_plural_forms_mismatch_is_a_check_finding(built, capsys):
    """A wrong Plural-Forms header still parses; `medloc check` reports it (exit 1) and writes nothing."""
    name = "po-plural-mismatch.po"
    (built / CATALOG).write_bytes((CORPUS / name).read_bytes())
    capsys.readouterr()
    before = snapshot(built)
    code = main(["-C", str(built), "check", "-l", "es"])
    out = capsys.readouterr()
    assert code == 1
    assert snapshot(built) == before
    line = line_of(Case(name, CATALOG, (), "Plural-Forms:", ""))
    report = out.out + out.err
    assert f"{CATALOG}:{line}:" in report
    assert "Plural-Forms" in report


@pytest.mark.parametrize("args", [
    ["update", "../pyproject"],
    ["extract", "source/vertebroplasty"],
    ["build", ".."],
    ["publish", f"{DOC}/../../{DOC}"],
    ["update", "/etc/passwd"],
])
def test_document_names_with_folders_are_refused(built, capsys, args):
    assert "invalid document name" in run_refused(built, args, capsys)


@pytest.mark.parametrize("locale", ["xx", "../es", "es/../../etc"])
def test_unconfigured_locale_on_the_command_line_is_refused(built, capsys, locale):
    assert "is not configured" in run_refused(built, ["update", "-l", locale], capsys)


def _with_paragraph(built: Path, paragraph: str) -> int:
    """Put PARAGRAPH after the source's first heading; returns its first line."""
    path = built / SOURCE
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(n for n, line in enumerate(lines) if line.startswith("## ")) + 1
    lines[at:at] = ["", paragraph]
    path.write_text("\n".join(lines), encoding="utf-8")
    return at + 2


def test_enormous_source_line_is_refused_quickly(built, capsys):
    line = _with_paragraph(built, "The spine bone collapses. " * 200_000)  # 5.2 MB on one line
    started = time.monotonic()
    err = run_refused(built, ["build"], capsys)
    assert time.monotonic() - started < 10
    assert f"{SOURCE}:{line}: error: line of 5200000 characters" in err


def test_enormous_paragraph_over_many_lines_is_refused(built, capsys):
    line = _with_paragraph(built, "\n".join(["The spine bone collapses again."] * 2000))
    err = run_refused(built, ["build"], capsys)
    assert f"{SOURCE}:{line}: error: paragraph longer than" in err


def test_enormous_translation_in_a_catalog_is_handled(built):
    """A 4 MB msgstr is valid PO: update keeps it, in reasonable time."""
    path = built / CATALOG
    huge = "Vertebroplastia " * 250_000
    text, count = re.subn(r'^msgid "Vertebroplasty"\nmsgstr ".*"$', f'msgid "Vertebroplasty"\nmsgstr "{huge}"',
                          path.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE)
    assert count == 1
    path.write_text(text, encoding="utf-8")
    started = time.monotonic()
    assert main(["-C", str(built), "update", "-l", "es"]) == 0
    assert time.monotonic() - started < 30
    assert huge in path.read_text(encoding="utf-8").replace('"\n"', "")
