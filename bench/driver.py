"""What the benchmark runs in each medloc subprocess.

    driver.py cli [MEDLOC ARGS...]      the medloc command line, with the `instant` engine registered
    driver.py translate PROJECT         fill every unit of every catalog (a stand-in for translators)
    driver.py approve PROJECT           approve every unit through pipeline.approvals
    driver.py commands                  JSON: the CLI's commands, and whether it takes --jobs

Environment: MEDLOC_BENCH_CALLS=FILE makes `cli` write the instant engine's calls and units
there as JSON; MEDLOC_BENCH_PROFILE=FILE runs the command under cProfile and saves the stats.
"""

from __future__ import annotations

import cProfile
import json
import os
import sys
from pathlib import Path
from typing import Callable

def _register_instant() -> None:
    """Make `instant` an engine name. With MEDLOC_BENCH_CALLS set, every request appends its
    unit count to FILE.log: drafting runs in worker processes, so counts are kept on disk."""
    from pipeline import drafts
    from pipeline.drafts import instant

    log = os.environ.get("MEDLOC_BENCH_CALLS")

    def create(locale: str, settings: dict):
        engine = instant.create(locale, settings)
        if log:
            translate = engine.translate

            def counted(texts: list[str]) -> list[str]:
                with open(f"{log}.log", "a", encoding="utf-8") as handle:  # one short append per request
                    handle.write(f"{len(texts)}\n")
                return translate(texts)

            engine.translate = counted
        return engine

    drafts.ENGINES["instant"] = create


def run_cli(argv: list[str]) -> int:
    from pipeline import cli

    _register_instant()
    return cli.main(argv)


def translate(root: Path) -> int:
    """Give every active unit a translator's text: marked English, no fuzzy flag, no draft marker."""
    from pipeline.catalog import read_catalog, write_catalog
    from pipeline.config import load_config

    config = load_config(root)
    for path in sorted(config.locales_dir.glob("*/*.po")):
        po = read_catalog(path)
        locale = path.parent.name
        for entry in po:
            if entry.obsolete:
                continue
            entry.msgstr = f"«{locale}» {entry.msgid}"
            entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
            entry.previous_msgid = entry.previous_msgctxt = None
            entry.tcomment = "\n".join(line for line in (entry.tcomment or "").split("\n")
                                       if not line.startswith("medloc-"))
        write_catalog(po, path)
    return 0


def approve_all(root: Path) -> int:
    from pipeline.approvals import approve
    from pipeline.config import load_config
    from pipeline.project import Project

    project = Project(load_config(root))
    counts: dict[str, int] = {}
    reasons: dict[str, int] = {}
    for doc in project.documents():
        for locale in project.locales(None):
            for outcome in approve(project, doc, locale, "Bench Reviewer", None):
                counts[outcome.result] = counts.get(outcome.result, 0) + 1
                if outcome.reason and outcome.result == "refused":
                    reasons[outcome.reason[:80]] = reasons.get(outcome.reason[:80], 0) + 1
    print(json.dumps({"outcomes": counts, "refusals": reasons}))
    return 1 if counts.get("refused") else 0


def commands() -> int:
    from pipeline import cli

    print(json.dumps({"commands": sorted(cli.COMMANDS), "jobs": "--jobs" in cli.build_parser().format_help()}))
    return 0


def _write_calls() -> None:
    target = os.environ.get("MEDLOC_BENCH_CALLS")
    if target:
        log = Path(f"{target}.log")
        units = [int(line) for line in log.read_text(encoding="utf-8").split()] if log.exists() else []
        log.unlink(missing_ok=True)
        Path(target).write_text(json.dumps({"calls": len(units), "units": sum(units)}))


def main(argv: list[str]) -> int:
    actions: dict[str, Callable[[], int]] = {
        "cli": lambda: run_cli(argv[1:]),
        "translate": lambda: translate(Path(argv[1])),
        "approve": lambda: approve_all(Path(argv[1])),
        "commands": commands,
    }
    action = actions[argv[0]]
    profile_to = os.environ.get("MEDLOC_BENCH_PROFILE")
    profiler = cProfile.Profile() if profile_to else None
    try:
        if profiler is not None:
            return profiler.runcall(action)
        return action()
    finally:
        if profiler is not None:
            profiler.dump_stats(profile_to)
        _write_calls()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
