"""`make bench`: medloc against its peers on the same synthetic corpus, in one run.

For each corpus size, in a temporary folder: medloc's full build step by step (extract,
update, draft with the `instant` engine cold and warm, check, publish of a corpus the
benchmark translated and approved itself), `medloc build` twice (the second must rewrite
nothing), and `medloc build` after 1% of the sentences changed. Then the peers on the same
corpus: translate-toolkit, mdpo, GNU msgmerge, and `cp -r` as the floor.

Every step is its own subprocess: wall time from the clock, CPU time and peak memory from
os.wait4 on that process (the peak covers its children too). A failing step is recorded
with the tail of its stderr; the run goes on. Writes bench/RESULTS.md.

    python bench/run.py [--sizes 100,1000] [--peers-python bench/.venv-peers/bin/python]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import pstats
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from mutate import mutate  # noqa: E402

LOCALES = ["es", "zh_Hans", "vi", "ar", "fr"]
EDIT_PERCENT = 1.0
BUDGET = 780.0  # seconds for the whole run (`make bench` must end within 15 minutes, installs included)
RESERVE = 20.0  # seconds kept back for writing the report
PEER_BUDGET = 150.0  # seconds for all peer steps of one size; beyond it, a subset is timed
EPOCH = "1767225600"  # SOURCE_DATE_EPOCH for every medloc step: dates in outputs do not vary by run

TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None  # GNU time (Debian package `time`)

PYPROJECT = """\
[tool.medloc]
source = "source"
locales_dir = "locales"
reviewed = "reviewed"
locales = {locales}

