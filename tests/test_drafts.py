"""Drafting: protection, translation memory, Apertium end to end, never touching human work."""

from __future__ import annotations

import importlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline.drafts as drafts
from drafts_helpers import clear_drafts, active, catalog, run, set_engine
from pipeline.drafts.apertium import installed_modes
from pipeline.drafts.engine import batches
from pipeline.drafts.progress import Progress
from pipeline.drafts.protect import protect, restore
from pipeline.glossary import Term
from pipeline.inline import parse, tag_numbers, to_compact
from pipeline.markers import draft_marker, entry_state, warnings

HAVE_APERTIUM = "eng-spa" in installed_modes()
needs_apertium = pytest.mark.skipif(not HAVE_APERTIUM, reason="apertium eng-spa is not installed")


@pytest.fixture(autouse=True)
def _no_drafts_yet(request):
    """The repository's catalogs hold drafts from `medloc build`; these tests start before them."""
    if "project_copy" in request.fixturenames:
        clear_drafts(request.getfixturevalue("project_copy"))


# ---------------------------------------------------------------- protect


def test_protect_replaces_urls_units_and_kept_terms_and_restore_puts_them_back():
    msgid, tags = to_compact(parse("Take **5 mg** of warfarin daily; see https://example.org/a?b=1 or <2/>."))
    keep = [Term("warfarin", "warfarin", True)]
    protected = protect(msgid, keep)
    for original in ("5 mg", "warfarin", "https://example.org/a?b=1"):
        assert original not in protected.text
        assert original in protected.slots.values()
    assert tag_numbers(msgid) == [t for t in tag_numbers(protected.text) if t in tag_numbers(msgid)]
    # an engine that reorders words but keeps every placeholder
    reordered = " ".join(reversed(protected.text.split(" ")))
    text, problems = restore(reordered, protected, tags)
    assert problems == []
    for original in ("5 mg", "warfarin", "https://example.org/a?b=1", "<1>", "</1>"):
        assert original in text


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["Take ", "5", "9", " mg", "2.5mg", " 10 %", "HTTP://", "https://a.org/x", "WWW.", "nih.gov",
                                 "@", "ann@", "b.org", "x@y.z", "warfarin", "Warfarin ", "<1>", "</1>", "<2/>", " ", ".", "é"]),
                max_size=12).map("".join))
def test_protect_finds_the_same_with_and_without_its_prefilter(msgid):
    """protect skips the patterns a unit cannot match (no digit: no number with a unit); that
    must never change what it protects."""
    protect_module = importlib.import_module("pipeline.drafts.protect")  # the package's `protect` is the function

    keep = [Term("warfarin", "warfarin", True)]
    quick = protect(msgid, keep)
    with pytest.MonkeyPatch.context() as patched:
        always = re.compile("")
        patched.setattr(protect_module, "_NEEDS", tuple((kind, always) for kind, _ in protect_module._NEEDS))
        assert protect(msgid, keep) == quick


@pytest.mark.parametrize("damage", [
    lambda s: s.replace("<1>", "< 1 >"),  # spaces inside a tag
    lambda s: s.replace("</1>", ""),  # a lost closing tag
    lambda s: re.sub(r"<(\d+)/>", "", s, count=1),  # a lost placeholder
    lambda s: s + " <3/>",  # a duplicated placeholder
    lambda s: s.replace("<1>", "<7>"),  # a renumbered tag
])
def test_restore_discards_any_damage(damage):
    msgid, tags = to_compact(parse("See the **leaflet** at https://example.org/x and take 10 mL."))
    protected = protect(msgid, [])
    assert len(protected.slots) == 2
    text, problems = restore(damage(protected.text), protected, tags)
    assert text == "" and problems


def test_protect_leaves_plain_numbers_and_words_alone():
    protected = protect("1 in 3 people have 2 children at home.", [])
    assert protected.slots == {}
    assert protected.text == "1 in 3 people have 2 children at home."


def test_restore_collapses_the_gap_an_engine_leaves_for_a_dropped_word():
    protected = protect("If you have <1>pain</1>.", [])
    assert restore("Si  tienes <1>dolor</1>. ", protected)[0] == "Si tienes <1>dolor</1>."


def test_batches_respect_unit_and_character_limits():
    texts = [f"unit {i} " + "x" * (i % 7) for i in range(23)]
    groups = list(batches(texts, 5, 40))
    assert [t for g in groups for t in g] == texts
    assert all(len(g) <= 5 and sum(len(t) + 1 for t in g) <= 40 for g in groups)


# ---------------------------------------------------------------- stage with a scripted engine


