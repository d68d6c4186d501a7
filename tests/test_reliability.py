"""Never lose work: the project lock, atomic writes, and the concurrent-edit guard of `update`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest

import pipeline.catalog
from pipeline import fsutil
from pipeline.catalog import extract, update
from pipeline.cli import main
from pipeline.config import load_config
from pipeline.errors import MedlocError
from pipeline.project import Project

ROOT = Path(__file__).resolve().parent.parent
DOC = "vertebroplasty"

# A separate process that holds the project lock until its stdin closes.
HOLDER = """
import sys
from pathlib import Path
from pipeline.lock import project_lock
with project_lock(Path(sys.argv[1]), wait=0):
    print("locked", flush=True)
    sys.stdin.read()
"""


@pytest.fixture(autouse=True)
def pinned_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def start_holder(build: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(build)], cwd=ROOT, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- project lock


def test_second_run_gives_up_after_wait_naming_holder_and_writes_nothing(project_copy, capsys):
    holder = start_holder(project_copy / "build")
    try:
        before = snapshot(project_copy)
        started = time.monotonic()
        code = main(["-C", str(project_copy), "--wait", "0.5", "update"])
        waited = time.monotonic() - started
        err = capsys.readouterr().err
    finally:
        holder.stdin.close()
        holder.wait(10)
    assert code == 2
    assert waited >= 0.5
    assert "build/medloc.lock" in err
    assert f"pid {holder.pid}" in err
    assert "python" in err  # the holder's command line
    assert "--wait" in err  # says how to wait longer
    assert snapshot(project_copy) == before


def test_second_run_waits_for_the_first_to_finish(project_copy):
    holder = start_holder(project_copy / "build")
    release_after = 0.6
    subprocess.Popen(["sh", "-c", f"sleep {release_after}; kill {holder.pid}"])
    started = time.monotonic()
    try:
        code = main(["-C", str(project_copy), "--wait", "20", "update"])
    finally:
        holder.wait(10)
    assert code == 0
    assert time.monotonic() - started >= release_after - 0.1


def test_lock_of_a_killed_run_is_free_at_once(project_copy):
    holder = start_holder(project_copy / "build")
    holder.kill()
    holder.wait(10)
    assert main(["-C", str(project_copy), "--wait", "0", "update"]) == 0


def test_wait_from_environment(project_copy, monkeypatch, capsys):
    holder = start_holder(project_copy / "build")
    monkeypatch.setenv("MEDLOC_WAIT", "0")
    try:
        assert main(["-C", str(project_copy), "extract"]) == 2
    finally:
        holder.stdin.close()
        holder.wait(10)
    assert "waited 0 s" in capsys.readouterr().err


def test_read_only_command_runs_while_a_writer_holds_the_lock(project_copy):
    holder = start_holder(project_copy / "build")
    try:
        assert main(["-C", str(project_copy), "--wait", "0", "status"]) == 0
    finally:
        holder.stdin.close()
        holder.wait(10)


def test_lock_file_is_not_rewritten_by_runs(project_copy):
    """A no-op run must change no byte or mtime anywhere, build/ included."""
    assert main(["-C", str(project_copy), "update"]) == 0
    lock = project_copy / "build" / "medloc.lock"
    stat = lock.stat()
    assert main(["-C", str(project_copy), "update"]) == 0
    assert (lock.stat().st_mtime_ns, lock.read_bytes()) == (stat.st_mtime_ns, b"")


# ---------------------------------------------------------------- atomic writes


class Interrupted(Exception):
    pass


@pytest.mark.parametrize("failing", ["fsync", "replace"])
@pytest.mark.parametrize("existed", [True, False])
def test_interrupted_write_leaves_old_file_and_no_temporary(tmp_path, monkeypatch, failing, existed):
    target = tmp_path / "catalog.po"
    if existed:
        target.write_bytes(b"old complete content\n")
    before = snapshot(tmp_path)

    def boom(*args, **kwargs):
        raise Interrupted

    monkeypatch.setattr(fsutil.os, failing, boom)
    with pytest.raises(Interrupted):
        fsutil.write_if_changed(target, "new content " * 10000)
    monkeypatch.undo()
    assert snapshot(tmp_path) == before
    assert [p.name for p in tmp_path.iterdir()] == (["catalog.po"] if existed else [])


def test_write_interrupted_midway_through_the_data(tmp_path, monkeypatch):
    """An exception after part of the data reached the temporary file (disk full, signal)."""
    target = tmp_path / "page.html"
    target.write_bytes(b"<p>old</p>\n")
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            raise Interrupted

        def __getattr__(self, name):
            return getattr(self.handle, name)

    monkeypatch.setattr(fsutil.os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))
    with pytest.raises(Interrupted):
        fsutil.atomic_write_bytes(target, b"<p>new</p>\n" * 1000)
    assert target.read_bytes() == b"<p>old</p>\n"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_unchanged_content_keeps_mtime(tmp_path):
    target = tmp_path / "same.txt"
    assert fsutil.write_if_changed(target, "same\n") is True
    mtime = target.stat().st_mtime_ns
    time.sleep(0.01)
    assert fsutil.write_if_changed(target, "same\n") is False
    assert target.stat().st_mtime_ns == mtime


# ---------------------------------------------------------------- concurrent edit of a catalog


def _translator_saves(path: Path, msgid: str, msgstr: str) -> None:
    """What Poedit does: rewrite the whole file with one more translation."""
    po = polib.pofile(str(path), wrapwidth=78)
    po.find(msgid).msgstr = msgstr
    path.write_text(str(po) + "\n", encoding="utf-8")


def _project_with_new_sentence(root: Path) -> Project:
    """The English gained a sentence, so `update` has real work to write into the catalog."""
    source = root / "source" / f"{DOC}.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("## Description\n", "## Description\n\nA new sentence for this test.\n", 1),
                      encoding="utf-8")
    project = Project(load_config(root))
    extract(project, [DOC])
    return project


def test_translator_save_during_update_is_merged_not_overwritten(project_copy, monkeypatch):
    project = _project_with_new_sentence(project_copy)
    catalog = project.config.catalog_path("es", DOC)
    real = pipeline.catalog.update_catalog
    saves = []

    def save_between_read_and_write(template, old, locale):
        if locale == "es" and not saves:
            _translator_saves(catalog, "Vertebroplasty", "Vertebroplastia")
            saves.append(locale)
        return real(template, old, locale)

    monkeypatch.setattr(pipeline.catalog, "update_catalog", save_between_read_and_write)
    update(project, [DOC], ["es"])
    assert saves == ["es"]
    po = polib.pofile(str(catalog))
    assert po.find("Vertebroplasty").msgstr == "Vertebroplastia"  # the translator's edit survived
    assert po.find("A new sentence for this test.") is not None  # and the update happened


def test_catalog_that_keeps_changing_is_left_as_the_translator_saved_it(project_copy, monkeypatch):
    project = _project_with_new_sentence(project_copy)
    catalog = project.config.catalog_path("es", DOC)
    real = pipeline.catalog.update_catalog
    saves = []

    def keep_saving(template, old, locale):
        saves.append(len(saves))
        _translator_saves(catalog, "Vertebroplasty", f"Vertebroplastia {len(saves)}")
        return real(template, old, locale)

    monkeypatch.setattr(pipeline.catalog, "update_catalog", keep_saving)
    with pytest.raises(MedlocError) as error:
        update(project, [DOC], ["es"])
    assert error.value.path == f"locales/es/{DOC}.po"
    assert "kept changing" in error.value.message
    last = catalog.read_text(encoding="utf-8")
    assert f'msgstr "Vertebroplastia {len(saves)}"' in last
    assert "A new sentence for this test." not in last
