"""Outputs under reviewed/: English pages rendered from the physician-reviewed source.

Localized publishing (approved text only) builds on the same renderer.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.fsutil import write_if_changed
from pipeline.project import Project
from pipeline.render import english_page, render_html, render_text


def publish_english(project: Project, docs: list[str]) -> list[tuple[Path, bool]]:
    """Write reviewed/en/DOC.html and DOC.txt for each document."""
    results = []
    folder = project.config.reviewed / "en"
    for doc in docs:
        segmented = project.segmented(doc)
        page = english_page(segmented)
        for suffix, text in ((".html", render_html(segmented, page)), (".txt", render_text(segmented, page))):
            path = folder / f"{doc}{suffix}"
            results.append((path, write_if_changed(path, text)))
    return results
