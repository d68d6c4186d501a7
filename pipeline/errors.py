"""Errors a user can act on: each names the file (and line) that needs fixing."""

from __future__ import annotations

from pathlib import Path


class MedlocError(Exception):
    """Bad input or configuration. The CLI prints it as `FILE:LINE: error: MESSAGE`, exit 2."""

    exit_code = 2

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message, path, line)  # all three survive pickling to worker processes
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}error: {self.message}"
