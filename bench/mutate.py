"""Edit a given percentage of the sentences of a corpus, deterministically, in place.

A "sentence" is what medloc makes a translation unit of in body text: each sentence of a
paragraph and each list item (headings, the metadata header and do-not-translate blocks are
left alone). An edit inserts a few words before the sentence's final full stop, inside the
line it ends on, so no other line moves and every other unit keeps its text and place.

    python bench/mutate.py CORPUS_DIR --percent 1 [--seed 11]
"""

from __future__ import annotations

import argparse
import random
import re
from dataclasses import dataclass
from pathlib import Path

INSERT = " in most cases"
NO_TRANSLATE_MARK = "<!-- medloc: do-not-translate -->"
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z])")


@dataclass(frozen=True)
class Sentence:
    """A sentence in a file: where its last character sits, as (line index, column)."""

    path: Path
    line: int
    column: int  # index of the final "." (or one past the end when there is none)


@dataclass(frozen=True)
class Mutation:
    sentences: int  # sentences in the corpus
    edited: int
    files: tuple[Path, ...]  # files changed, sorted


def _blocks(lines: list[str]) -> list[tuple[str, int, int]]:
    """(kind, first line, end line) of each translatable paragraph and list item of an article."""
    i = lines.index("") if "" in lines else len(lines)  # skip the metadata header
    blocks: list[tuple[str, int, int]] = []
    skip = False  # inside a do-not-translate block
    while i < len(lines):
        line = lines[i]
        if not line.strip() or line.startswith("#"):
            i += 1
        elif line.strip() == NO_TRANSLATE_MARK:
            skip, i = True, i + 1
        elif line.startswith("- "):
            end = i + 1
            while end < len(lines) and lines[end].startswith("  "):
                end += 1
            if not skip:
                blocks.append(("item", i, end))
            skip = skip and end < len(lines) and lines[end].startswith("- ")  # the list goes on
            i = end
        else:
            end = i + 1
            while end < len(lines) and lines[end].strip() and not lines[end].startswith(("#", "- ")):
                end += 1
            if not skip:
                blocks.append(("paragraph", i, end))
            skip, i = False, end
    return blocks


def sentences(path: Path, lines: list[str]) -> list[Sentence]:
    """Every editable sentence of one article, in document order."""
    found = []
    for kind, first, end in _blocks(lines):
        text = "\n".join(lines[first:end])
        starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)] if kind == "paragraph" else [0]
        for number, start in enumerate(starts):
            stop = starts[number + 1] if number + 1 < len(starts) else len(text)
            piece = text[start:stop].rstrip()
            last = start + len(piece) - 1
            offset = last if piece.endswith((".", "?", "!")) else last + 1
            line = first + text.count("\n", 0, offset)
            column = offset - (text.rfind("\n", 0, offset) + 1)
            found.append(Sentence(path, line, column))
    return found


def mutate(corpus: Path, percent: float, seed: int = 11) -> Mutation:
    """Edit round(PERCENT% of all sentences) (at least one if PERCENT > 0) across CORPUS/*.md."""
    texts = {path: path.read_text(encoding="utf-8").split("\n") for path in sorted(corpus.glob("*.md"))}
    every = [s for path, lines in texts.items() for s in sentences(path, lines)]
    count = min(len(every), max(1 if percent > 0 else 0, round(len(every) * percent / 100)))
    chosen = random.Random(seed).sample(every, count)
    # edit right to left within a line so earlier columns stay valid
    for s in sorted(chosen, key=lambda s: (s.path, s.line, -s.column)):
        line = texts[s.path][s.line]
        texts[s.path][s.line] = line[: s.column] + INSERT + line[s.column:]
    changed = sorted({s.path for s in chosen})
    for path in changed:
        path.write_text("\n".join(texts[path]), encoding="utf-8")
    return Mutation(len(every), count, tuple(changed))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--percent", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    result = mutate(args.corpus, args.percent, args.seed)
    print(f"edited {result.edited} of {result.sentences} sentences in {len(result.files)} file(s)")


if __name__ == "__main__":
    main()
