"""Project settings from `[tool.medloc]` in pyproject.toml: load, validate, fill defaults.

Every key is declared once in `_KEYS`; an unknown key or a bad value is an error that names
pyproject.toml and the key, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from babel import Locale, UnknownLocaleError

from pipeline.errors import MedlocError

SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class Config:
    root: Path
    source: Path
    locales_dir: Path
    reviewed: Path
    build: Path
    locales: tuple[str, ...]
    engines: dict[str, str] = field(default_factory=dict)
    bugs_address: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pyproject(self) -> Path:
        return self.root / "pyproject.toml"

    def engine_for(self, locale: str) -> str:
        return self.engines.get(locale, "none")

    def documents(self) -> list[str]:
        """Document names (file stems) of every article under the source folder, sorted."""
        return sorted(p.stem for p in self.source.glob("*.md"))

    def source_path(self, doc: str) -> Path:
        return self.source / f"{doc}.md"

    def template_path(self, doc: str) -> Path:
        return self.locales_dir / "templates" / f"{doc}.pot"

    def catalog_path(self, locale: str, doc: str) -> Path:
        return self.locales_dir / locale / f"{doc}.po"

    def relative(self, path: Path) -> str:
        """A path as users see it in messages and PO references: relative to the project root."""
        if ".." not in path.parts:
            try:  # the common case, a path built from the root: no file system calls
                return path.relative_to(self.root).as_posix()
            except ValueError:
                pass
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


def parse_locale(code: str, where: str = "") -> Locale:
    """A gettext locale code (`es`, `zh_Hans`, `pt_BR`) as a Babel Locale, or a clear error."""
    if not isinstance(code, str) or not code or "/" in code or "\\" in code or ".." in code:
        raise MedlocError(f"{where}invalid locale code {code!r}")
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError) as exc:
        raise MedlocError(f"{where}unknown locale code {code!r} ({exc})") from None


def _folder(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"`{key}` must be a folder name, got {value!r}")
    return value


def _locales(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError(f"`{key}` must be a non-empty list of locale codes, got {value!r}")
    for code in value:
        if code == SOURCE_LANGUAGE:
            raise ValueError(f"`{key}` lists the source language {code!r}; list target locales only")
        parse_locale(code, f"`{key}`: ")
    if len(set(value)) != len(value):
        raise ValueError(f"`{key}` lists a locale twice: {value!r}")
    return tuple(value)


def _string(value: Any, key: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"`{key}` must be a string, got {value!r}")
    return value


def _table(value: Any, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"`{key}` must be a table, got {value!r}")
    return dict(value)


_KEYS: dict[str, tuple[Callable[[Any, str], Any], Any]] = {
    "source": (_folder, "source"),
    "locales_dir": (_folder, "locales"),
    "reviewed": (_folder, "reviewed"),
    "build": (_folder, "build"),
    "locales": (_locales, ["es", "zh_Hans", "vi", "ar"]),
    "engines": (_table, {}),
    "bugs_address": (_string, ""),
}

# Tables owned by later stages; each stage validates its own keys (see `section`).
_STAGE_TABLES = ("markdown", "drafts", "checks", "readability", "review", "publish")


def load_config(root: Path | str = ".") -> Config:
    """Read `[tool.medloc]` from ROOT/pyproject.toml; missing keys take their defaults."""
    root = Path(root)
    pyproject = root / "pyproject.toml"
    try:
        with pyproject.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise MedlocError("no pyproject.toml here; run medloc from the project folder", pyproject) from None
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"at line (\d+)", str(exc))
        raise MedlocError(f"not valid TOML: {exc}", pyproject, int(at.group(1)) if at else None) from None
    settings = data.get("tool", {}).get("medloc", {})
    where = "[tool.medloc] "
    unknown = sorted(set(settings) - set(_KEYS) - set(_STAGE_TABLES))
    if unknown:
        known = ", ".join(sorted([*_KEYS, *_STAGE_TABLES]))
        raise MedlocError(f"{where}unknown key(s) {', '.join(unknown)}; known keys: {known}", pyproject)
    values: dict[str, Any] = {}
    for key, (parse, default) in _KEYS.items():
        try:
            values[key] = parse(settings.get(key, default), key)
        except (ValueError, MedlocError) as exc:
            message = exc.message if isinstance(exc, MedlocError) else str(exc)
            raise MedlocError(where + message, pyproject, _key_line(pyproject, key)) from None
    engines = {str(k): v for k, v in values["engines"].items()}
    for locale, engine in engines.items():
        if locale not in values["locales"]:
            raise MedlocError(f"{where}engines: {locale!r} is not one of locales {list(values['locales'])}", pyproject,
                              _key_line(pyproject, locale))
        if not isinstance(engine, str) or not engine:
            raise MedlocError(f"{where}engines.{locale} must be an engine name, got {engine!r}", pyproject)
    extra = {}
    for name in _STAGE_TABLES:
        try:
            extra[name] = _table(settings.get(name, {}), name)
        except ValueError as exc:
            raise MedlocError(where + str(exc), pyproject) from None
    return Config(
        root=root,
        source=root / values["source"],
        locales_dir=root / values["locales_dir"],
        reviewed=root / values["reviewed"],
        build=root / values["build"],
        locales=values["locales"],
        engines=engines,
        bugs_address=values["bugs_address"],
        extra=extra,
    )


def _key_line(pyproject: Path, key: str) -> int | None:
    """The line where KEY is set in PYPROJECT (its first `KEY =`), so errors point at it."""
    text = pyproject.read_text(encoding="utf-8")
    found = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*=", text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else None


def section(config: Config, name: str, defaults: dict[str, Any]) -> dict[str, Any]:
    """A stage's own table, e.g. `[tool.medloc.drafts]`, checked against its DEFAULTS.

    Unknown keys and values of the wrong type are errors naming the key; missing keys take
    the default. Stages call this instead of reading `config.extra` directly.
    """
    given = config.extra.get(name, {})
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        raise MedlocError(
            f"[tool.medloc.{name}] unknown key(s) {', '.join(unknown)}; known keys: {', '.join(sorted(defaults))}",
            config.pyproject,
        )
    merged = dict(defaults)
    for key, value in given.items():
        expected = type(defaults[key])
        ok = isinstance(value, expected) or (expected is float and isinstance(value, int) and not isinstance(value, bool))
        if not ok or (expected is int and isinstance(value, bool)):
            raise MedlocError(
                f"[tool.medloc.{name}] `{key}` must be {expected.__name__}, got {value!r}", config.pyproject
            )
        merged[key] = value
    return merged
