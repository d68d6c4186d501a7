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

import hashlib
import os
import sqlite3
import sys
import json
import threading
from pathlib import Path
from typing import Any, Callable, TypeVar

from pipeline import __version__
from pipeline.fsutil import write_if_changed

Fingerprint = tuple[int, int]
T = TypeVar("T")


def fingerprint(path: Path | str) -> Fingerprint | None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime_ns


def identity(path: Path | str) -> tuple[int, int, int] | None:
    """(inode, size, mtime in ns): for in-process caches of parsed files. medloc replaces a file
    it rewrites (a new inode), so this tells a rewrite apart even within one mtime tick."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


class LastParsed:
    """The last file parsed through it and the result, parsed again only for another file or
    a changed one (by `identity`; a missing file is parsed every time). One slot, so memory
    does not grow with the files asked for."""

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._value: Any = None

    def get(self, path: Path | str, parse: Callable[[], Any]) -> Any:
        key = (str(path), identity(path))
        if key[1] is None or key != self._key:
            self._value, self._key = parse(), key
        return self._value


class BuildState:
    """Per step: a digest of its files' fingerprints, and optionally a small JSON result."""

    def __init__(self, path: Path, salt: str = ""):
        self.path = path
        self.salt = f"{__version__}:{salt}"
        self._steps: dict[str, str] = {}
        self._data: dict[str, Any] = {}
        self._seen: dict[str, list[Path | str]] = {}
        self._fresh: set[str] = set()  # steps found unchanged in this run
        self._touched: set[str] = set()  # files of the steps that ran in this run
        self._dirty = False
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("salt") == self.salt:
                self._steps, self._data = data["steps"], data["data"]
        except (FileNotFoundError, ValueError, AttributeError, KeyError, TypeError):
            pass

    @staticmethod
    def _digest(files: list[Path | str]) -> str:
        prints = [(str(p), fingerprint(p)) for p in files]
        return hashlib.blake2b(repr(prints).encode("utf-8"), digest_size=12).hexdigest()

    def fresh(self, key: str, files: list[Path | str]) -> bool:
        """True if FILES (a step's inputs and outputs) are exactly as the step left them."""
        self._seen[key] = files
        recorded = self._steps.get(key)
        fresh = recorded is not None and recorded == self._digest(files)
        if fresh:
            self._fresh.add(key)
        return fresh

    def record(self, key: str, files: list[Path | str], data: Any = None) -> None:
        self._seen[key] = files
        self._fresh.discard(key)
        self._touched.update(map(str, files))
        self._steps[key] = self._digest(files)
        if data is not None:
            self._data[key] = data
        self._dirty = True

    def data(self, key: str) -> Any:
        return self._data.get(key)

    def forget(self, key: str) -> None:
        """The step did not reach its result (e.g. an engine was missing): do it again next run."""
        self._seen.pop(key, None)
        if self._steps.pop(key, None) is not None:
            self._data.pop(key, None)
            self._dirty = True

    def memo(self, key: str, files: list[Path | str], compute: Callable[[], Any]) -> Any:
        """COMPUTE()'s JSON-able result, recomputed only when FILES changed."""
        if self.fresh(key, files) and key in self._data:
            return self._data[key]
        value = compute()
        self.record(key, files, value)
        return value

    def settle(self) -> None:
        """Re-record every step of this run after the whole build.

        A later step (drafting) may rewrite a file an earlier step (update) wrote. The build
        is a fixed point (update of an up-to-date catalog changes nothing), so after a full
        build every step's current files are what that step would produce.
        """
        touched = set(self._touched)
        for key, files in self._seen.items():
            if key not in self._fresh or not touched.isdisjoint(map(str, files)):
                self.record(key, files)

    def save(self) -> None:
        if self._dirty:
            state = {"salt": self.salt, "steps": self._steps, "data": self._data}
            write_if_changed(self.path, json.dumps(state, sort_keys=True, separators=(",", ":")) + "\n")
            self._dirty = False