@dataclass
class ScriptedEngine:
    """A stand-in engine (the stage is under test here): upper-cases text, may run a side effect."""

    side_effect: object = None
    name: str = "scripted"
    origin: str = "scripted 1.0"
    cache_key: str = "scripted 1.0"
    pair: str = "en-es"
    max_units: int = 100
    max_chars: int = 100_000
    calls: int = 0

    def translate(self, texts):
        self.calls += 1
        if self.side_effect:
            self.side_effect()
        return [re.sub(r"[a-z]+", lambda m: m.group(0).upper(), text) for text in texts]


@pytest.fixture
def scripted(monkeypatch):
    engine = ScriptedEngine()
    monkeypatch.setitem(drafts.ENGINES, "scripted", lambda locale, settings: engine)
    monkeypatch.setattr(drafts, "engine_names", lambda: ["scripted", "none", "memory-only"])
    return engine


def _prefill(root, translations: dict[int, tuple[str, bool]]):
    """Give entries (by index) a human translation, fuzzy or not; returns their msgids."""
    po = catalog(root)
    entries = active(po)
    for index, (text, fuzzy) in translations.items():
        entries[index].msgstr = text
        if fuzzy:
            entries[index].flags.append("fuzzy")
    po.save()
    return [entries[i].msgid for i in translations]


def test_human_translations_are_never_touched(project_copy, scripted):
    ids = _prefill(project_copy, {0: ("Vertebroplastia", False), 3: ("Descripción vieja", True)})
    assert run(project_copy, "draft", "-l", "es", "--engine", "scripted") == 0
    by_id = {e.msgid: e for e in active(catalog(project_copy))}
    assert by_id[ids[0]].msgstr == "Vertebroplastia" and not by_id[ids[0]].tcomment
    assert by_id[ids[1]].msgstr == "Descripción vieja" and draft_marker(by_id[ids[1]]) is None
    for msgid, entry in by_id.items():
        if msgid not in ids:
            assert entry_state(entry) == "machine-draft"
            assert draft_marker(entry).origin == "scripted 1.0"


def test_concurrent_edit_is_kept(project_copy, scripted):
    path = project_copy / "locales" / "es" / "vertebroplasty.po"
    target = active(catalog(project_copy))[5].msgid

    def translator_saves():
        po = polib.pofile(str(path))
        next(e for e in po if e.msgid == target).msgstr = "Traducción de una persona"
        po.save()

    scripted.side_effect = translator_saves
    assert run(project_copy, "draft", "-l", "es", "--engine", "scripted") == 0
    entries = active(catalog(project_copy))
    edited = next(e for e in entries if e.msgid == target)
    assert edited.msgstr == "Traducción de una persona" and draft_marker(edited) is None
    assert all(e.msgstr for e in entries)
    assert sum(1 for e in entries if draft_marker(e)) == len(entries) - 1


def test_translation_memory_exact_and_close_matches(project_copy, scripted):
    units = [e.msgid for e in active(catalog(project_copy))]
    exact, close = units[4], units[5]
    altered = close.replace(".", " today.")  # close to the English of `close`
    other = polib.POFile()
    other.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    other.append(polib.POEntry(msgid=exact, msgstr="Traducción humana exacta"))
    other.append(polib.POEntry(msgid=altered, msgstr="Traducción humana parecida"))
    other.append(polib.POEntry(msgid=units[6], msgstr="Un borrador", flags=["fuzzy"]))  # not memory
    other.save(str(project_copy / "locales" / "es" / "other.po"))
    assert run(project_copy, "draft", "-l", "es", "vertebroplasty", "--engine", "scripted") == 0
    by_id = {e.msgid: e for e in active(catalog(project_copy))}
    assert by_id[exact].msgstr == "Traducción humana exacta"
    assert draft_marker(by_id[exact]).origin == "memory 100% locales/es/other.po"
    assert by_id[close].msgstr == "Traducción humana parecida"
    assert re.fullmatch(r"memory 9\d% locales/es/other\.po", draft_marker(by_id[close]).origin)
    assert any(w.startswith("memory 9") for w in warnings(by_id[close]))
    assert draft_marker(by_id[units[6]]).origin == "scripted 1.0"


def test_none_engine_leaves_units_empty(project_copy):
    before = (project_copy / "locales" / "vi" / "vertebroplasty.po").read_bytes()
    assert run(project_copy, "draft", "-l", "vi") == 0
    assert (project_copy / "locales" / "vi" / "vertebroplasty.po").read_bytes() == before


