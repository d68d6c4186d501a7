"""Engine answers on disk, so a second `medloc draft` makes no engine call at all.

An SQLite file (default `build/cache/drafts.sqlite3`, git-ignored) keyed by engine,
language pair and the protected English text. SQLite commits are atomic, so a crash or
Ctrl-C loses at most the last batches (`state.connect_cache`), never the file; a damaged file
is removed and started afresh (`state.CacheFile`). Only engine output is stored: no API key,
no URL with a key in it, no error text.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from pipeline.state import CacheFile, rows_among

_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    engine TEXT NOT NULL,
    pair TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (engine, pair, source)
)
"""


class DraftCache:
    def __init__(self, path: Path):
        self.path = path
        self._file = CacheFile(path, lambda db: db.execute(_SCHEMA))

    def get_many(self, engine: str, pair: str, texts: list[str]) -> dict[str, str]:
        """The cached answers among TEXTS (reads nothing if the cache file does not exist yet)."""
        if not self._file.opened and not self.path.exists():
            return {}
        return dict(self._file.run(lambda db: rows_among(
            db, "SELECT source, target FROM drafts WHERE engine=? AND pair=? AND source IN ({marks})",
            texts, (engine, pair))))

    def put_many(self, engine: str, pair: str, answers: dict[str, str]) -> None:
        """Store one batch of answers in a single transaction."""
        if answers:
            self._file.write_rows("INSERT OR REPLACE INTO drafts (engine, pair, source, target) VALUES (?, ?, ?, ?)",
                                  [(engine, pair, source, target) for source, target in answers.items()])

    def clear(self) -> int:
        """Forget every cached answer; returns how many there were."""
        if not self.path.exists():
            return 0

        def clear(db: sqlite3.Connection) -> int:
            count = db.execute("SELECT COUNT(*) FROM drafts").fetchone()[0]
            with db:
                db.execute("DELETE FROM drafts")
            db.execute("VACUUM")
            return count

        return self._file.run(clear)

    def close(self) -> None:
        self._file.close()
