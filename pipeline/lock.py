"""One writer at a time: a project lock held by every medloc command that writes.

Two runs writing the same catalogs or the same `reviewed/` folder could each read the
other's half-finished state and overwrite it. `project_lock` takes an exclusive
`fcntl.flock` on `build/medloc.lock`; a second run waits up to `--wait` seconds
(environment MEDLOC_WAIT, default DEFAULT_WAIT) and then stops with exit code 2, naming
the process that holds the lock and its command. The kernel drops the lock when the
holder exits, even on SIGKILL, so a crashed run never leaves a stale lock behind.

The lock file stays empty and is never rewritten, so a no-op run changes no byte and no
mtime under build/ either. The holder is found in the kernel's own table of locks
(`/proc/locks`, Linux); elsewhere the message says the holder is unknown.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path
from typing import Iterator

from pipeline.errors import MedlocError

LOCK_NAME = "medloc.lock"
DEFAULT_WAIT = 5.0
POLL = 0.05


def default_wait() -> float:
    """MEDLOC_WAIT from the environment (seconds), else DEFAULT_WAIT."""
    value = os.environ.get("MEDLOC_WAIT", "")
    try:
        return max(0.0, float(value)) if value else DEFAULT_WAIT
    except ValueError:
        raise MedlocError(f"MEDLOC_WAIT must be a number of seconds, got {value!r}") from None


@contextlib.contextmanager
def project_lock(build: Path, wait: float, shown: str | None = None) -> Iterator[None]:
    """Hold the lock on BUILD/medloc.lock while the block runs; wait up to WAIT seconds for it."""
    build.mkdir(parents=True, exist_ok=True)
    path = build / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise MedlocError(
                        f"another medloc run is writing this project ({holder(fd)}); waited {wait:g} s. "
                        "Run again when it has finished, or wait longer with `medloc --wait SECONDS ...`",
                        shown or path,
                    ) from None
                time.sleep(POLL)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def holder(fd: int) -> str:
    """`pid 1234: medloc update` for the process holding the flock on FD's file, if it can be found."""
    stat = os.fstat(fd)
    device = f"{os.major(stat.st_dev):02x}:{os.minor(stat.st_dev):02x}:{stat.st_ino}"
    try:
        table = Path("/proc/locks").read_text(encoding="ascii", errors="replace").splitlines()
    except OSError:
        return "holder unknown"
    for line in table:
        fields = line.split()
        if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5] == device:
            return f"pid {fields[4]}: {_command_of(fields[4])}"
    return "holder unknown"


def _command_of(pid: str) -> str:
    """The command line of PID, with the interpreter and script paths shortened to their names."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "command unknown"
    args = [arg.decode("utf-8", "replace") for arg in raw.split(b"\0") if arg]
    if len(args) > 1 and Path(args[0]).name.startswith("python") and not args[1].startswith("-"):
        args = args[1:]  # `python /venv/bin/medloc update` -> `medloc update`
    return " ".join([Path(args[0]).name, *args[1:]]) if args else "command unknown"
