"""mdpo's steps over a folder, in one process (its CLI takes one file or one glob per run).

Runs in bench/.venv-peers:

    peer_mdpo.py md2po CORPUS OUT            OUT/DOC.pot for each CORPUS/DOC.md
    peer_mdpo.py update CORPUS OUT LANG...   create or update OUT/LANG/DOC.po (mdpo merges into an existing file)
    peer_mdpo.py po2md CORPUS OUT LANG...    OUT/out/LANG/DOC.md from OUT/LANG/DOC.po
"""

from __future__ import annotations

import sys
from pathlib import Path

from mdpo.md2po import markdown_to_pofile
from mdpo.po2md import pofile_to_markdown


def main(argv: list[str]) -> int:
    action, corpus, out, locales = argv[0], Path(argv[1]), Path(argv[2]), argv[3:]
    sources = sorted(corpus.glob("*.md"))
    if action == "md2po":
        out.mkdir(parents=True, exist_ok=True)
        for md in sources:
            markdown_to_pofile(str(md), po_filepath=str(out / f"{md.stem}.pot"), save=True)
    elif action == "update":
        for locale in locales:
            (out / locale).mkdir(parents=True, exist_ok=True)
            for md in sources:
                markdown_to_pofile(str(md), po_filepath=str(out / locale / f"{md.stem}.po"), save=True)
    elif action == "po2md":
        for locale in locales:
            (out / "out" / locale).mkdir(parents=True, exist_ok=True)
            for md in sources:
                pofile_to_markdown(str(md), str(out / locale / f"{md.stem}.po"),
                                   save=str(out / "out" / locale / md.name))
    else:
        print(f"unknown action {action!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
