"""Incremental and parallel runs: skipped work, invalidation by edits, identical output."""

import shutil
from pathlib import Path

import polib
import pytest

from pipeline.catalog import extract, update
from pipeline.cli import main
from pipeline.config import load_config
from pipeline.project import Project
from pipeline.state import BuildState


@pytest.fixture(autouse=True)
def pinned_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def many_documents(root: Path, count: int) -> None:
    template = (root / "source" / "vertebroplasty.md").read_text()
    for i in range(count):
        (root / "source" / f"article{i:02}.md").write_text(
            template.replace("Title: Vertebroplasty", f"Title: Article {i}")
            .replace("2 months or more", f"{i + 2} months or more")
        )


def test_unchanged_steps_are_skipped_and_edits_invalidate_only_their_steps(project_copy):
    project = Project(load_config(project_copy))
    docs, locales = project.documents(), project.locales()
    extract(project, docs)
    update(project, docs, locales)
    project.state.save()

    again = Project(load_config(project_copy))
    assert all(again.state.fresh(f"update:{loc}:vertebroplasty", [
        again.config.template_path("vertebroplasty"), again.config.catalog_path(loc, "vertebroplasty"),
        again.config.pyproject]) for loc in locales)

    # A translator saves the Spanish catalog: only that step is stale.
    es = project_copy / "locales" / "es" / "vertebroplasty.po"
    catalog = polib.pofile(str(es))
    catalog.find("Bleeding").msgstr = "Sangrado"
    catalog.find("Bleeding").flags = []
    catalog.save(str(es))
    stale = [loc for loc in locales if not again.state.fresh(f"update:{loc}:vertebroplasty", [
        again.config.template_path("vertebroplasty"), again.config.catalog_path(loc, "vertebroplasty"),
        again.config.pyproject])]
    assert stale == ["es"]
    update(again, docs, locales)
    assert 'msgstr "Sangrado"' in es.read_text()


def test_deleted_state_only_costs_time(project_copy):
    assert main(["-C", str(project_copy), "build"]) == 0
    before = {p: p.read_bytes() for p in (project_copy / "locales").rglob("*.po*")}
    (project_copy / "build" / "state.json").unlink()
    assert main(["-C", str(project_copy), "build"]) == 0
    assert {p: p.read_bytes() for p in (project_copy / "locales").rglob("*.po*")} == before


def test_state_with_other_version_is_ignored(tmp_path):
    path = tmp_path / "state.json"
    path.write_text('{"salt": "0.0.0:", "steps": {"x": {}}}')
    assert not BuildState(path).fresh("x", [])


def test_parallel_output_is_identical_to_serial(project_copy, tmp_path):
    many_documents(project_copy, 6)
    serial = tmp_path / "serial"
    shutil.copytree(project_copy, serial)
    assert main(["-C", str(serial), "-j", "1", "build"]) == 0
    assert main(["-C", str(project_copy), "-j", "2", "build"]) == 0
    outputs = sorted(p.relative_to(serial) for p in serial.rglob("*") if p.is_file() and "build" not in p.parts)
    assert len(outputs) > 40
    for rel in outputs:
        assert (project_copy / rel).read_bytes() == (serial / rel).read_bytes(), rel


def test_sentence_store_splits_each_paragraph_once_per_splitter_version(tmp_path):
    from pipeline.segment import split_sentences
    from pipeline.state import SentenceStore

    calls = []

    def counting(paragraph):
        calls.append(paragraph)
        return split_sentences(paragraph)

    path = tmp_path / "sentences.sqlite3"
    first = SentenceStore(path, counting, "v1")
    assert first.split("One. Two.") == ("One.", "Two.")
    first.flush()
    assert SentenceStore(path, counting, "v1").split("One. Two.") == ("One.", "Two.")
    assert calls == ["One. Two."]  # the second store read the stored split
    SentenceStore(path, counting, "v2").split("One. Two.")
    assert calls == ["One. Two.", "One. Two."]  # other rules: split again


