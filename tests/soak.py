"""Fault injection (`make soak`): SIGKILL medloc at many points of update, draft and publish.

Not part of `make test` (the file name does not match test_*.py); run it with
`python -m pytest tests/soak.py`. MEDLOC_SOAK_KILLS sets the kill points per stage.

A project of many generated documents is prepared once per stage. Then, for each kill
point, a fresh copy runs the stage in a subprocess that is killed (its whole process
group, workers included) either exactly before or after its Nth rename (a hook installed
with sitecustomize counts `os.replace`/`os.rename`, the commit points of every write) or
after a random delay. After each kill:

- every catalog parses, and every file is byte for byte either what it was before the run
  or what a complete run writes (no partial or mixed file);
- every translation present before the run is still present in its catalog;
- `reviewed/es/` holds exactly the old or exactly the new publication; if the kill hit
  the instant between the two renames of the swap, the folder is absent and
  `reviewed/.es.previous` holds the complete old publication, which the next run restores;
- running the stage again to completion gives exactly the files of an uninterrupted run.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import polib
import pytest

from pipeline.catalog import read_catalog
from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
KILLS = int(os.environ.get("MEDLOC_SOAK_KILLS", "24"))
DOCS = 24
LOCALES = ["es", "vi"]
EPOCH = "1700000000"
TALLY: Counter = Counter()  # kill points tried, by stage and kind; printed at the end

HOOK = """
import atexit, os, signal
_at = int(os.environ.get("SOAK_KILL_AT", "0"))
_when = os.environ.get("SOAK_KILL_WHEN", "before")
_count_file = os.environ.get("SOAK_COUNT_FILE")
_count = [0]

def _wrap(real):
    def commit(*args, **kwargs):
        _count[0] += 1
        if _count[0] == _at and _when == "before":
            os.killpg(0, signal.SIGKILL)
        result = real(*args, **kwargs)
        if _count[0] == _at and _when == "after":
            os.killpg(0, signal.SIGKILL)
        return result
    return commit

if _at or _count_file:
    os.replace, os.rename = _wrap(os.replace), _wrap(os.rename)
if _count_file:
    atexit.register(lambda: open(_count_file, "w").write(str(_count[0])))
"""

WORDS = ("pain bone spine doctor needle cement fracture rest medicine nerve infection bleeding x-ray "
         "hospital clinic back skin area balloon space surgery risk patient week month therapy").split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(4, 11))]
    if rng.random() < 0.2:
        words[1] = f"*{words[1]}*"
    if rng.random() < 0.15:
        words[-1] = f"[{words[-1]}](https://medlineplus.gov/{words[-1]}.html)"
    return " ".join(words).capitalize() + "."


def article(rng: random.Random, number: int) -> str:
    lines = [f"Title: Article {number} about {rng.choice(WORDS)}", "Review-Date: 2015-07-13",
             "Updated-By: A. Writer, MD", ""]
    for section in range(rng.randint(2, 4)):
        lines += [" ".join(sentence(rng) for _ in range(rng.randint(1, 4))), "",
                  f"## Section {section} on {rng.choice(WORDS)}", ""]
        lines += [f"- {sentence(rng)}" for _ in range(rng.randint(1, 3))] + [""]
    return "\n".join(lines)


def run(root: Path, *args: str) -> int:
    return main(["-C", str(root), "--wait", "30", "-j", "1", *args])


def translate_all(root: Path, label: str, every: int = 1) -> None:
    """Test-only human translations (never in the repository): '[es first] English text'."""
    for path in sorted((root / "locales").glob("*/*.po")):
        po = polib.pofile(str(path), wrapwidth=78)
        for entry in [e for e in po if not e.obsolete][::every]:
            entry.msgstr, entry.flags = f"[{path.parent.name} {label}] {entry.msgid}", []
        path.write_text(str(po) + "\n", encoding="utf-8")


def make_project(base: Path) -> Path:
    rng = random.Random(8)
    root = base / "project"
    (root / "source").mkdir(parents=True)
    (root / "reviewed").mkdir()
    toml = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    head = toml[: toml.index("[tool.medloc]")]
    (root / "pyproject.toml").write_text(
        head + '[tool.medloc]\nlocales = ["es", "vi"]\n\n[tool.medloc.engines]\nes = "apertium"\nvi = "none"\n',
        encoding="utf-8")
    for number in range(DOCS):
        (root / "source" / f"doc{number:02d}.md").write_text(article(rng, number), encoding="utf-8")
    assert run(root, "extract") == 0
    assert run(root, "update") == 0
    return root


def edit_sources(root: Path) -> None:
    """Change, add and drop English sentences in every article, as a new review would."""
    rng = random.Random(9)
    for path in sorted((root / "source").glob("*.md")):
        lines = path.read_text(encoding="utf-8").split("\n")
        for n, line in enumerate(lines):
            if line.startswith("- ") and rng.random() < 0.5:
                lines[n] = f"- {sentence(rng)}"
            elif line and line[0].isupper() and ":" not in line and rng.random() < 0.5:
                lines[n] = line + " " + sentence(rng)
        path.write_text("\n".join(lines), encoding="utf-8")


def is_temporary(path: Path) -> bool:
    """A temporary file of `pipeline.fsutil.atomic_write_bytes` (`.NAME.RANDOM.tmp`)."""
    return path.name.startswith(".") and path.name.endswith(".tmp")


def files(root: Path) -> dict[str, bytes]:
    """Every project file but build/ and the temporary files a killed write leaves behind."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "build" not in p.relative_to(root).parts and not is_temporary(p)}


