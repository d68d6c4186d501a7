"""What the last run saw, so a rebuild costs what changed, not the size of the corpus.

`build/state.json` maps a step key (e.g. `update:es:vertebroplasty`) to the fingerprints of
the files that step read and wrote: (size, mtime in ns). A step whose inputs and outputs
all still have their recorded fingerprints would write the same bytes again, so it is
skipped. The state is only a cache: deleting it (or a fresh clone) makes the next run do
the work again, and `write_if_changed` still keeps unchanged files byte- and mtime-stable.
A translator saving a catalog changes its mtime, which invalidates exactly the steps that
read it.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline import __version__
from pipeline.fsutil import write_if_changed

Fingerprint = tuple[int, int]


def fingerprint(path: Path) -> Fingerprint | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime_ns


class BuildState:
    def __init__(self, path: Path, salt: str = ""):
        self.path = path
        self.salt = f"{__version__}:{salt}"
        self._steps: dict[str, dict[str, list | None]] = {}
        self._seen: dict[str, list[Path]] = {}
        self._dirty = False
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("salt") == self.salt:
                self._steps = data.get("steps", {})
        except (FileNotFoundError, ValueError, AttributeError):
            pass

    def _prints(self, files: list[Path]) -> dict[str, list | None]:
        return {str(p): (list(fp) if (fp := fingerprint(p)) else None) for p in files}

    def fresh(self, key: str, files: list[Path]) -> bool:
        """True if FILES (a step's inputs and outputs) are exactly as the step left them."""
        self._seen[key] = files
        recorded = self._steps.get(key)
        return recorded is not None and recorded == self._prints(files)

    def record(self, key: str, files: list[Path]) -> None:
        self._seen[key] = files
        self._steps[key] = self._prints(files)
        self._dirty = True

    def settle(self) -> None:
        """Re-record every step of this run after the whole build.

        A later step (drafting) may rewrite a file an earlier step (update) wrote. The build
        is a fixed point (update of an up-to-date catalog changes nothing), so after a full
        build every step's current files are what that step would produce.
        """
        for key, files in self._seen.items():
            self.record(key, files)

    def save(self) -> None:
        if self._dirty:
            text = json.dumps({"salt": self.salt, "steps": self._steps}, sort_keys=True, separators=(",", ":"))
            write_if_changed(self.path, text + "\n")
            self._dirty = False
