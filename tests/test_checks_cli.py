"""`medloc check` and the check step of `medloc build`, in a temporary copy of the project."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.catalog import read_catalog, write_catalog
from pipeline.cli import main

ENGLISH = "After 24 hours, slowly return to your regular activities."
WRONG = "Después de 42 horas, vuelva poco a poco a sus actividades habituales."


def _translate(root: Path, msgid: str, msgstr: str, fuzzy: bool = False) -> int:
    """Give MSGID a translation in the Spanish catalog; return the entry's line."""
    path = root / "locales/es/vertebroplasty.po"
    po = read_catalog(path)
    entry = po.find(msgid)
    entry.msgstr = msgstr
    entry.flags = ["fuzzy"] if fuzzy else []
    write_catalog(po, path)
    return read_catalog(path).find(msgid).linenum


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted((root / "locales").rglob("*")) if p.is_file()}


def test_no_errors_exit_0_and_nothing_written(project_copy, capsys):
    before = _snapshot(project_copy)
    assert main(["-C", str(project_copy), "check", "-l", "es"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith("medloc check: 0 error(s)")
    assert _snapshot(project_copy) == before


def test_an_error_exits_1_with_file_line_and_both_texts(project_copy, capsys):
    line = _translate(project_copy, ENGLISH, WRONG)
    assert main(["-C", str(project_copy), "check", "-l", "es"]) == 1
    lines = capsys.readouterr().out.splitlines()
    at = lines.index(next(l for l in lines if l.startswith(f"locales/es/vertebroplasty.po:{line}: error numbers:")))
    assert lines[at + 1] == f"    en: {ENGLISH}" and lines[at + 2] == f"    es: {WRONG}"
    assert "missing 24" in lines[at] and "42" in lines[at]


def test_json_and_github_formats(project_copy, capsys):
    line = _translate(project_copy, ENGLISH, WRONG)
    assert main(["-C", str(project_copy), "check", "-l", "es", "--format", "json"]) == 1
    records = json.loads(capsys.readouterr().out)["findings"]
    errors = [r for r in records if r["blocking"]]
    assert [(r["file"], r["line"], r["check"], r["msgstr"]) for r in errors] == [
        ("locales/es/vertebroplasty.po", line, "numbers", WRONG)]
    assert main(["-C", str(project_copy), "check", "-l", "es", "--format", "github"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert any(l.startswith(f"::error file=locales/es/vertebroplasty.po,line={line},title=medloc numbers::")
               for l in out)


def test_errors_in_machine_drafts_do_not_fail_check_or_build(project_copy, capsys):
    _translate(project_copy, ENGLISH, WRONG, fuzzy=True)
    assert main(["-C", str(project_copy), "check", "-l", "es"]) == 0
    out = capsys.readouterr().out
    assert "warning numbers:" in out and "an error once the fuzzy flag is cleared" in out
    _translate(project_copy, ENGLISH, WRONG)
    assert main(["-C", str(project_copy), "build", "-l", "zh_Hans", "-l", "es"]) == 0
    err = capsys.readouterr().err
    assert "check ..." in err and "numbers 1 (error)" in err


def _configure(root: Path, table: str) -> None:
    with (root / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write(f"\n[tool.medloc.checks]\n{table}\n")


def test_severity_is_configurable(project_copy, capsys):
    _translate(project_copy, ENGLISH, WRONG)
    _configure(project_copy, 'severity = { numbers = "warning", untranslated = "off" }')
    assert main(["-C", str(project_copy), "check", "-l", "es"]) == 0
    out = capsys.readouterr().out
    assert "warning numbers:" in out and "untranslated" not in out


@pytest.mark.parametrize("table, says", [
    ('severity = { "no-such-check" = "error" }', "no check named 'no-such-check'"),
    ('severity = { numbers = "fatal" }', "must be one of error, warning, off"),
    ("length_ratio = { es = [2.0, 1.0] }", "0 < low < high"),
    ("max_words = 3", "unknown key(s) max_words"),
])
def test_bad_settings_exit_2(project_copy, capsys, table, says):
    _configure(project_copy, table)
    assert main(["-C", str(project_copy), "check"]) == 2
    assert says in capsys.readouterr().err


def test_unreadable_catalog_exits_2(project_copy, capsys):
    path = project_copy / "locales/es/vertebroplasty.po"
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "x"\nmsgstr "unterminated\n', encoding="utf-8")
    assert main(["-C", str(project_copy), "check", "-l", "es"]) == 2
    assert "locales/es/vertebroplasty.po" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_a_catalog_msgfmt_rejects_among_accepted_ones_is_reported_at_its_line(project_copy, capsys):
    """msgfmt judges the catalogs in batches; the rejected one is run alone, so the message names its line."""
    path = project_copy / "locales/es/vertebroplasty.po"
    po = read_catalog(path)
    entry = po.find(ENGLISH)
    entry.msgstr, entry.flags = "Después de %d horas, vuelva a sus actividades.", ["c-format"]
    write_catalog(po, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    start = read_catalog(path).find(ENGLISH).linenum
    msgstr_line = next(n for n in range(start, len(lines) + 1) if lines[n - 1].startswith("msgstr"))
    assert main(["-C", str(project_copy), "check"]) == 1
    reported = [line for line in capsys.readouterr().out.splitlines() if " msgfmt: " in line]
    assert reported == [f"locales/es/vertebroplasty.po:{msgstr_line}: error msgfmt: msgfmt --check: number of "
                        f"format specifications in 'msgid' and 'msgstr' does not match; fix the entry at this line"]