[tool.medloc.engines]
{engines}
"""


@dataclass
class Step:
    tool: str  # "medloc", "translate-toolkit", "mdpo", "gettext", "floor", "setup"
    name: str
    size: int  # articles in the corpus
    measured_on: int  # articles actually processed (a subset for slow peers)
    status: str = "ok"  # ok, problems (exit 1), failed, not available
    seconds: float | None = None
    cpu: float | None = None  # user + system seconds
    peak_mb: float | None = None
    engine: dict | None = None  # instant engine {"calls": .., "units": ..}
    note: str = ""

    @property
    def scaled_seconds(self) -> float | None:
        """Wall time for the whole corpus; linear extrapolation when measured on a subset."""
        if self.seconds is None:
            return None
        return self.seconds * self.size / self.measured_on

    @property
    def usable(self) -> bool:
        return self.status in ("ok", "problems") and self.seconds is not None


@dataclass
class SizeResult:
    size: int
    steps: list[Step] = field(default_factory=list)
    facts: dict = field(default_factory=dict)

    def get(self, tool: str, name: str) -> Step | None:
        return next((s for s in self.steps if s.tool == tool and s.name == name), None)


def run_step(step: Step, command: list[str], log: Path, env: dict | None, timeout: float) -> Step:
    """Run COMMAND as one subprocess and fill STEP with its wall time, CPU time and peak RSS."""
    log.parent.mkdir(parents=True, exist_ok=True)
    measure = log.with_suffix(".time")
    if TIME is not None:  # GNU time forks the command from a small process: its peak is the command's own
        command = [TIME, "-f", "%e %M %U %S", "-o", str(measure), *command]
    with open(log.with_suffix(".out"), "wb") as out, open(log.with_suffix(".err"), "wb") as err:
        start = time.perf_counter()
        try:
            process = subprocess.Popen(command, stdout=out, stderr=err, env=env, start_new_session=True)
        except OSError as exc:
            step.status, step.note = "failed", f"cannot start {command[0]}: {exc.strerror}"
            return step
        timer = threading.Timer(timeout, lambda: os.killpg(process.pid, signal.SIGKILL))
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        timer.cancel()
        step.seconds = time.perf_counter() - start
    process.returncode = code = os.waitstatus_to_exitcode(status)
    step.cpu = usage.ru_utime + usage.ru_stime
    step.peak_mb = usage.ru_maxrss / 1024  # Linux: kilobytes; includes this runner's size at fork time
    if TIME is not None and measure.exists():
        lines = measure.read_text().splitlines()  # "Command exited with non-zero status N" may come first
        numbers = lines[-1].split() if lines else []
        if len(numbers) == 4:
            step.peak_mb = int(numbers[1]) / 1024
            step.cpu = float(numbers[2]) + float(numbers[3])
    if code == 0:
        return step
    tail = log.with_suffix(".err").read_text(encoding="utf-8", errors="replace").strip().splitlines()[-4:]
    step.status = {1: "problems", 3: "not available"}.get(code, "failed")  # 1: medloc ran and found problems
    step.note = (f"exit {code}" + (f" (killed after {timeout:.0f} s: time budget)" if code == -signal.SIGKILL else "")
                 + (": " + " | ".join(line.strip() for line in tail) if tail else ""))
    return step


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """(mtime_ns, size) of every file under ROOT."""
    return {p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in root.rglob("*") if p.is_file()}


def fill_po_dir(folder: Path, locale: str) -> None:
    """The peers' stand-in for translators: the same marked English text medloc's catalogs get."""
    for path in folder.glob("*.po"):
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = f"«{locale}» {entry.msgid}"
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        po.save()


class Bench:
    def __init__(self, work: Path, peers_python: Path, profile: bool, budget: float):
        self.budget = budget
        self.deadline = time.monotonic() + budget
        self.history: dict[tuple[str, str], tuple[int, float]] = {}  # (tool, step) -> (articles, seconds)
        self.work = work
        self.peers_python = peers_python
        self.profile = profile
        self.medloc_python = Path(sys.executable)
        self.driver = HERE / "driver.py"
        offered = json.loads(subprocess.run([str(self.medloc_python), str(self.driver), "commands"],
                                            capture_output=True, text=True, check=True).stdout)
        self.commands: set[str] = set(offered["commands"])  # the benchmark runs the ones that exist
        self.serial = ["-j", "1"] if offered["jobs"] else []

    def timed(self, step: Step, command: list[str], log: Path, env: dict[str, str]) -> None:
        """Run the step unless the time budget cannot hold it, judging by the previous size."""
        left = self.deadline - time.monotonic() - RESERVE
        before = self.history.get((step.tool, step.name))
        predicted = before[1] * step.measured_on / before[0] if before else 0.0
        if predicted > left or left < 5:
            step.status = "skipped"
            step.note = (f"skipped: about {predicted:.0f} s expected (from {before[0]} articles), "
                         f"{max(left, 0):.0f} s left of the {self.budget:.0f} s budget") if before else "skipped: time budget spent"
            return
        run_step(step, command, log, env, timeout=left)
        if step.usable:
            self.history[(step.tool, step.name)] = (step.measured_on, step.seconds)

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED="0", NO_COLOR="1", **extra)
        env.pop("MEDLOC_BENCH_PROFILE", None)
        return env

    def medloc(self, result: SizeResult, name: str, project: Path, args: list[str], profile_dir: Path | None = None,
               tool: str = "medloc") -> Step:
        step = Step(tool, name, result.size, result.size)
        command = next((a for a in args[1:] if not a.startswith("-") and not a.isdigit()), "")
        if args[0] == "cli" and command not in self.commands and command != "draft":
            step.status, step.note = "not available", f"`medloc {command}` does not exist in this tree yet"
            result.steps.append(step)
            return step
        slug = re.sub(r"[^a-z0-9]+", "-", f"{tool} {name}".lower()).strip("-")
        calls = self.work / f"n{result.size}" / "logs" / f"{slug}.calls.json"
        extra = {"MEDLOC_BENCH_CALLS": str(calls)}
        if profile_dir is not None:
            extra["MEDLOC_BENCH_PROFILE"] = str(profile_dir / f"{slug}.prof")
        argv = [str(self.medloc_python), str(self.driver), *args]
        if args[0] == "cli":
            argv[3:3] = ["-C", str(project)]
        env = self.env()
        env.update(extra)
        self.timed(step, argv, self.work / f"n{result.size}" / "logs" / slug, env)
        if calls.exists():
            step.engine = json.loads(calls.read_text())
            calls.unlink()
        result.steps.append(step)
        return step

    def medloc_steps(self, result: SizeResult, corpus: Path, subset: int) -> None:
        """Full build, then the peers (the ratios need both), then the rebuilds."""
        project = self.work / f"n{result.size}" / "medloc"
        make_project(project, corpus)
        self.full_build(result, project)
        if self.profile and result.size == min(self.sizes):
            serial = self.profile_full_build(result, corpus)
            result.facts["serial_differs"] = differing_files(project, serial)
        self.peer_steps(result, corpus, subset)
        self.rebuilds(result, project)

    def full_build(self, result: SizeResult, project: Path, profile_dir: Path | None = None,
                   tool: str = "medloc", extra: list[str] | None = None) -> None:
        extra = extra or []
        for name, args in [
            ("extract", ["cli", *extra, "extract"]),
            ("update", ["cli", *extra, "update"]),
            ("draft (cold cache)", ["cli", *extra, "draft", "--engine", "instant"]),
            ("draft (warm cache)", ["cli", *extra, "draft", "--engine", "instant"]),
            ("check", ["cli", *extra, "check"]),
        ]:
            self.medloc(result, name, project, args, profile_dir, tool)
        if {"approve", "publish"} <= self.commands:
            self.medloc(result, "translate every unit (setup)", project, ["translate", str(project)], tool="setup")
            self.medloc(result, "approve every unit (setup)", project, ["approve", str(project)], tool="setup")
        self.medloc(result, "publish", project, ["cli", *extra, "publish"], profile_dir, tool)

    def profile_full_build(self, result: SizeResult, corpus: Path) -> Path:
        """The same full build once more, serial and under cProfile; its steps are not timed with the others.

        Serial (`-j 1`) so the profile sees all the work, which in a parallel run happens in worker
        processes; and so its outputs can be compared with the parallel run's. Returns its project.
        """
        project = self.work / f"n{result.size}" / "profiled"
        make_project(project, corpus)
        profiles = self.work / f"n{result.size}" / "profiles"
        profiles.mkdir(parents=True, exist_ok=True)
        shadow = SizeResult(result.size)
        self.full_build(shadow, project, profiles, tool="medloc (profiled)", extra=self.serial)
        files = sorted(str(p) for p in profiles.glob("*.prof") if "setup" not in p.name)
        if files:
            result.facts["profile"] = profile_tables(files)
            result.facts["profile_seconds"] = sum(s.seconds or 0 for s in shadow.steps if s.tool != "setup")
        return project

    def rebuilds(self, result: SizeResult, project: Path) -> None:
        self.medloc(result, "build (first after the steps)", project, ["cli", "build"])
        before = snapshot(project)
        noop = self.medloc(result, "build again (no-op)", project, ["cli", "build"])
        after = snapshot(project)
        rewritten = sorted(name for name in after if before.get(name) != after[name])
        gone = sorted(set(before) - set(after))
        result.facts["noop_rewritten"] = rewritten + gone
        result.facts["noop_files"] = len(after)
        if rewritten or gone:
            noop.note = (noop.note + "; " if noop.note else "") + f"{len(rewritten) + len(gone)} file(s) rewritten"
        mutation = mutate(project / "source", EDIT_PERCENT, seed=11)
        result.facts["edit"] = {"sentences": mutation.sentences, "edited": mutation.edited,
                                "files": len(mutation.files)}
        self.medloc(result, f"build after {EDIT_PERCENT:g}% edit", project, ["cli", "build"])
        self.medloc(result, f"draft after {EDIT_PERCENT:g}% edit", project, ["cli", "draft", "--engine", "instant"])

    def peer_steps(self, result: SizeResult, corpus: Path, subset: int) -> None:
        base = self.work / f"n{result.size}"
        if subset < result.size:
            part = base / "corpus-subset"
            part.mkdir(parents=True, exist_ok=True)
            for md in sorted(corpus.glob("*.md"))[:subset]:
                shutil.copy2(md, part / md.name)
            corpus = part
        logs = base / "logs"
        py = str(self.peers_python)
        tt, md, gm = base / "tt", base / "mdpo", base / "msgmerge"
        for folder in [tt / "out" / loc for loc in LOCALES] + [gm / loc for loc in LOCALES]:
            folder.mkdir(parents=True, exist_ok=True)

        def peer(tool: str, name: str, command: list[str]) -> Step:
            step = Step(tool, name, result.size, subset)
            slug = re.sub(r"[^a-z0-9]+", "-", f"{tool} {name}".lower()).strip("-")
            self.timed(step, command, logs / slug, self.env())
            result.steps.append(step)
            return step

        def each_locale(template: str) -> list[str]:
            return ["sh", "-c", "set -e; " + "; ".join(template.format(loc=loc) for loc in LOCALES)]

        peer("floor", "cp -r", ["cp", "-r", str(corpus), str(base / "copy")])
        tt_mod = f"{py} -m translate.convert"
        peer("translate-toolkit", "md2po", [py, "-m", "translate.convert.md2po", "--progress", "none", "--pot",
                                            "-i", str(corpus), "-o", str(tt / "templates")])
        peer("translate-toolkit", "pot2po", each_locale(
            f"{tt_mod}.pot2po --progress none -i {tt / 'templates'} -o {tt}/{{loc}}"))
        for loc in LOCALES:
            if (tt / loc).exists():
                fill_po_dir(tt / loc, loc)
        peer("translate-toolkit", "po2md", each_locale(
            f"{tt_mod}.po2md --progress none -t {corpus} -i {tt}/{{loc}} -o {tt}/out/{{loc}}"))
        peer("mdpo", "md2po", [py, str(HERE / "peer_mdpo.py"), "md2po", str(corpus), str(md / "templates")])
        peer("mdpo", "md2po into LANG.po", [py, str(HERE / "peer_mdpo.py"), "update", str(corpus), str(md), *LOCALES])
        for loc in LOCALES:
            if (md / loc).exists():
                fill_po_dir(md / loc, loc)
        peer("mdpo", "po2md", [py, str(HERE / "peer_mdpo.py"), "po2md", str(corpus), str(md), *LOCALES])
        script = base / "msgmerge.sh"
        lines = [f"msgmerge --quiet -o {gm}/{loc}/{pot.stem}.po {tt}/{loc}/{pot.stem}.po {pot}"
                 for loc in LOCALES for pot in sorted((tt / "templates").glob("*.pot"))]
        script.write_text("set -e\n" + "\n".join(lines) + "\n")
        peer("gettext", "msgmerge", ["sh", str(script)])

    def run(self, sizes: list[int]) -> list[SizeResult]:
        self.sizes = sizes
        results = []
        peer_rate: float | None = None  # seconds per article for all peer steps, from the last size
        for size in sizes:
            result = SizeResult(size)
            corpus = self.work / f"n{size}" / "corpus"
            generate(corpus, size)
            result.facts["corpus_bytes"] = sum(p.stat().st_size for p in corpus.glob("*.md"))
            subset = size
            if peer_rate is not None and peer_rate * size > PEER_BUDGET:
                subset = max(50, min(size, int(PEER_BUDGET / peer_rate) // 50 * 50))
            self.medloc_steps(result, corpus, subset)
            peer_time = sum(s.seconds or 0 for s in result.steps if s.tool in ("translate-toolkit", "mdpo", "gettext"))
            peer_rate = peer_time / subset if subset else None
            results.append(result)
            print(f"bench: {size} articles done", file=sys.stderr)
        return results


def make_project(project: Path, corpus: Path) -> None:
    project.mkdir(parents=True, exist_ok=True)
    shutil.copytree(corpus, project / "source", dirs_exist_ok=True)
    engines = "\n".join(f'{loc} = "instant"' for loc in LOCALES)
    (project / "pyproject.toml").write_text(PYPROJECT.format(locales=json.dumps(LOCALES), engines=engines))


def differing_files(one: Path, other: Path) -> list[str]:
    """Files (outside build/, which holds caches) whose bytes differ between two project folders."""
    def files(root: Path) -> dict[str, Path]:
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*")
                if p.is_file() and p.relative_to(root).parts[0] != "build"}

    mine, theirs = files(one), files(other)
    return sorted(name for name in mine.keys() | theirs.keys()
                  if name not in mine or name not in theirs or mine[name].read_bytes() != theirs[name].read_bytes())


def _short(path: str) -> str:
    """A profiled function's file, relative to this checkout or to its library folder."""
    checkout = f"{HERE.parent}/"
    if path.startswith(checkout):
        return path[len(checkout):]
    for marker in ("site-packages/", "lib/python3."):
        if marker in path:
            path = path.split(marker, 1)[1]
            return path.split("/", 1)[1] if marker == "lib/python3." else path
    return path


