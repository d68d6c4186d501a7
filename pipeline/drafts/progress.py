"""Drafting progress: a redrawn bar on a terminal, plain lines in CI logs (no TTY)."""

from __future__ import annotations

import sys
from typing import TextIO

WIDTH = 30


class Progress:
    def __init__(self, stream: TextIO | None = None, plain: bool = False):
        """PLAIN: lines even on a terminal (workers drafting side by side would redraw one bar)."""
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() and not plain
        self.label = ""
        self.total = 0
        self.done = 0

    def start(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, total, 0
        if self.tty:
            self._show()

    def advance(self, count: int) -> None:
        self.done = min(self.total, self.done + count)
        self._show()

    def finish(self) -> None:
        if self.tty and self.total:
            self.stream.write("\n")
            self.stream.flush()

    def _show(self) -> None:
        if not self.total:
            return
        if self.tty:
            filled = WIDTH * self.done // self.total
            bar = "#" * filled + "-" * (WIDTH - filled)
            self.stream.write(f"\r  {self.label} [{bar}] {self.done}/{self.total}")
        else:
            self.stream.write(f"  {self.label}: {self.done}/{self.total} units sent to the engine\n")
        self.stream.flush()
