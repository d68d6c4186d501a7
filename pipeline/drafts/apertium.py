"""Apertium, the offline default: one `apertium -u MODE` process per batch of units.

Units go through Apertium's plain-text mode joined by a separator line that Apertium
passes through untouched; the answer must split back into as many parts as went in, or
the batch is translated one unit per process instead. Inline tags and other protected
text arrive as `<N/>`-style placeholders (see protect.py): Apertium's HTML mode would
split links and add spaces, and its plain mode would translate real tag names.

The draft origin names the mode and the version of its language data (from dpkg, or
pkg-config elsewhere), so a marker reads `apertium eng-spa 0.8.1`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass

from babel import Locale

from pipeline.drafts.engine import EngineError, EngineUnavailable

SEPARATOR = "[[MEDLOCSEP]]"
_JOIN = f"\n\n{SEPARATOR}\n\n"
# ISO 639-1 -> the ISO 639-3 codes Apertium names its modes by (languages with eng-X pairs).
_ISO3 = {
    "es": "spa", "ca": "cat", "gl": "glg", "pt": "por", "fr": "fra", "it": "ita", "eo": "epo", "eu": "eus",
    "de": "deu", "nl": "nld", "sv": "swe", "da": "dan", "nb": "nob", "nn": "nno", "is": "isl", "kk": "kaz",
    "tt": "tat", "ro": "ron", "oc": "oci", "an": "arg", "ast": "ast", "cy": "cym", "br": "bre", "ga": "gle",
}


def installed_modes() -> list[str]:
    """Translation modes Apertium lists here (`apertium -l`); empty when Apertium is missing."""
    if shutil.which("apertium") is None:
        return []
    try:
        listing = subprocess.run(["apertium", "-l"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return sorted(line.strip() for line in listing.stdout.splitlines() if line.strip())


def mode_for(locale: str, modes: list[str], configured: dict[str, str]) -> str | None:
    """The English -> LOCALE mode: as configured in `apertium_modes`, else eng-ISO3[_REGION]."""
    if locale in configured:
        return configured[locale] if configured[locale] in modes else None
    parsed = Locale.parse(locale)
    code = _ISO3.get(parsed.language)
    if code is None:
        return None
    for candidate in (f"eng-{code}_{parsed.territory}" if parsed.territory else "", f"eng-{code}"):
        if candidate in modes:
            return candidate
    return None


def data_version(mode: str) -> str:
    """Version of the language data behind MODE, e.g. "0.8.1" for eng-spa from apertium-eng-spa 0.8.1-2."""
    first, second = (part.split("_")[0] for part in mode.split("-")[:2])
    for package in (f"apertium-{first}-{second}", f"apertium-{second}-{first}"):
        for command in (["dpkg-query", "-W", "-f=${Version}", package], ["pkg-config", "--modversion", package]):
            if shutil.which(command[0]) is None:
                continue
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            version = result.stdout.strip()
            if result.returncode == 0 and version:
                return re.sub(r"-[^-]*$", "", version.split(":")[-1])  # drop epoch and Debian revision
    return "unknown-version"


@dataclass
class ApertiumEngine:
    mode: str
    version: str
    timeout: float
    max_units: int = 1000  # one local process per this many units: no request limits apply
    max_chars: int = 200_000
    calls: int = 0
    name: str = "apertium"

    @property
    def origin(self) -> str:
        return f"apertium {self.mode} {self.version}"

    @property
    def cache_key(self) -> str:
        return self.origin  # a new data version translates differently: a new cache entry

    @property
    def pair(self) -> str:
        return self.mode

    def translate(self, texts: list[str]) -> list[str]:
        if len(texts) > 1 and not any(SEPARATOR in text or "\n\n" in text for text in texts):
            parts = self._run(_JOIN.join(texts)).split(SEPARATOR)
            if len(parts) == len(texts):
                return [part.strip() for part in parts]
        return [self._run(text).strip() for text in texts]

    def _run(self, text: str) -> str:
        """One `apertium` run. Its shell script starts a pipeline of processes and keeps scratch
        files in $TMPDIR: it gets a session of its own, so a timeout or Ctrl-C stops the whole
        pipeline, and a scratch folder of its own, removed afterwards even when the script could
        not. (If medloc itself is killed outright, the run ends by itself: its input ends, and
        writing its answer fails; the next run removes the folder, see `_remove_orphaned_scratch`.)"""
        self.calls += 1
        _remove_orphaned_scratch()
        with tempfile.TemporaryDirectory(prefix=f"{_SCRATCH_PREFIX}{os.getpid()}-") as scratch:
            try:
                process = subprocess.Popen(["apertium", "-u", self.mode], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                           stderr=subprocess.PIPE, text=True, start_new_session=True,
                                           env={**os.environ, "TMPDIR": scratch})
            except OSError as exc:
                raise EngineError(f"cannot run apertium: {exc.strerror}") from None
            try:
                stdout, stderr = process.communicate(text, timeout=self.timeout)
            except subprocess.TimeoutExpired:
                raise EngineError(f"apertium {self.mode} gave no answer within {self.timeout:g} s") from None
            finally:
                if process.returncode is None:  # timed out, or interrupted (Ctrl-C): stop every process of it
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    process.communicate()
        if process.returncode != 0:
            detail = (stderr.strip().splitlines() or ["no message"])[-1]
            raise EngineError(f"apertium {self.mode} failed (exit {process.returncode}): {detail}")
        return stdout


_SCRATCH_PREFIX = "medloc-apertium-"


@functools.cache  # once per process
def _remove_orphaned_scratch() -> None:
    """Remove the scratch folders of medloc processes that no longer exist: one killed outright
    (SIGKILL, power loss) could not remove its own. A folder is named by its owner's process id."""
    with contextlib.suppress(OSError):
        for folder in os.scandir(tempfile.gettempdir()):
            owner = folder.name[len(_SCRATCH_PREFIX):].split("-", 1)[0]
            if folder.name.startswith(_SCRATCH_PREFIX) and owner.isdigit() and not _alive(int(owner)):
                shutil.rmtree(folder.path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, but is another user's
        pass
    return True


def create(locale: str, settings: dict) -> ApertiumEngine:
    modes = installed_modes()
    if not modes:
        raise EngineUnavailable(
            "Apertium is not installed, so no offline drafts "
            "(Debian/Ubuntu: apt-get install apertium apertium-eng-spa)")
    mode = mode_for(locale, modes, settings["apertium_modes"])
    if mode is None:
        english = [m for m in modes if m.startswith("eng-")]
        raise EngineUnavailable(
            f"no Apertium mode translates English into {locale} here (installed English modes: "
            f"{', '.join(english) or 'none'}; set apertium_modes in [tool.medloc.drafts] to choose one)")
    return ApertiumEngine(mode, data_version(mode), settings["timeout"])