def translations(root: Path) -> dict[str, set[str]]:
    return {path.relative_to(root).as_posix(): {e.msgstr for e in polib.pofile(str(path)) if e.msgstr}
            for path in sorted((root / "locales").glob("*/*.po"))}


def medloc(root: Path, args: list[str], hook: Path, kill_at: int = 0, when: str = "before",
           delay: float | None = None, count_file: Path | None = None, jobs: int = 0) -> int:
    """Run medloc in its own process group; kill the group at the given point. Returns the exit status.

    Rename-counted kills run with one process (-j 1), so the Nth rename is well defined;
    timed kills use the default workers, so parallel runs are killed too.
    """
    env = {**os.environ, "PYTHONPATH": f"{hook}{os.pathsep}{ROOT}", "SOURCE_DATE_EPOCH": EPOCH,
           "SOAK_KILL_AT": str(kill_at), "SOAK_KILL_WHEN": when}
    if count_file:
        env["SOAK_COUNT_FILE"] = str(count_file)
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "-C", str(root), "--wait", "30", "-j", str(jobs), *args],
                            env=env, cwd=root, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if delay is not None:
        try:
            proc.wait(delay)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    code = proc.wait(120)
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # workers of a killed parent go too
    except ProcessLookupError:
        pass
    return code


def kill_points(start: Path, args: list[str], hook: Path, tmp: Path) -> list[tuple[str, dict]]:
    """Rename-counted points (before and after each commit) and random delays, KILLS in all."""
    probe = tmp / "probe"
    shutil.copytree(start, probe)
    count_file = tmp / "renames"
    began = time.monotonic()
    assert medloc(probe, args, hook, count_file=count_file, jobs=1) in (0, 1)
    duration = time.monotonic() - began
    renames = int(count_file.read_text())
    shutil.rmtree(probe)
    rng = random.Random(len(args) * 1000 + renames)
    points = [(f"{when} rename {n}", {"kill_at": n, "when": when, "jobs": 1})
              for n in range(1, renames + 1) for when in ("before", "after")]
    rng.shuffle(points)
    timed = [(f"after {d:.3f}s", {"delay": d}) for d in (rng.uniform(0.05, duration) for _ in range(KILLS))]
    half = max(1, KILLS // 2)
    return points[:half] + timed[: KILLS - min(half, len(points))]


def check_after_kill(root: Path, before: dict[str, bytes], after: dict[str, bytes],
                     kept: dict[str, set[str]], label: str) -> None:
    now = files(root)
    for rel, data in now.items():
        if rel.endswith(".po") or rel.endswith(".pot"):
            read_catalog(root / rel)  # parses
        if rel.startswith("reviewed/."):
            continue  # the swap's staging and previous folders; checked below
        assert data in (before.get(rel), after.get(rel)), f"{label}: {rel} is neither old nor new"
    for rel, texts in kept.items():
        present = {e.msgstr for e in polib.pofile(str(root / rel))} | {
            e.msgstr for e in polib.pofile(str(root / rel)).obsolete_entries()}
        assert texts <= present, f"{label}: translations lost from {rel}"
    for rel in set(before) | set(after):
        if rel not in now and not rel.startswith("reviewed/es/"):
            assert rel not in before, f"{label}: {rel} disappeared"


def check_publication(root: Path, before: dict[str, bytes], after: dict[str, bytes], label: str) -> str:
    """reviewed/es is exactly the old or the new publication (or absent with .es.previous = old)."""
    def folder(path: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in path.iterdir() if p.is_file()} if path.is_dir() else {}

    old = {Path(k).name: v for k, v in before.items() if k.startswith("reviewed/es/")}
    new = {Path(k).name: v for k, v in after.items() if k.startswith("reviewed/es/")}
    live = root / "reviewed" / "es"
    if live.is_dir():
        held = folder(live)
        assert held in (old, new), f"{label}: reviewed/es is a mix of two publications"
        return "old" if held == old else "new"
    assert folder(root / "reviewed" / ".es.previous") == old, f"{label}: reviewed/es is gone and not recoverable"
    return "between renames"


def soak(tmp_path: Path, stage: str, prepare, args: list[str]) -> None:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    start = make_project(tmp_path)
    prepare(start)
    reference = tmp_path / "reference"
    shutil.copytree(start, reference)
    assert medloc(reference, args, hook) in (0, 1)
    before, after = files(start), files(reference)
    assert before != after, "the stage must have work to do"
    kept = translations(start)
    outcomes: Counter = Counter()
    problems: list[str] = []  # every kill point runs; all problems are reported together
    for n, (label, how) in enumerate(kill_points(start, args, hook, tmp_path)):
        copy = tmp_path / f"kill{n}"
        shutil.copytree(start, copy)
        medloc(copy, args, hook, **how)
        TALLY[f"{stage}: {label.split()[0]} {'rename' if 'rename' in label else 'delay'}"] += 1
        TALLY[f"{stage}: temporary files left by the kill"] += sum(1 for p in copy.rglob("*") if is_temporary(p))
        try:
            check_after_kill(copy, before, after, kept, label)
            if stage == "publish":
                outcomes[check_publication(copy, before, after, label)] += 1
            assert medloc(copy, args, hook) in (0, 1), f"{label}: the run after the kill failed"
            changed = sorted(k for k in set(files(copy)) | set(after) if files(copy).get(k) != after.get(k))
            assert not changed, f"{label}: the run after the kill did not give the files of a full run: {changed[:3]}"
        except AssertionError as exc:
            problems.append(str(exc).split("\n")[0])
        shutil.rmtree(copy)
    TALLY.update({f"{stage}: reviewed/es {k}": v for k, v in outcomes.items()})
    TALLY[f"{stage}: kill points with problems"] += len(problems)
    assert not problems, f"{len(problems)} kill point(s) with problems:\n" + "\n".join(problems[:10])


def test_update_survives_kills(tmp_path):
    def prepare(root: Path) -> None:
        translate_all(root, "first")
        edit_sources(root)
        assert run(root, "extract") == 0

    soak(tmp_path, "update", prepare, ["update"])


@pytest.mark.skipif(shutil.which("apertium") is None, reason="apertium is not installed")
def test_draft_survives_kills(tmp_path):
    soak(tmp_path, "draft", lambda root: translate_all(root, "first", every=3), ["draft", "-l", "es"])


def approve_all(root: Path) -> None:
    for doc in sorted(p.stem for p in (root / "source").glob("*.md")):
        assert run(root, "approve", "-l", "es", doc, "--reviewer", "Soak Tester", "--all") == 0


def test_publish_survives_kills(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)

    def prepare(root: Path) -> None:
        translate_all(root, "first")
        approve_all(root)
        assert run(root, "publish", "-l", "es") == 0  # the old publication
        translate_all(root, "second")
        approve_all(root)

    soak(tmp_path, "publish", prepare, ["publish", "-l", "es"])


def teardown_module(module) -> None:
    print("\nkill points tried:", json.dumps(dict(sorted(TALLY.items())), indent=1),
          "total", sum(v for k, v in TALLY.items() if "reviewed/es" not in k))