def profile_tables(files: list[str], count: int = 20) -> dict[str, list[tuple[str, float, float, int]]]:
    """The COUNT functions with the most own time, and medloc's own functions with the most cumulative time."""
    stats = pstats.Stats(files[0])
    for other in files[1:]:
        stats.add(other)
    rows = [(f"{_short(path)}:{line}({name})", own, cumulative, calls)
            for (path, line, name), (_, calls, own, cumulative, _) in stats.stats.items()]  # type: ignore[attr-defined]
    ours = [r for r in rows if r[0].startswith("pipeline/")]
    return {"own": sorted(rows, key=lambda r: r[1], reverse=True)[:count],
            "cumulative": sorted(ours, key=lambda r: r[2], reverse=True)[:count]}


# ---------------------------------------------------------------- report

def peer_versions(python: Path) -> str:
    code = ("import importlib.metadata as m, subprocess; "
            "print(', '.join(f'{p} {m.version(p)}' for p in ('translate-toolkit', 'mdpo')) + ', ' + "
            "subprocess.run(['msgmerge', '--version'], capture_output=True, text=True).stdout.splitlines()[0])")
    try:
        return subprocess.run([str(python), "-c", code], capture_output=True, text=True, timeout=60).stdout.strip() or "unknown"
    except OSError:
        return "not installed"


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return {"CPU": cpu, "cores": str(os.cpu_count()), "memory": memory,
            "Python": platform.python_version(), "OS": platform.platform(),
            "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


MEDLOC_FULL = ["extract", "update", "draft (cold cache)", "check", "publish"]
MEDLOC_SUBSET = ["extract", "update", "publish"]
PIPELINES = {
    "translate-toolkit (md2po + pot2po + po2md)": [("translate-toolkit", "md2po"), ("translate-toolkit", "pot2po"),
                                                   ("translate-toolkit", "po2md")],
    "mdpo (md2po + md2po into LANG.po + po2md)": [("mdpo", "md2po"), ("mdpo", "md2po into LANG.po"), ("mdpo", "po2md")],
    "translate-toolkit md2po + GNU msgmerge + po2md": [("translate-toolkit", "md2po"), ("gettext", "msgmerge"),
                                                       ("translate-toolkit", "po2md")],
}
MATCHING = [  # medloc step, the peer steps doing the same job
    ("extract", [("translate-toolkit", "md2po"), ("mdpo", "md2po")]),
    ("update", [("translate-toolkit", "pot2po"), ("mdpo", "md2po into LANG.po"), ("gettext", "msgmerge")]),
    ("publish", [("translate-toolkit", "po2md"), ("mdpo", "po2md")]),
]


def total(result: SizeResult, parts: list[tuple[str, str]]) -> tuple[float | None, bool]:
    """Summed whole-corpus seconds of PARTS, and whether any was extrapolated; None if one is missing."""
    steps = [result.get(tool, name) for tool, name in parts]
    if any(s is None or not s.usable for s in steps):
        return None, False
    return sum(s.scaled_seconds for s in steps), any(s.measured_on < s.size for s in steps)  # type: ignore[misc]


def report(results: list[SizeResult], info: dict[str, str]) -> str:
    out = ["# medloc benchmark results", "",
           "Written by `make bench` (bench/run.py); do not edit by hand. Absolute times on a shared",
           "2-core machine are noisy; the ratios, measured in the same run on the same corpus, are what to compare.",
           "", "## Machine", ""]
    out += [f"- {key}: {value}" for key, value in info.items()]
    out += ["", f"Corpus: synthetic articles from bench/generate.py (seed 7), {len(LOCALES)} locales "
            f"({', '.join(LOCALES)}). medloc drafts with the `instant` engine (no engine time); the",
            "benchmark itself translates and approves every unit (setup rows) before publishing.",
            "Peers run serially, one process per step and locale as their command lines work; mdpo runs",
            "through its Python API in one process per step (its CLI takes one file per run).", ""]
    for result in results:
        out += size_section(result)
    out += targets(results)
    profiled = next((r for r in results if "profile" in r.facts), None)
    if profiled is not None:
        out += ["", f"## Where medloc's time goes (cProfile, full build of {profiled.size} articles)", "",
                f"Steps extract, update, draft x2, check, publish run under cProfile "
                f"({fmt(profiled.facts['profile_seconds'], 1)} s with profiling overhead), serially (`-j 1`) so "
                "that no work hides in worker processes."]
        for key, title in (("own", "Top functions by own time"), ("cumulative", "medloc's functions by cumulative time")):
            out += ["", f"{title}:", "", "| function | own s | cumulative s | calls |", "| --- | ---: | ---: | ---: |"]
            out += [f"| `{name}` | {own:.2f} | {cum:.2f} | {calls} |" for name, own, cum, calls in profiled.facts["profile"][key]]
    return "\n".join(out) + "\n"


def size_section(result: SizeResult) -> list[str]:
    facts = result.facts
    out = ["", f"## {result.size} articles x {len(LOCALES)} locales", "",
           f"Corpus: {facts.get('corpus_bytes', 0) / 1024:.0f} KiB.", "",
           "| tool | step | status | wall s | CPU s | peak MB | engine calls (units) | note |",
           "| --- | --- | --- | ---: | ---: | ---: | --- | --- |"]
    for s in result.steps:
        wall = fmt(s.seconds)
        if s.usable and s.measured_on < s.size:
            wall = f"{fmt(s.seconds)} on {s.measured_on} → {fmt(s.scaled_seconds)} extrapolated"
        engine = f"{s.engine['calls']} ({s.engine['units']})" if s.engine else ""
        note = s.note.replace("|", "/")[:300]
        out.append(f"| {s.tool} | {s.name} | {s.status} | {wall} | {fmt(s.cpu)} | {fmt(s.peak_mb, 0)} | {engine} | {note} |")
    full, _ = total(result, [("medloc", n) for n in MEDLOC_FULL])
    subset, _ = total(result, [("medloc", n) for n in MEDLOC_SUBSET])
    floor = result.get("floor", "cp -r")
    out += ["", "| comparison | medloc s | peer s | ratio medloc/peer |", "| --- | ---: | ---: | ---: |"]
    for label, parts in PIPELINES.items():
        peer, extrapolated = total(result, parts)
        mark = " (extrapolated)" if extrapolated else ""
        for what, mine in (("full build", full), ("extract+update+publish", subset)):
            ratio = fmt(mine / peer) if mine is not None and peer else "–"
            out.append(f"| medloc {what} vs {label}{mark} | {fmt(mine)} | {fmt(peer)} | {ratio} |")
    for step, peers in MATCHING:
        mine = result.get("medloc", step)
        for tool, name in peers:
            other = result.get(tool, name)
            if mine is None or other is None:
                continue
            ratio = fmt(mine.seconds / other.scaled_seconds) if mine.usable and other.usable and other.scaled_seconds else "–"
            out.append(f"| medloc {step} vs {tool} {name} | {fmt(mine.seconds if mine.usable else None)} | "
                       f"{fmt(other.scaled_seconds if other.usable else None)} | {ratio} |")
    if floor is not None and floor.usable and full is not None:
        out.append(f"| medloc full build vs floor (cp -r) | {fmt(full)} | {fmt(floor.seconds)} | {fmt(full / floor.seconds, 0)} |")
    rewritten = facts.get("noop_rewritten")
    if rewritten is not None:
        out += ["", f"No-op rebuild: {len(rewritten)} of {facts.get('noop_files')} files rewritten or removed"
                + (f" (e.g. {', '.join(rewritten[:5])})" if rewritten else "") + "."]
    edit = facts.get("edit")
    if edit:
        out.append(f"Edit: {edit['edited']} of {edit['sentences']} sentences changed in {edit['files']} article(s).")
    return out


def targets(results: list[SizeResult]) -> list[str]:
    big = max(results, key=lambda r: r.size)
    out = ["", f"## Targets of issue 7 (judged on {big.size} articles unless noted)", ""]
    full, _ = total(big, [("medloc", n) for n in MEDLOC_FULL])
    peers = {label: total(big, parts)[0] for label, parts in PIPELINES.items()}
    fastest = min(((t, label) for label, t in peers.items() if t), default=None)
    if full is not None and fastest is not None:
        ratio = full / fastest[0]
        out.append(f"- Full build faster than the fastest peer pipeline ({fastest[1]}): ratio {ratio:.2f} — "
                   + ("**holds**" if ratio < 1 else "**does not hold**"))
    else:
        out.append("- Full build vs fastest peer: **not measured** (a step failed, was skipped or is not available; see the table)")
    noop = big.get("medloc", "build again (no-op)")
    rewritten = big.facts.get("noop_rewritten")
    if noop is not None and noop.usable and full:
        holds = noop.seconds < 1.0 and noop.seconds * 20 <= full and not rewritten
        out.append(f"- No-op rebuild under 1 s, ≤ 1/20 of the full build, nothing rewritten: {noop.seconds:.2f} s, "
                   f"{full / noop.seconds:.1f}x faster than the full build, {len(rewritten or [])} file(s) rewritten — "
                   + ("**holds**" if holds else "**does not hold**"))
    else:
        out.append("- No-op rebuild: **not measured**")
    edited = big.get("medloc", f"build after {EDIT_PERCENT:g}% edit")
    redraft = big.get("medloc", f"draft after {EDIT_PERCENT:g}% edit")
    changed = big.facts.get("edit", {}).get("edited", 0)
    if edited is not None and edited.usable and full:
        share = edited.seconds / full
        units = sum((s.engine or {}).get("units", 0) for s in (edited, redraft) if s is not None)
        calls_ok = units <= changed * len(LOCALES)
        out.append(f"- Rebuild after a {EDIT_PERCENT:g}% edit at most 5% of the full build: {edited.seconds:.2f} s = "
                   f"{share * 100:.1f}% — " + ("**holds**" if share <= 0.05 else "**does not hold**"))
        out.append(f"- Engine calls only for changed units: {units} unit(s) sent to the engine for {changed} changed "
                   f"sentence(s) x {len(LOCALES)} locales — " + ("**holds**" if calls_ok else "**does not hold**")
                   + " (changed units that keep their old translation as fuzzy need no engine call)")
    else:
        out.append("- Rebuild after an edit: **not measured**")
    out += memory_target(results)
    parallel = [s for s in big.steps if s.tool == "medloc" and s.usable and s.cpu and s.seconds > 0.5]
    if parallel:
        best = max(parallel, key=lambda s: s.cpu / s.seconds)
        out.append(f"- Uses both cores: highest CPU/wall ratio of a medloc step is {best.cpu / best.seconds:.2f} "
                   f"({best.name}); 2.0 would be both cores busy — "
                   + ("**holds**" if best.cpu / best.seconds > 1.3 else "**does not hold**")
                   + ".")
    compared = next((r for r in results if "serial_differs" in r.facts), None)
    if compared is not None:
        differ = compared.facts["serial_differs"]
        out.append(f"- Output identical to a serial run (`-j 1`, compared after the full build of {compared.size} "
                   f"articles, every file outside build/): {len(differ)} file(s) differ"
                   + (f" (e.g. {', '.join(differ[:5])})" if differ else "") + " — "
                   + ("**holds**" if not differ else "**does not hold**"))
    return out


def memory_target(results: list[SizeResult]) -> list[str]:
    def peak(result: SizeResult) -> float | None:
        values = [s.peak_mb for s in result.steps if s.tool == "medloc" and s.usable and s.peak_mb]
        return max(values) if values else None

    points = [(r.size, peak(r)) for r in sorted(results, key=lambda r: r.size) if peak(r) is not None]
    if not points:
        return ["- Peak memory: **not measured**"]
    measured = next((mb for size, mb in points if size == 4000), None)
    if measured is not None:
        return [f"- Peak memory at 4000 articles: {measured:.0f} MB (measured) — "
                + ("**holds**" if measured < 300 else "**does not hold**")]
    line = ", ".join(f"{mb:.0f} MB at {size}" for size, mb in points)
    if len(points) < 2:
        return [f"- Peak memory: {line}; one size only, no extrapolation to 4000"]
    (n1, m1), (n2, m2) = points[-2], points[-1]
    slope = (m2 - m1) / (n2 - n1)
    at_4000 = m2 + slope * (4000 - n2)
    return [f"- Peak memory under 300 MB at 4000 articles: {line}; linear extrapolation to 4000 gives "
            f"{at_4000:.0f} MB ({slope * 1000:.0f} MB per 1000 articles; not measured at 4000) — "
            + ("**holds**" if at_4000 < 300 else "**does not hold**")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="comma-separated article counts (default 100,1000)")
    parser.add_argument("--peers-python", type=Path, default=HERE / ".venv-peers" / "bin" / "python",
                        help="Python of the environment with translate-toolkit and mdpo")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--budget", type=float, default=BUDGET,
                        help=f"seconds for the whole run; steps that would not fit are skipped (default {BUDGET:.0f})")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile run of the smallest size")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.sizes.split(",") if n.strip()]
    work = Path(tempfile.mkdtemp(prefix="medloc-bench-"))
    print(f"bench: working in {work}", file=sys.stderr)
    started = time.perf_counter()
    try:
        results = Bench(work, args.peers_python, not args.no_profile, args.budget).run(sizes)
        text = report(results, {**machine(), "peers": peer_versions(args.peers_python)})
        text += f"\nWhole run: {time.perf_counter() - started:.0f} s.\n"
        args.output.write_text(text, encoding="utf-8")
        print(text)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
