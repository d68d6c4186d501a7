"""Shared fixtures: a temporary copy of the project, so tests never touch the repository's files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of source/, locales/, reviewed/en and pyproject.toml in a temporary folder."""
    for name in ("source", "locales"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "reviewed").mkdir()
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path
