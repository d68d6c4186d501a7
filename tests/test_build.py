"""End to end through the command line, in temporary copies of the project."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "data" / "seed_vertebroplasty.txt"
SITE_CHROME = ("To use the sharing features", "Browse the Encyclopedia")


@pytest.fixture(autouse=True)
def pinned_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def run(root: Path, *args: str) -> int:
    return main(["-C", str(root), *args])


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file() and "cache" not in p.parts and not p.name.startswith(".")
    }


def test_second_build_changes_no_byte_and_rewrites_nothing(project_copy):
    assert run(project_copy, "build") == 0
    first = snapshot(project_copy)
    assert run(project_copy, "build") == 0
    assert snapshot(project_copy) == first


def test_committed_outputs_are_what_build_produces(project_copy):
    """The repository's catalogs and English outputs are up to date with its source."""
    assert run(project_copy, "extract") == 0
    assert run(project_copy, "update") == 0
    assert run(project_copy, "publish") == 0
    for rel in ["locales/templates/vertebroplasty.pot", "reviewed/en/vertebroplasty.html", "reviewed/en/vertebroplasty.txt"]:
        assert (project_copy / rel).read_bytes() == (ROOT / rel).read_bytes(), rel


def fill_every_catalog(root: Path) -> dict[str, dict[str, str]]:
    """Give every unit a (fake, test-only) human translation; returns locale -> msgid -> msgstr."""
    filled = {}
    for path in sorted((root / "locales").glob("*/vertebroplasty.po")):
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = f"[{path.parent.name}] {entry.msgid}"
            entry.flags = []
            entry.tcomment = ""
        po.save(str(path))
        filled[path.parent.name] = {e.msgid: e.msgstr for e in po}
    return filled


def test_editing_one_english_sentence_makes_exactly_that_unit_fuzzy(project_copy):
    assert run(project_copy, "extract") == 0 and run(project_copy, "update") == 0
    before = fill_every_catalog(project_copy)
    old = "You should not drive, unless your provider says it is OK."
    new = "You should not drive, unless your provider says it is safe."
    source = project_copy / "source" / "vertebroplasty.md"
    text = source.read_text()
    assert text.count("unless your provider says it is OK.") == 1
    source.write_text(text.replace("unless your provider says it is OK.", "unless your provider says it is safe."))
    assert run(project_copy, "extract") == 0 and run(project_copy, "update") == 0
    assert set(before) == {"es", "zh_Hans", "vi", "ar"}
    for locale, translations in before.items():
        po = polib.pofile(str(project_copy / "locales" / locale / "vertebroplasty.po"))
        fuzzy = [e for e in po if "fuzzy" in e.flags]
        assert [(e.msgid, e.previous_msgid, e.msgstr) for e in fuzzy] == [(new, old, translations[old])]
        kept = {e.msgid: e.msgstr for e in po if "fuzzy" not in e.flags}
        assert kept == {k: v for k, v in translations.items() if k != old}
        assert po.obsolete_entries() == []  # msgmerge keeps no obsolete copy of a fuzzy source


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_every_catalog_passes_msgfmt_check(project_copy):
    assert run(project_copy, "build") == 0
    catalogs = sorted((project_copy / "locales").rglob("*.po*"))
    assert len(catalogs) == 5
    for path in catalogs:
        result = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        if path.suffix == ".po":
            assert result.stderr == "", result.stderr  # no header warnings in locale catalogs


def words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9']+", text)


def test_english_text_contains_every_sentence_and_pmid_of_the_seed():
    seed = SEED.read_text()
    content = [line for line in seed.splitlines() if not any(chrome in line for chrome in SITE_CHROME)]
    seed_words = words(" ".join(content))
    output = (ROOT / "reviewed" / "en" / "vertebroplasty.txt").read_text()
    out_words = words(output)
    # The seed's words appear in the output in the same order (the output only adds labels).
    position = 0
    for word in seed_words:
        if word in ("7", "13", "2015") and "Review Date: 7/13/2015" in output:
            continue
        position = out_words.index(word, position) + 1
    for pmid in re.findall(r"PMID: (\d+)", seed):
        assert f"PMID: {pmid}" in output
    assert not any(chrome in output for chrome in SITE_CHROME)
    added = len(out_words) - len(seed_words)
    assert added < 15, f"output adds {added} words beyond labels"


def test_bad_source_is_an_error_naming_file_and_line_and_writes_nothing(project_copy, capsys):
    assert run(project_copy, "build") == 0
    before = snapshot(project_copy)
    source = project_copy / "source" / "vertebroplasty.md"
    source.write_text(source.read_text().replace("Review-Date: 2015-07-13", "Review-Date: July 13"))
    before["source/vertebroplasty.md"] = snapshot(project_copy)["source/vertebroplasty.md"]
    assert run(project_copy, "build") == 2
    assert "source/vertebroplasty.md:2: error: Review-Date 'July 13' is not a date" in capsys.readouterr().err
    assert snapshot(project_copy) == before


@pytest.mark.parametrize("setting, message", [
    ('locales = ["es", "xx_Nope"]', "unknown locale code 'xx_Nope'"),
    ('sourcee = "src"', "unknown key(s) sourcee"),
    ('locales = "es"', "must be a non-empty list"),
])
def test_bad_settings_are_errors_naming_pyproject(project_copy, capsys, setting, message):
    pyproject = project_copy / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("[tool.medloc]\n", f"[tool.medloc]\n{setting}\n", 1)
                         .replace('locales = ["es", "zh_Hans", "vi", "ar"]\n', "", 1 if "locales" in setting else 0))
    assert run(project_copy, "build") == 2
    err = capsys.readouterr().err
    assert re.search(r"pyproject.toml(:\d+)?: error: \[tool.medloc\]", err) and message in err


@pytest.mark.parametrize("args, message", [
    (["update", "-l", "fr"], "locale 'fr' is not configured"),
    (["extract", "../etc/passwd"], "invalid document name"),
    (["extract", "missing"], "no such document 'missing'"),
])
def test_bad_arguments_exit_2_with_a_clear_message(project_copy, capsys, args, message):
    assert run(project_copy, *args) == 2
    assert message in capsys.readouterr().err


def test_python_dash_m_pipeline_and_help():
    result = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0
    assert "medloc build" in result.stdout and "extract" in result.stdout
