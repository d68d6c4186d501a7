"""The check registry and what every check sees: one unit (`Context`) or one catalog.

A check is a small function registered by name with a default severity. A unit check takes
a `Context` and yields messages; a catalog check takes a `CatalogContext` and yields
(line, message) pairs. Each message speaks to the translator: what is wrong, how to fix it.
Family modules (`markup`, `numbers`, ...) only register functions; `pipeline.checks` runs them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import polib

from pipeline.glossary import Term
from pipeline.inline import TAG_RE
from pipeline.state import DerivedStore

ERROR = "error"
WARNING = "warning"
OFF = "off"
SEVERITIES = (ERROR, WARNING, OFF)

# Languages written without spaces between words: word counts and spacing rules do not apply.
NO_SPACES = frozenset({"zh", "ja", "th", "lo", "km", "my", "bo"})
OBJECT = "\ufffc"  # stands for a self-closing tag (code, image, autolink) in plain text


@dataclass(frozen=True)
class Check:
    name: str
    severity: str
    scope: str  # "unit" or "catalog"
    function: Callable
    why: str  # first docstring line, shown by `medloc check --list`
    on_empty: bool = False  # also runs on untranslated units (most checks need a translation)


REGISTRY: dict[str, Check] = {}


def _register(scope: str, name: str, severity: str, on_empty: bool = False) -> Callable:
    if severity not in (ERROR, WARNING):
        raise ValueError(f"default severity of {name} must be error or warning")

    def decorate(function: Callable) -> Callable:
        if name in REGISTRY:
            raise ValueError(f"check {name!r} registered twice")
        why = (function.__doc__ or "").strip().split("\n")[0]
        REGISTRY[name] = Check(name, severity, scope, function, why, on_empty)
        return function

    return decorate


def unit_check(name: str, severity: str, on_empty: bool = False) -> Callable:
    """Register `function(ctx: Context) -> iterable of messages` as check NAME."""
    return _register("unit", name, severity, on_empty)


def catalog_check(name: str, severity: str) -> Callable:
    """Register `function(cat: CatalogContext) -> iterable of (line, message)` as check NAME."""
    return _register("catalog", name, severity)


@dataclass(frozen=True)
class Settings:
    """Resolved `[tool.medloc.checks]`: severity per check plus the tunable thresholds."""

    severity: dict[str, str]
    params: dict[str, Any] = field(default_factory=dict)

    def level(self, check: str) -> str:
        return self.severity.get(check, REGISTRY[check].severity)


@dataclass(frozen=True)
class Finding:
    """One problem in one unit (or catalog). `severity` is the configured severity of the check.

    A finding on a fuzzy unit (unreviewed machine draft or changed English) does not fail
    `medloc check`: gettext ignores fuzzy entries and nothing unreviewed is published. It still
    blocks approval, because approving a unit clears its fuzzy flag.
    """

    check: str
    severity: str
    message: str
    path: str = ""
    line: int = 0
    locale: str = ""
    msgid: str = ""
    msgstr: str = ""
    fuzzy: bool = False
    suppressed: str | None = None  # the reason given in `medloc-ignore`, if suppressed

    @property
    def blocks_approval(self) -> bool:
        return self.severity == ERROR and self.suppressed is None

    @property
    def blocking(self) -> bool:
        """Fails `medloc check`: an error on a unit that is in use (not fuzzy), not suppressed."""
        return self.blocks_approval and not self.fuzzy

    @property
    def level(self) -> str:
        return ERROR if self.blocking else WARNING


def language(locale: str) -> str:
    return locale.replace("-", "_").split("_")[0].lower()


def plain(compact: str) -> str:
    """Compact text without tags: paired tags vanish, self-closing ones become OBJECT."""
    return TAG_RE.sub(lambda m: OBJECT if m.group(3) else "", compact)


@dataclass(frozen=True)
class Context:
    """One translated unit as the checks see it."""

    entry: polib.POEntry
    locale: str
    glossary: tuple[Term, ...]
    settings: Settings

    @property
    def msgid(self) -> str:
        return self.entry.msgid

    @property
    def msgstr(self) -> str:
        return self.entry.msgstr

    @property
    def language(self) -> str:
        return language(self.locale)

    @functools.cached_property
    def english(self) -> str:
        return plain(self.entry.msgid)

    @functools.cached_property
    def translation(self) -> str:
        return plain(self.entry.msgstr)

    @property
    def spaced(self) -> bool:
        """Whether the target language separates words with spaces."""
        return self.language not in NO_SPACES

    def param(self, name: str) -> Any:
        return self.settings.params[name]


@dataclass(frozen=True)
class CatalogContext:
    po: polib.POFile
    path: Path
    shown: str
    locale: str
    store: DerivedStore | None = None  # where checks may remember verdicts on the catalog's bytes

    @functools.cached_property
    def lines(self) -> list[str]:
        return self.path.read_text(encoding="utf-8").splitlines()

    def line_of(self, pattern: str) -> int:
        """The first line matching PATTERN (a regex), or 1: where a header field lives."""
        compiled = re.compile(pattern)
        return next((n for n, text in enumerate(self.lines, start=1) if compiled.search(text)), 1)


def quote(text: str, limit: int = 60) -> str:
    """A snippet of translator text for a message."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return f"“{text}”"
