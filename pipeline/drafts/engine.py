"""What every draft engine offers the drafting stage, and the errors it may raise.

An engine translates a list of already-protected English strings into one target
language. The stage does everything around it (translation memory, protection, cache,
glossary, marking, writing), so an engine module only knows how to talk to its backend.
"""

from __future__ import annotations

from typing import Iterator, Protocol


class EngineUnavailable(Exception):
    """The engine cannot run here (not installed, no key, pair not supported). Units stay empty."""


class EngineError(Exception):
    """The engine failed after its retries. The message is safe to print: it holds no secret."""


class Engine(Protocol):
    name: str  # registry name, e.g. "apertium"
    origin: str  # what the draft marker says, e.g. "apertium eng-spa 0.8.1"
    cache_key: str  # what the cache keys answers by (engine, data version, server)
    pair: str  # language pair as the engine names it, e.g. "eng-spa" or "en-es"
    max_units: int  # units per request
    max_chars: int  # characters per request
    calls: int  # requests or processes started so far

    def translate(self, texts: list[str]) -> list[str]:
        """One translation per text, in order; raises EngineError when the engine keeps failing."""
        ...


def batches(texts: list[str], max_units: int, max_chars: int) -> Iterator[list[str]]:
    """Consecutive groups of at most MAX_UNITS texts and (counting a separator each) MAX_CHARS characters."""
    batch: list[str] = []
    size = 0
    for text in texts:
        if batch and (len(batch) >= max_units or size + len(text) + 1 > max_chars):
            yield batch
            batch, size = [], 0
        batch.append(text)
        size += len(text) + 1
    if batch:
        yield batch
