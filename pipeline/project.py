"""The project's documents, and running a stage's steps incrementally and in parallel.

A stage describes its work as `Step`s: one per document (or document and locale), each
listing every file it reads and writes. `run_steps` skips steps whose files are exactly as
the last run left them (see `pipeline.state`) and spreads the rest over worker processes;
results come back in step order, so output is identical to a serial run.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import sys
from importlib import metadata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from pipeline.config import Config, load_config, section
from pipeline.errors import MedlocError
from pipeline import segment as segment_module
from pipeline.segment import Segmented, segment, split_sentences
from pipeline.source import MARKDOWN_DEFAULTS, read_document
from pipeline.state import BuildState, PerFileStore, SentenceStore

_DOC_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
SEGMENTED_KEPT = 64
PARALLEL_MIN_STEPS = 16  # below this, starting worker processes costs more than it saves

Result = list[tuple[Path, bool]]  # (output path, written?)
R = TypeVar("R")


def check_doc_name(name: str) -> str:
    """A document name is a file stem: no folders, no `..`, nothing a shell or URL would misread."""
    if not _DOC_NAME.match(name) or ".." in name:
        raise MedlocError(f"invalid document name {name!r}: use the file name under source/ without .md, e.g. vertebroplasty")
    return name


@dataclass(frozen=True)
class Step:
    key: str  # unique per stage and target, e.g. "update:es:vertebroplasty"
    doc: str
    locale: str
    files: tuple[Path | str, ...]  # every input and output: the step is skipped while all are unchanged
    outputs: tuple[Path, ...]


@dataclass
class Project:
    config: Config
    jobs: int = 1
    _segmented: dict[str, Segmented] = field(default_factory=dict)
    _state: BuildState | None = None

    @property
    def state(self) -> BuildState:
        if self._state is None:
            self._state = BuildState(self.config.build / "state.json", code_and_library_versions())
        return self._state

    def documents(self, names: list[str] | None = None) -> list[str]:
        """NAMES checked against source/, or every document when none are given."""
        available = self.config.documents()
        if not names:
            if not available:
                raise MedlocError(f"no articles (*.md) in {self.config.relative(self.config.source)}/")
            return available
        names = [check_doc_name(name.removesuffix(".md")) for name in names]
        known = set(available)
        missing = [name for name in names if name not in known]
        if missing:
            raise MedlocError(f"no such document {missing[0]!r}; documents: {', '.join(available) or '(none)'}")
        return names

    def locales(self, requested: list[str] | None = None) -> list[str]:
        if not requested:
            return list(self.config.locales)
        unknown = [code for code in requested if code not in self.config.locales]
        if unknown:
            raise MedlocError(
                f"locale {unknown[0]!r} is not configured; configured locales: {', '.join(self.config.locales)} "
                f"(add it to `locales` in [tool.medloc] of pyproject.toml)"
            )
        return list(requested)

    def segmented(self, name: str) -> Segmented:
        """The document cut into units; the last SEGMENTED_KEPT are kept, so a run over thousands
        of documents holds only a few in memory."""
        if name in self._segmented:
            self._segmented[name] = self._segmented.pop(name)  # most recently used last
        else:
            path = self.config.source_path(name)
            fields = tuple(section(self.config, "markdown", MARKDOWN_DEFAULTS)["translate_fields"])
            self._segmented[name] = segment(read_document(path, self.config.relative(path), fields),
                                            self.sentences.split)
            self.sentences.flush()
            if len(self._segmented) > SEGMENTED_KEPT:
                del self._segmented[next(iter(self._segmented))]
        return self._segmented[name]

    @functools.cached_property
    def sentences(self) -> SentenceStore:
        salt = hashlib.sha256(Path(segment_module.__file__).read_bytes()).hexdigest() + metadata.version("pysbd")
        return SentenceStore(self.config.build / "cache" / "sentences.sqlite3", split_sentences, salt)

    @functools.cached_property
    def parsed(self) -> PerFileStore:
        """`build/cache/parsed.sqlite3`: each catalog's and approval ledger's last parse (see
        `catalog.parse_catalog`, `approvals.read_ledger`), salted like the build state, and with
        the version of Python, whose marshal stores it."""
        salt = f"{code_and_library_versions()} python {sys.version}"
        return PerFileStore(self.config.build / "cache" / "parsed.sqlite3", salt)

    def changed(self, steps: list[Step]) -> list[Step]:
        """The steps whose files differ from what the last run left."""
        return [step for step in steps if not self.state.fresh(step.key, list(step.files))]

    def imap_steps(self, steps: list[Step], work: Callable[["Project", Step], R],
                   minimum: int = PARALLEL_MIN_STEPS) -> Iterator[R]:
        """WORK for each of STEPS, in worker processes when there are at least MINIMUM; results in
        step order, each handed on as soon as it is ready (so callers need not hold them all)."""
        if self.jobs > 1 and len(steps) >= max(2, minimum):
            with ProcessPoolExecutor(max_workers=self.jobs) as pool:
                chunk = max(1, min(32, len(steps) // (self.jobs * 8)))
                yield from pool.map(_work_in_worker, [(self.config.root, work, step) for step in steps], chunksize=chunk)
        else:
            yield from (work(self, step) for step in steps)

    def map_steps(self, steps: list[Step], work: Callable[["Project", Step], R]) -> list[R]:
        return list(self.imap_steps(steps, work))

    def run_steps(self, steps: list[Step], work: Callable[["Project", Step], Result]) -> Result:
        """Run WORK for each step whose files changed since the last run; in step order."""
        todo = self.changed(steps)
        done = dict(zip((step.key for step in todo), self.map_steps(todo, work)))
        for step in todo:
            self.state.record(step.key, list(step.files))
        return [item for step in steps for item in done.get(step.key, [(path, False) for path in step.outputs])]


@functools.cache
def code_and_library_versions() -> str:
    """What a step's output depends on besides its files: medloc's own code (a digest of the
    package's sources) and the installed version of every library it requires. A step is redone
    after any of them changes: a new Babel, say, writes other Plural-Forms headers."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0" + source.read_bytes())
    try:
        requirements = [re.match(r"[A-Za-z0-9_.-]+", line).group(0) for line in metadata.requires("medloc") or []
                        if "extra ==" not in line]
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        requirements = []
    return " ".join([digest.hexdigest()[:16], *(f"{name} {metadata.version(name)}" for name in sorted(requirements))])


_WORKER_PROJECTS: dict[Path, Project] = {}


def _work_in_worker(task: tuple[Path, Callable[[Project, Step], R], Step]) -> R:
    root, work, step = task
    if root not in _WORKER_PROJECTS:
        _WORKER_PROJECTS[root] = Project(load_config(root))
    return work(_WORKER_PROJECTS[root], step)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