def test_unknown_engine_is_a_usage_error(project_copy):
    set_engine(project_copy, "es", "babelfish")
    assert run(project_copy, "draft", "-l", "es") == 2


# ---------------------------------------------------------------- Apertium


@needs_apertium
def test_apertium_drafts_every_unit_and_second_run_changes_nothing(project_copy, capsys):
    assert run(project_copy, "draft", "-l", "es") == 0
    path = project_copy / "locales" / "es" / "vertebroplasty.po"
    po = catalog(project_copy)
    for entry in active(po):
        assert entry.msgstr and entry_state(entry) == "machine-draft"
        assert re.fullmatch(r"apertium eng-spa \S+", draft_marker(entry).origin)
        assert sorted(tag_numbers(entry.msgstr)) == sorted(tag_numbers(entry.msgid))
    first = capsys.readouterr().err
    assert "0 engine call(s)" not in first
    data, mtime = path.read_bytes(), path.stat().st_mtime_ns
    assert run(project_copy, "draft", "-l", "es") == 0
    assert path.read_bytes() == data and path.stat().st_mtime_ns == mtime
    assert "0 engine call(s)" in capsys.readouterr().err


@needs_apertium
def test_apertium_batch_translates_like_single_units(project_copy):
    from pipeline.drafts.apertium import create
    engine = create("es", dict(drafts.DEFAULTS))
    units = [e.msgid for e in active(catalog(project_copy))][:12]
    batch = engine.translate(units)
    assert engine.calls == 1
    assert batch == [engine.translate([unit])[0] for unit in units]


@needs_apertium
def test_glossary_terms_kept_and_required_terms_warned(project_copy):
    (project_copy / "locales" / "es" / "glossary.tsv").write_text(
        "# english\ttarget\tnote\nVertebroplasty\t=\tprocedure name\nanesthesia\tanestesiología\ttest term\n",
        encoding="utf-8")
    assert run(project_copy, "draft", "-l", "es") == 0
    for entry in active(catalog(project_copy)):
        if re.search(r"(?i)\bvertebroplasty\b", entry.msgid):
            assert "Vertebroplasty" in entry.msgstr or "vertebroplasty" in entry.msgstr
        expected = ['glossary: "anesthesia" should be translated "anestesiología"'] \
            if re.search(r"(?i)\banesthesia\b", entry.msgid) and "anestesiología" not in entry.msgstr else []
        assert warnings(entry) == expected


def test_missing_apertium_is_reported_and_build_still_succeeds(project_copy, monkeypatch, capsys):
    monkeypatch.setattr("pipeline.drafts.apertium.installed_modes", lambda: [])  # as on a machine without it
    assert run(project_copy, "build") == 0
    assert "Apertium is not installed" in capsys.readouterr().err
    assert not any(entry.msgstr for entry in active(catalog(project_copy)))
    assert run(project_copy, "draft", "-l", "es") == 1