def test_derived_store_drops_the_values_of_other_code(tmp_path):
    """Keys are salted, so another salt's rows can never be found: opening with a new salt drops them."""
    import sqlite3

    from pipeline.state import DerivedStore

    path = tmp_path / "derived.sqlite3"
    old = DerivedStore(path, "v1")
    old.add(old.key("a"), 1)
    old.flush()
    assert DerivedStore(path, "v1").get_many([old.key("a")]) == {old.key("a"): 1}
    new = DerivedStore(path, "v2")
    new.add(new.key("b"), 2)
    new.flush()
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM derived").fetchone() == (1,)
    assert DerivedStore(path, "v2").get_many([new.key("b")]) == {new.key("b"): 2}


def test_a_cache_file_that_is_not_a_database_is_started_afresh(tmp_path, capsys):
    """build/cache/ is only a cache: a damaged file costs its values and a warning, never the run."""
    from pipeline.drafts.cache import DraftCache
    from pipeline.state import DerivedStore, PerFileStore

    for name in ("derived", "per-file", "drafts"):
        (tmp_path / f"{name}.sqlite3").write_bytes(b"not a database, maybe a half-copied CI cache\n" * 20)
    derived = DerivedStore(tmp_path / "derived.sqlite3", "v1")
    derived.add(derived.key("a"), 1)
    derived.flush()
    assert derived.get_many([derived.key("a")]) == {derived.key("a"): 1}
    per_file = PerFileStore(tmp_path / "per-file.sqlite3", "v1")
    per_file.put("a.po", b"one", b"value")
    assert per_file.get("a.po", b"one") == b"value"
    drafts = DraftCache(tmp_path / "drafts.sqlite3")
    drafts.put_many("apertium", "en-es", {"Fever": "Fiebre"})
    assert drafts.get_many("apertium", "en-es", ["Fever"]) == {"Fever": "Fiebre"}
    warnings = [line for line in capsys.readouterr().err.splitlines() if "not a usable cache" in line]
    assert len(warnings) == 3


def _damage_pages(path: Path) -> None:
    """Overwrite the middle of every page after the first two (the header and schema stay whole)."""
    data = bytearray(path.read_bytes())
    for page in range(2 * 4096, len(data), 4096):
        data[page + 200:page + 3800] = b"\xde\xad\xbe\xef" * 900
    path.write_bytes(bytes(data))


def test_a_cache_file_damaged_inside_is_started_afresh_when_the_damage_is_read(tmp_path, capsys):
    """A file whose header opens but whose pages are damaged (a bad disk, a torn CI cache) fails
    only when a query reads them: that query gets a warning and a fresh file, never a traceback."""
    import sqlite3

    from pipeline.drafts.cache import DraftCache
    from pipeline.state import DerivedStore, PerFileStore

    texts = [f"Sentence number {i} about fever." for i in range(3000)]
    derived = DerivedStore(tmp_path / "derived.sqlite3", "v1")
    for text in texts:
        derived.add(derived.key(text), [text] * 3)
    derived.flush()
    per_file = PerFileStore(tmp_path / "per-file.sqlite3", "v1")
    for text in texts:
        per_file.put(f"{text}.po", text.encode(), text.encode() * 3)
    drafts = DraftCache(tmp_path / "drafts.sqlite3")
    drafts.put_many("apertium", "en-es", {text: text.upper() for text in texts})
    drafts.close()
    for name in ("derived", "per-file", "drafts"):
        path = tmp_path / f"{name}.sqlite3"
        sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        _damage_pages(path)
    capsys.readouterr()

    derived = DerivedStore(tmp_path / "derived.sqlite3", "v1")
    keys = [derived.key(text) for text in texts]
    assert derived.get_many(keys) == {}
    derived.add(keys[0], ["kept"])
    derived.flush()
    assert derived.get_many(keys) == {keys[0]: ["kept"]}
    per_file = PerFileStore(tmp_path / "per-file.sqlite3", "v1")
    assert [per_file.get(f"{text}.po", text.encode()) for text in texts[-5:]] == [None] * 5
    drafts = DraftCache(tmp_path / "drafts.sqlite3")
    assert drafts.get_many("apertium", "en-es", texts) == {}
    warnings = [line for line in capsys.readouterr().err.splitlines() if "not a usable cache" in line]
    assert len(warnings) == 3 and all("malformed" in line for line in warnings), warnings


