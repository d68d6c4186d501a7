"""GFM pipe tables and strikethrough for mdformat's Markdown renderer (an mdformat parser extension).

mdformat-tables and mdformat-gfm would be the libraries for this, but their releases
require mdformat < 0.8, which requires markdown-it-py < 4, and medloc parses with
markdown-it-py 4 (the one parser). Rendering these back is small: each cell's inline
content through mdformat itself, pipes escaped, columns padded by display width, alignment
from the cell style; `~~` around struck-through text.
"""

from __future__ import annotations

import re

from mdformat.renderer import DEFAULT_RENDERERS, RenderContext, RenderTreeNode
from wcwidth import wcswidth

# Text holding none of these is written as it is by every step of mdformat's text renderer
# (which costs 90 us a text node, most of a page's Markdown); `tests/test_mdgfm.py` compares.
_NEEDS_ESCAPING = re.compile(r"[\t\\*_\[\]<`&\n]|  |!$")


def update_mdit(mdit) -> None:
    """mdformat's hook for parser changes."""
    mdit.enable(["table", "strikethrough"])


def _width(text: str) -> int:
    width = wcswidth(text)
    return width if width >= 0 else len(text)


def _alignment(cell: RenderTreeNode) -> str:
    style = str(cell.attrs.get("style", ""))
    return style.removeprefix("text-align:") if style.startswith("text-align:") else ""


def _rule(alignment: str, width: int) -> str:
    dashes = "-" * max(3, width)
    if alignment == "left":
        return ":" + dashes[1:]
    if alignment == "right":
        return dashes[1:] + ":"
    if alignment == "center":
        return ":" + dashes[2:] + ":"
    return dashes


def _table(node: RenderTreeNode, context: RenderContext) -> str:
    rows: list[list[str]] = []
    header: list[RenderTreeNode] = []
    for section in node.children:
        for row in section.children:
            cells = []
            for cell in row.children:
                text = "".join(child.render(context) for child in cell.children)
                cells.append(text.replace("\n", " "))  # pipes are escaped in all text
            rows.append(cells)
            if section.type == "thead":
                header = list(row.children)
    columns = len(rows[0])
    rows = [row + [""] * (columns - len(row)) for row in rows]
    widths = [max(3, *(_width(row[i]) for row in rows)) for i in range(columns)]
    aligns = [_alignment(cell) for cell in header] + [""] * (columns - len(header))

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(cells)) + " |"

    lines = [line(rows[0]), "| " + " | ".join(_rule(aligns[i], widths[i]) for i in range(columns)) + " |"]
    lines += [line(row) for row in rows[1:]]
    return "\n".join(lines)


def _text(node: RenderTreeNode, context: RenderContext) -> str:
    if _NEEDS_ESCAPING.search(node.content):
        return DEFAULT_RENDERERS["text"](node, context)
    return node.content


def _strikethrough(node: RenderTreeNode, context: RenderContext) -> str:
    return "~~" + "".join(child.render(context) for child in node.children) + "~~"


def _escape_text(text: str, node: RenderTreeNode, context: RenderContext) -> str:
    """Text that would read back as GFM or a footnote is escaped: `~~`, `[^` and pipes (which
    make a line a table row). mdformat escapes CommonMark's own syntax already."""
    return text.replace("~~", "\\~\\~").replace("[^", "\\[^").replace("|", "\\|")


RENDERERS = {"table": _table, "s": _strikethrough, "text": _text}
POSTPROCESSORS = {"text": _escape_text}