def test_an_apertium_timeout_stops_its_whole_pipeline_and_leaves_no_scratch_files(tmp_path, monkeypatch):
    """The `apertium` shell script runs a pipeline and keeps scratch files in $TMPDIR; killing only
    the script would leave the pipeline running and the files behind. This stand-in does the same."""
    import os
    import tempfile
    import time

    from pipeline.drafts.apertium import ApertiumEngine
    from pipeline.drafts.engine import EngineError

    bin_dir, temp = tmp_path / "bin", tmp_path / "temp"
    bin_dir.mkdir()
    temp.mkdir()
    script = bin_dir / "apertium"
    script.write_text(f'#!/bin/sh\nmktemp "$TMPDIR/apertium.XXXXXXXX" > /dev/null\n'
                      f'sleep 30 &\necho $! > {tmp_path}/child.pid\nwait\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    started = time.monotonic()
    with pytest.raises(EngineError, match="gave no answer within 0.5 s"):
        ApertiumEngine("eng-spa", "test", timeout=0.5).translate(["Fever."])
    assert time.monotonic() - started < 10
    stat = Path(f"/proc/{int((tmp_path / 'child.pid').read_text())}/stat")
    time.sleep(0.2)
    assert not stat.exists() or stat.read_text().split(") ")[1][0] in "ZX"  # the pipeline's child is gone (or a zombie)
    assert list(temp.iterdir()) == []  # the scratch folder and the file in it


def test_an_apertium_run_removes_scratch_folders_of_killed_medloc_processes(tmp_path, monkeypatch):
    """A medloc killed outright cannot remove its Apertium scratch folder; the next run does, but
    never the folder of a process that is still running."""
    import os
    import subprocess
    import tempfile

    from pipeline.drafts.apertium import ApertiumEngine, _remove_orphaned_scratch

    bin_dir, temp = tmp_path / "bin", tmp_path / "temp"
    bin_dir.mkdir()
    temp.mkdir()
    script = bin_dir / "apertium"
    script.write_text("#!/bin/sh\ncat\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    gone = subprocess.Popen(["true"])
    gone.wait()
    orphan = temp / f"medloc-apertium-{gone.pid}-abc123"
    (orphan / "apertium.x").parent.mkdir()
    (orphan / "apertium.x").write_text("")
    running = temp / f"medloc-apertium-{os.getppid()}-def456"
    running.mkdir()
    unrelated = temp / "medloc-apertium-notapid"
    unrelated.mkdir()
    _remove_orphaned_scratch.cache_clear()  # it runs once per process
    assert ApertiumEngine("eng-spa", "test", timeout=10).translate(["Fever."]) == ["Fever."]
    assert sorted(path.name for path in temp.iterdir()) == sorted([running.name, unrelated.name])


# ---------------------------------------------------------------- progress


class _Stream(io.StringIO):
    def __init__(self, tty: bool):
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize("tty", [True, False])
def test_progress_bar_on_a_terminal_plain_lines_otherwise(tty):
    stream = _Stream(tty)
    progress = Progress(stream)
    progress.start("es/doc", 4)
    progress.advance(2)
    progress.advance(2)
    progress.finish()
    out = stream.getvalue()
    if tty:
        assert "\r" in out and "[###############---------------] 2/4" in out and out.endswith("4/4\n")
    else:
        assert "\r" not in out and out.splitlines() == [
            "  es/doc: 2/4 units sent to the engine", "  es/doc: 4/4 units sent to the engine"]


def test_translation_memory_rereads_only_changed_catalogs(project_copy, monkeypatch):
    import polib

    from pipeline.catalog import write_catalog
    from pipeline.config import load_config
    from pipeline.drafts import memory

    config = load_config(project_copy)
    other = project_copy / "locales" / "es" / "other.po"
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Bleeding", msgstr="Sangrado"))
    po.save(str(other))
    reads = []
    real = memory.read_catalog
    monkeypatch.setattr(memory, "read_catalog", lambda path, shown: reads.append(shown) or real(path, shown))

    first = memory.TranslationMemory.load(config, "es", 0.9)
    assert first.lookup("Bleeding", (), "locales/es/vertebroplasty.po").msgstr == "Sangrado"
    assert sorted(reads) == ["locales/es/other.po", "locales/es/vertebroplasty.po"]
    reads.clear()
    assert memory.TranslationMemory.load(config, "es", 0.9).lookup("Bleeding", (), "x").msgstr == "Sangrado"
    assert reads == []  # nothing changed: the index answered
    assert (project_copy / "build" / "cache" / "translations.sqlite3").exists()
    po[0].msgstr = "Hemorragia"
    po.save(str(other))
    assert memory.TranslationMemory.load(config, "es", 0.9).lookup("Bleeding", (), "x").msgstr == "Hemorragia"
    assert reads == ["locales/es/other.po"]

    reads.clear()  # a catalog medloc writes itself (as `update` does) is recorded as written: no read
    po[0].msgstr = "Pérdida de sangre"
    write_catalog(po, other, config.build)
    assert memory.TranslationMemory.load(config, "es", 0.9).lookup("Bleeding", (), "x").msgstr == "Pérdida de sangre"
    assert reads == []


def test_empty_unit_prescreen_never_misses_an_empty_unit():
    """The raw-text screen may say "maybe" for a full catalog, never "no" for one with an empty unit."""
    from pipeline.drafts import may_have_empty_units

    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    cases = {
        'msgid "A"\nmsgstr "a"\n\nmsgid "Long"\nmsgstr ""\n"wrapped translation"\n': False,
        '#~ msgid "Old"\n#~ msgstr ""\n\nmsgid "A"\nmsgstr "a"\n': False,
        'msgid "A"\nmsgstr ""\n\nmsgid "B"\nmsgstr "b"\n': True,
        'msgid "A"\nmsgstr "a"\n\nmsgid "B"\nmsgstr ""': True,  # last line, no newline
        'msgid "A"\r\nmsgstr ""\r\n\r\nmsgid "B"\r\nmsgstr "b"\r\n': True,
        'msgid "A"\nmsgstr ""\n#. next entry\nmsgid "B"\nmsgstr "b"\n': True,
    }
    for body, expected in cases.items():
        assert may_have_empty_units((header + body).encode("utf-8")) is expected, body
