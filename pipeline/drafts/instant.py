"""The `instant` engine: returns the English text marked with the locale, at no cost.

It exists to measure everything around an engine (memory, protection, cache, marking,
writing) without an engine's own time, e.g. in `make bench`. Its drafts are not
translations; like every draft they are fuzzy and marked, so nothing approves them unread.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class InstantEngine:
    locale: str
    max_units: int
    max_chars: int = 100_000
    calls: int = 0
    units: int = 0  # texts translated, summed over calls
    name: str = "instant"

    @property
    def origin(self) -> str:
        return "instant"

    @property
    def cache_key(self) -> str:
        return "instant 1"

    @property
    def pair(self) -> str:
        return f"en-{self.locale}"

    def translate(self, texts: list[str]) -> list[str]:
        self.calls += 1
        self.units += len(texts)
        return [f"[{self.locale}] {text}" for text in texts]


def create(locale: str, settings: dict) -> InstantEngine:
    return InstantEngine(locale, settings["batch_units"])
