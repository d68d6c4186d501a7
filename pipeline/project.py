"""The project's documents: which ones a command works on, read and segmented once per run."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.config import Config
from pipeline.errors import MedlocError
from pipeline.segment import Segmented, segment
from pipeline.source import read_document

_DOC_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def check_doc_name(name: str) -> str:
    """A document name is a file stem: no folders, no `..`, nothing a shell or URL would misread."""
    if not _DOC_NAME.match(name) or ".." in name:
        raise MedlocError(f"invalid document name {name!r}: use the file name under source/ without .md, e.g. vertebroplasty")
    return name


@dataclass
class Project:
    config: Config
    _segmented: dict[str, Segmented] = field(default_factory=dict)

    def documents(self, names: list[str] | None = None) -> list[str]:
        """NAMES checked against source/, or every document when none are given."""
        available = self.config.documents()
        if not names:
            if not available:
                raise MedlocError(f"no articles (*.md) in {self.config.relative(self.config.source)}/")
            return available
        for name in names:
            check_doc_name(name.removesuffix(".md"))
        names = [name.removesuffix(".md") for name in names]
        missing = [name for name in names if name not in available]
        if missing:
            raise MedlocError(f"no such document {missing[0]!r}; documents: {', '.join(available) or '(none)'}")
        return names

    def locales(self, requested: list[str] | None = None) -> list[str]:
        if not requested:
            return list(self.config.locales)
        unknown = [code for code in requested if code not in self.config.locales]
        if unknown:
            raise MedlocError(
                f"locale {unknown[0]!r} is not configured; configured locales: {', '.join(self.config.locales)} "
                f"(add it to `locales` in [tool.medloc] of pyproject.toml)"
            )
        return list(requested)

    def segmented(self, name: str) -> Segmented:
        if name not in self._segmented:
            path = self.config.source_path(name)
            self._segmented[name] = segment(read_document(path, self.config.relative(path)))
        return self._segmented[name]
