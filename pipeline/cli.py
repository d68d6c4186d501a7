"""The `medloc` command line: parse options, call a stage, report, choose the exit code.

Exit codes: 0 success; 1 the command ran and found problems (failed checks, refused
approvals, units that could not be drafted); 2 usage errors or unreadable input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from pipeline import __version__
from pipeline.catalog import catalog_counts, extract, read_catalog, update
from pipeline.config import load_config
from pipeline.errors import MedlocError
from pipeline.project import Project, default_jobs
from pipeline.publish import publish_english

DESCRIPTION = """\
Localize physician-reviewed health articles.

Articles are English Markdown files in source/. medloc cuts them into translation
units, keeps one gettext catalog per document and locale in locales/, and publishes
into reviewed/ only what people have approved.

The usual cycle:
  medloc build                 extract, update catalogs, render English outputs
  (translators edit locales/LANG/DOC.po in Poedit, Weblate or an editor)

Settings live in [tool.medloc] of pyproject.toml. Run `medloc COMMAND --help` for details.
"""

Command = Callable[[Project, argparse.Namespace], int]


def _report(results: list[tuple[Path, bool]], project: Project, verb: str = "wrote") -> None:
    for path, written in results:
        status = verb if written else "unchanged"
        print(f"  {status:9} {project.config.relative(path)}", file=sys.stderr)


def cmd_extract(project: Project, args: argparse.Namespace) -> int:
    print("extract: English units -> locales/templates/*.pot", file=sys.stderr)
    _report(extract(project, project.documents(args.docs)), project)
    return 0


def cmd_update(project: Project, args: argparse.Namespace) -> int:
    print("update: templates -> locales/LANG/*.po (msgmerge semantics)", file=sys.stderr)
    _report(update(project, project.documents(args.docs), project.locales(args.locale)), project)
    return 0


def cmd_publish(project: Project, args: argparse.Namespace) -> int:
    print("publish: English outputs -> reviewed/en/", file=sys.stderr)
    _report(publish_english(project, project.documents(args.docs)), project)
    return 0


def cmd_build(project: Project, args: argparse.Namespace) -> int:
    docs = project.documents(args.docs)
    locales = project.locales(args.locale)
    steps: list[tuple[str, Callable[[], list[tuple[Path, bool]]]]] = [
        ("extract", lambda: extract(project, docs)),
        ("update", lambda: update(project, docs, locales)),
        ("publish English", lambda: publish_english(project, docs)),
    ]
    written = 0
    for name, step in steps:
        print(f"{name} ...", file=sys.stderr)
        results = step()
        _report(results, project)
        written += sum(1 for _, changed in results if changed)
    print(_summary(project, docs, locales, written))
    return 0


def _summary(project: Project, docs: list[str], locales: list[str], written: int) -> str:
    lines = [f"medloc build: {len(docs)} document(s), {len(locales)} locale(s), {written} file(s) written"]
    for doc in docs:
        for locale in locales:
            path = project.config.catalog_path(locale, doc)
            counts = catalog_counts(read_catalog(path, project.config.relative(path)))
            lines.append(
                f"  {doc} [{locale}]: {counts['total']} units, {counts['translated']} translated, "
                f"{counts['fuzzy']} fuzzy, {counts['untranslated']} untranslated"
            )
    return "\n".join(lines)


def _add_selection(parser: argparse.ArgumentParser, locales: bool = True) -> None:
    parser.add_argument("docs", nargs="*", metavar="DOC", help="document names (default: every article in source/)")
    if locales:
        parser.add_argument("-l", "--locale", action="append", metavar="LANG",
                            help="only this locale; repeat for more (default: every configured locale)")


COMMANDS: dict[str, tuple[Command, str, str]] = {
    "build": (cmd_build, "run every stage in order and summarize",
              "Run extract, update and the English outputs, then print a summary per catalog."),
    "extract": (cmd_extract, "write locales/templates/DOC.pot from source/DOC.md",
                "Cut each article into units and write its template. Unchanged templates keep every byte."),
    "update": (cmd_update, "create or update locales/LANG/DOC.po from the templates",
               "Merge each template into its catalogs like GNU msgmerge: translations are kept, changed\n"
               "English units become fuzzy with the previous msgid (#|), removed ones obsolete (#~)."),
    "publish": (cmd_publish, "write reviewed/en/DOC.html and DOC.txt",
                "Render the physician-reviewed English articles as HTML and plain text."),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="medloc", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"medloc {__version__}")
    parser.add_argument("-C", "--project", type=Path, default=Path("."), metavar="DIR",
                        help="project folder holding pyproject.toml (default: current folder)")
    parser.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                        help="worker processes for large projects (default: one per CPU core)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, summary, details) in COMMANDS.items():
        command = sub.add_parser(name, help=summary, description=details,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
        _add_selection(command, locales=name not in ("extract", "publish"))
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        project = Project(load_config(args.project), jobs=args.jobs or default_jobs())
        code = COMMANDS[args.command][0](project, args)
        if args.command == "build":
            project.state.settle()
        project.state.save()
        return code
    except MedlocError as exc:
        print(f"medloc: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("medloc: interrupted; files already written are complete, nothing is half-written", file=sys.stderr)
        return 130