def connect_cache(path: Path, prepare: Callable[[sqlite3.Connection], None]) -> sqlite3.Connection:
    """An SQLite cache file under `build/cache/`, shared by worker processes (and threads),
    after PREPARE (creating its tables).

    Write-ahead log, synced at checkpoints rather than every commit: a crash loses at most the
    last values (recomputed or asked again next time), never the file, and workers read while
    one writes. A file that is not an SQLite database (or whose header or tables are damaged)
    is only a cache: it is removed with a warning and started afresh, rather than stopping the run.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _open_cache(path, prepare)
    except sqlite3.OperationalError:  # locked past the timeout, or not writable: not damage
        raise
    except sqlite3.DatabaseError as exc:
        _remove_damaged(path, exc)
        return _open_cache(path, prepare)


def _remove_damaged(path: Path, exc: sqlite3.DatabaseError) -> None:
    print(f"medloc: warning: {path} is not a usable cache ({exc}); starting it afresh", file=sys.stderr)
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)


def _open_cache(path: Path, prepare: Callable[[sqlite3.Connection], None]) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=60, check_same_thread=False)
    try:
        try:
            db.execute("PRAGMA journal_mode=WAL")  # persistent: one process's switch serves all
        except sqlite3.OperationalError:  # another worker is switching it right now
            pass
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()  # reads the header: is it a database?
        prepare(db)
    except BaseException:
        db.close()
        raise
    return db


def rows_among(db: sqlite3.Connection, query: str, values: list[str], fixed: tuple = ()) -> list[tuple]:
    """The rows of QUERY for the distinct VALUES, which fill its `IN ({marks})` after the FIXED
    parameters; in parts, since SQLite binds at most 999 parameters per statement."""
    unique = list(dict.fromkeys(values))
    rows: list[tuple] = []
    for start in range(0, len(unique), 500):
        part = unique[start:start + 500]
        rows += db.execute(query.format(marks=",".join("?" * len(part))), [*fixed, *part])
    return rows


class CacheFile:
    """An SQLite file of `build/cache/`, opened on first use (`connect_cache`); threads of one
    process share it (the web workspace serves requests in threads), each forked worker
    process opens its own.

    Damage found later, inside the file (SQLite reports it corrupt, or not a database), is
    handled like damage found on opening: `run` removes the file with a warning and does its
    work again on a fresh one. It only ever costs cached values.
    """

    def __init__(self, path: Path, prepare: Callable[[sqlite3.Connection], None]):
        self.path, self._prepare = path, prepare
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    @property
    def opened(self) -> bool:
        return self._db is not None

    def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            try:
                return work(self._connect())
            except sqlite3.DatabaseError as exc:
                if getattr(exc, "sqlite_errorcode", 0) & 0xFF not in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
                    raise  # not damage: a bug, or an error raised by Python's sqlite3 module itself
                self.close()
                _remove_damaged(self.path, exc)
                return work(self._connect())

    def write_rows(self, statement: str, rows: list[tuple]) -> None:
        """STATEMENT for each of ROWS, in one transaction."""
        def write(db: sqlite3.Connection) -> None:
            with db:
                db.executemany(statement, rows)

        self.run(write)

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = connect_cache(self.path, self._prepare)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def salted(salt: str, table: str) -> Callable[[sqlite3.Connection], None]:
    """What opens a `CacheFile` of one TABLE ("name (columns)") whose rows were all made by code of SALT.

    Rows made by other code can never be used again: they are dropped on opening, so a cache
    kept across CI runs does not grow with every release.
    """
    def prepare(db: sqlite3.Connection) -> None:
        with db:  # one transaction: another process opening the file meanwhile waits
            db.execute(f"CREATE TABLE IF NOT EXISTS {table}")
            db.execute("CREATE TABLE IF NOT EXISTS salt (value TEXT NOT NULL)")
            if db.execute("SELECT value FROM salt").fetchall() != [(salt,)]:
                db.execute(f"DELETE FROM {table.split()[0]}")
                db.execute("DELETE FROM salt")
                db.execute("INSERT INTO salt VALUES (?)", (salt,))

    return prepare


class _SaltedStore:
    """One SQLite table (TABLE, "name (columns)") of `build/cache/`, in a `CacheFile` salted with SALT."""

    TABLE = ""

    def __init__(self, path: Path, salt: str):
        self.path, self._salt = path, salt
        self._file = CacheFile(path, salted(salt, self.TABLE))


class DerivedStore(_SaltedStore):
    """Values derived from text, kept across runs in one SQLite table of `build/cache/`.

    Keys are digests of everything a value depends on, salted with the deriving code's own
    version, so a stale value can never be found. New values are buffered and stored by
    `flush` in one transaction.
    """

    TABLE = "derived (key TEXT PRIMARY KEY, value TEXT NOT NULL)"

    def __init__(self, path: Path, salt: str):
        super().__init__(path, salt)
        self._new: list[tuple[str, str]] = []
        self._new_lock = threading.Lock()

    def key(self, text: str) -> str:
        return hashlib.blake2b(f"{self._salt}\0{text}".encode("utf-8"), digest_size=16).hexdigest()

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        """The stored values among KEYS (a query per few hundred keys)."""
        rows = self._file.run(lambda db: rows_among(db, "SELECT key, value FROM derived WHERE key IN ({marks})", keys))
        return {key: json.loads(value) for key, value in rows}

    def add(self, key: str, value: Any) -> None:
        with self._new_lock:
            self._new.append((key, json.dumps(value, ensure_ascii=False)))

    def flush(self) -> None:
        with self._new_lock:
            new, self._new = self._new, []
        if new:
            self._file.write_rows("INSERT OR IGNORE INTO derived VALUES (?, ?)", new)


class SentenceStore(DerivedStore):
    """Sentence splits of paragraphs from earlier runs (`build/cache/sentences.sqlite3`).

    Splitting is the costly part of reading an article; an edit changes few paragraphs, so
    the others are looked up here instead of being split again. The salt is the splitter's
    own code and pysbd's version, so a change of rules never reuses old splits.
    """

    def __init__(self, path: Path, split: Callable[[str], tuple[str, ...]], salt: str):
        super().__init__(path, salt)
        self._split = split

    def split(self, paragraph: str) -> tuple[str, ...]:
        key = self.key(paragraph)
        found = self.get_many([key])
        if key in found:
            return tuple(found[key])
        sentences = self._split(paragraph)
        self.add(key, list(sentences))
        return sentences


class PerFileStore(_SaltedStore):
    """One value derived from each file's bytes, kept while the file still holds those bytes.

    Rows are keyed by the file's name, so the store holds one row per file however often it
    changes; a value is found only for the exact bytes (by digest) it was derived from. Each
    miss is stored at once: the stages of a build read the same files in different processes.
    """

    TABLE = "per_file (name TEXT PRIMARY KEY, digest BLOB, value BLOB)"

    def get(self, name: str, data: bytes) -> bytes | None:
        row = self._file.run(lambda db: db.execute("SELECT digest, value FROM per_file WHERE name = ?",
                                                   (name,)).fetchone())
        return row[1] if row is not None and row[0] == _digest(data) else None

    def put(self, name: str, data: bytes, value: bytes) -> None:
        self._file.write_rows("INSERT OR REPLACE INTO per_file VALUES (?, ?, ?)", [(name, _digest(data), value)])


def derived_from(store: PerFileStore | None, name: str, data: bytes, derive: Callable[[], T],
                 dump: Callable[[T], bytes | None], load: Callable[[bytes], T]) -> T:
    """DERIVE() from DATA, the bytes of file NAME; or, with a STORE, LOAD of what it keeps for
    exactly these bytes, else DERIVE() kept there as DUMP of it (unless DUMP gives None)."""
    known = store.get(name, data) if store is not None else None
    if known is not None:
        return load(known)
    value = derive()
    blob = dump(value) if store is not None else None
    if blob is not None:
        store.put(name, data, blob)
    return value


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()