def test_a_cache_error_that_is_not_damage_is_raised_and_the_file_kept(tmp_path):
    import sqlite3

    from pipeline.state import CacheFile

    cache = CacheFile(tmp_path / "cache.sqlite3", lambda db: db.execute("CREATE TABLE IF NOT EXISTS t (x)"))
    cache.run(lambda db: db.execute("INSERT INTO t VALUES (1)"))
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        cache.run(lambda db: db.execute("SELECT * FROM missing"))
    assert cache.run(lambda db: db.execute("SELECT x FROM t").fetchall()) == [(1,)]


def test_check_with_a_damaged_findings_cache_reports_as_without_one(project_copy, capsys):
    assert main(["-C", str(project_copy), "check"]) in (0, 1)
    clean = capsys.readouterr().out
    findings = project_copy / "build" / "cache" / "findings.sqlite3"
    import sqlite3

    sqlite3.connect(findings).execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    _damage_pages(findings)
    code = main(["-C", str(project_copy), "check"])
    captured = capsys.readouterr()
    assert code in (0, 1) and captured.out == clean
    assert "findings.sqlite3 is not a usable cache" in captured.err


def test_a_new_library_version_redoes_every_step(project_copy, monkeypatch):
    """Babel's locale data decides the Plural-Forms header that update writes: after an upgrade,
    the steps must run again even though no project file changed."""
    from importlib import metadata

    import pipeline.project as project_module

    def fresh_updates() -> list[bool]:
        project = Project(load_config(project_copy))
        return [project.state.fresh(f"update:{loc}:vertebroplasty", [
            project.config.template_path("vertebroplasty"), project.config.catalog_path(loc, "vertebroplasty"),
            project.config.pyproject]) for loc in project.locales()]

    assert main(["-C", str(project_copy), "build"]) == 0
    assert all(fresh_updates())
    installed = metadata.version
    monkeypatch.setattr(project_module.metadata, "version",
                        lambda name: "99.0" if name == "babel" else installed(name))
    project_module.code_and_library_versions.cache_clear()
    try:
        assert not any(fresh_updates())
    finally:
        monkeypatch.undo()
        project_module.code_and_library_versions.cache_clear()
    assert all(fresh_updates())


def test_lookups_of_more_keys_than_sqlite_binds_at_once(tmp_path):
    """SQLite binds at most 999 parameters per statement; a large catalog or batch asks for more."""
    from pipeline.drafts.cache import DraftCache
    from pipeline.state import DerivedStore

    derived = DerivedStore(tmp_path / "derived.sqlite3", "v1")
    keys = [derived.key(str(number)) for number in range(1200)]
    for number, key in enumerate(keys[::2]):
        derived.add(key, number)
    derived.flush()
    assert derived.get_many(keys + keys[:5]) == {key: number for number, key in enumerate(keys[::2])}
    drafts = DraftCache(tmp_path / "drafts.sqlite3")
    answers = {f"Unit {number}.": f"Unidad {number}." for number in range(1200)}
    drafts.put_many("apertium", "eng-spa", answers)
    drafts.put_many("other", "eng-spa", {"Unit 1.": "Otra."})
    asked = [*answers, "Never drafted."]
    assert drafts.get_many("apertium", "eng-spa", asked) == answers
