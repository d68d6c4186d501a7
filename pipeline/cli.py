"""The `medloc` command line: parse options, call a stage, report, choose the exit code.

Exit codes: 0 success; 1 the command ran and found problems (failed checks, refused
approvals, units that could not be drafted); 2 usage errors or unreadable input.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path
from typing import Callable

from pipeline import __version__
from pipeline.build import build, summary as build_summary
from pipeline.catalog import extract, update
from pipeline.checks import REGISTRY, iter_checks, load_settings
from pipeline.checks.report import FORMATS
from pipeline.checks.report import write as write_findings
from pipeline.config import load_config
from pipeline.drafts import clear_cache, draft, engine_names
from pipeline.errors import MedlocError
from pipeline.lock import LOCK_NAME, default_wait, project_lock
from pipeline.project import Project, default_jobs
from pipeline.approvals import approve
from pipeline.publish import merge_manifests, publish
from pipeline.review import write_packets
from pipeline.status import as_json, as_text, document_status, stale_units

DESCRIPTION = """\
Localize physician-reviewed health articles.

Articles are English Markdown files in source/. medloc cuts them into translation
units, keeps one gettext catalog per document and locale in locales/, pre-fills empty
units with machine drafts marked for review, and publishes into reviewed/ only what
health-literacy reviewers have approved.

The usual cycle:
  medloc build                        extract, update, draft, check, publish, summary
  (translators edit locales/LANG/DOC.po in Poedit, Weblate or an editor, clearing fuzzy)
  medloc check -l es                  what is wrong, FILE:LINE by FILE:LINE
  medloc review -l es DOC             review packet in build/review/es/DOC.html
  medloc approve -l es DOC --reviewer "Name" --all
  medloc publish                      reviewed/es/DOC.html and .txt from approved text
  medloc status                       where every document and locale stands

Exit codes: 0 success, 1 problems found (check errors, refused approvals, stale
publications), 2 usage errors or unreadable input (FILE:LINE: error: ...).
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


def cmd_merge_manifests(project: Project, args: argparse.Namespace) -> int:
    path, written, taken = merge_manifests(project, args.manifests)
    print(f"merge-manifests: {taken} entr{'y' if taken == 1 else 'ies'} taken from {len(args.manifests)} shard(s); "
          f"{project.config.relative(path)} {'written' if written else 'unchanged'}", file=sys.stderr)
    return 0


def cmd_publish(project: Project, args: argparse.Namespace) -> int:
    print("publish: English and approved translations -> reviewed/", file=sys.stderr)
    report = publish(project, project.documents(args.docs), project.locales(args.locale))
    _report(report.written, project)
    for outcome in report.outcomes:
        kept = "; last published version kept" if outcome.status == "stale" else ""
        reason = f" ({outcome.reason}{kept})" if outcome.reason else ""
        print(f"  {outcome.doc} [{outcome.locale}]: {outcome.status}{reason}", file=sys.stderr)
        if outcome.status == "stale":
            for unit, line, why in outcome.units:
                print(f"    {unit} line {line}: {why}", file=sys.stderr)
    return 0 if report.ok else 1


def cmd_review(project: Project, args: argparse.Namespace) -> int:
    print("review: catalogs + approvals -> build/review/LANG/DOC.html", file=sys.stderr)
    _report(write_packets(project, project.documents(args.docs), project.locales(args.locale)), project)
    return 0


def cmd_approve(project: Project, args: argparse.Namespace) -> int:
    docs, locales = project.documents(args.docs), project.locales(args.locale)
    if len(docs) != 1 or not args.docs or not args.locale or len(locales) != 1:
        raise MedlocError("approve one document in one locale: medloc approve -l LANG DOC --reviewer NAME --all")
    if bool(args.unit) == args.all:
        raise MedlocError("name the units to approve with --unit ID (repeat it), or approve every unit with --all")
    outcomes = approve(project, docs[0], locales[0], args.reviewer, None if args.all else args.unit)
    for outcome in outcomes:
        detail = f": {outcome.reason}" if outcome.reason else ""
        print(f"  {outcome.result:16} {outcome.unit.id} line {outcome.unit.line}{detail}", file=sys.stderr)
    counts = {result: sum(1 for o in outcomes if o.result == result) for result in ("approved", "already approved", "refused")}
    print(f"approve {docs[0]} [{locales[0]}]: " + ", ".join(f"{n} {result}" for result, n in counts.items()))
    return 1 if counts["refused"] else 0


def cmd_status(project: Project, args: argparse.Namespace) -> int:
    statuses = [document_status(project, doc, project.locales(args.locale)) for doc in project.documents(args.docs)]
    if args.json:
        print(json.dumps(as_json(statuses), ensure_ascii=False, indent=2, sort_keys=True))
    else:
        print(as_text(statuses))
    return 0


def cmd_serve(project: Project, args: argparse.Namespace) -> int:
    from pipeline.web import serve  # Flask is loaded only for this command

    docs = project.documents(args.docs) if args.docs else None
    return serve(project.config.root, docs, project.locales(args.locale) if args.locale else None,
                 args.host, args.port, args.token)


def cmd_draft(project: Project, args: argparse.Namespace) -> int:
    if args.clear_cache:
        print(f"draft: cleared {clear_cache(project)} cached engine answer(s)", file=sys.stderr)
    print("draft: empty units -> machine drafts (fuzzy, marked `medloc-draft`)", file=sys.stderr)
    report = draft(project, project.documents(args.docs), project.locales(args.locale), args.engine)
    _report(report.written, project)
    print("\n".join(report.lines()), file=sys.stderr)
    return 1 if report.failed else 0


def cmd_build(project: Project, args: argparse.Namespace) -> int:
    docs, locales = project.documents(args.docs), project.locales(args.locale)
    written = build(project, docs, locales, lambda line: print(line, file=sys.stderr))
    print("\n".join(build_summary(project, docs, locales, written)))
    return 0


def cmd_check(project: Project, args: argparse.Namespace) -> int:
    if args.list:
        settings = load_settings(project.config)
        for check in REGISTRY.values():
            print(f"{check.name:20} {settings.level(check.name):8} {check.why}")
        return 0
    docs, locales = project.documents(args.docs), project.locales(args.locale)
    totals = write_findings(iter_checks(project, docs, locales), args.format, print)
    stale = args.fail_on_stale and _report_stale(project, docs, locales)
    return 1 if stale or totals["errors"] else 0


def _report_stale(project: Project, docs: list[str], locales: list[str]) -> bool:
    """Print each unit whose approval no longer matches (`FILE:LINE: stale LANG UNIT: why`)."""
    found = False
    for doc in docs:
        shown = project.config.relative(project.config.source_path(doc))
        for locale in locales:
            for unit in stale_units(project, doc, locale):
                print(f"{shown}:{unit.line}: stale {locale} {unit.id}: {unit.reason}: {unit.msgid}", file=sys.stderr)
                found = True
    return found


def _add_selection(parser: argparse.ArgumentParser, locales: bool = True) -> None:
    parser.add_argument("docs", nargs="*", metavar="DOC", help="document names (default: every article in source/)")
    if locales:
        parser.add_argument("-l", "--locale", action="append", metavar="LANG",
                            help="only this locale; repeat for more (default: every configured locale)")


COMMANDS: dict[str, tuple[Command, str, str]] = {
    "build": (cmd_build, "run every stage in order and summarize",
              "Run extract, update, draft, check and publish in order, then print a summary per locale.\n"
              "Each stage redoes only what changed since the last build (build/state.json): a build\n"
              "with nothing changed only compares file fingerprints and rewrites no file. Check\n"
              "findings are printed but do not stop the build; `medloc check` exits 1 on errors."),
    "extract": (cmd_extract, "write locales/templates/DOC.pot from source/DOC.md",
                "Cut each article into units and write its template. Unchanged templates keep every byte."),
    "update": (cmd_update, "create or update locales/LANG/DOC.po from the templates",
               "Merge each template into its catalogs like GNU msgmerge: translations are kept, changed\n"
               "English units become fuzzy with the previous msgid (#|), removed ones obsolete (#~)."),
    "publish": (cmd_publish, "write reviewed/: English, approved translations, manifest.json",
                "Render the English articles, and each translation whose every unit has a live approval\n"
                "(approved texts only), as HTML and plain text; write reviewed/manifest.json. A translation\n"
                "that is not fully approved keeps its last published version (stale) or stays unpublished.\n"
                "Exit 1 when a published translation is stale (kept, but could not be re-published)."),
    "merge-manifests": (cmd_merge_manifests, "combine the manifests of locale jobs (sharded CI)",
                        "For CI that builds locales in parallel jobs (docs/SCALING.md): each job starts from this\n"
                        "project's reviewed/manifest.json and publishes its own locales. Give the manifests the jobs\n"
                        "wrote; for each document and locale, the entry a job changed is taken into this project's\n"
                        "manifest. Two jobs that changed one entry differently, or saw different English, are a\n"
                        "conflict: nothing is written, exit 2. Copy each job's reviewed/LANG/ folders yourself\n"
                        "(each locale comes from one job, so they never overlap)."),
    "review": (cmd_review, "write review packets build/review/LANG/DOC.html",
               "One self-contained HTML page per document and locale: English and translation side by side,\n"
               "changes since the last approval, draft markers, QA findings, readability."),
    "approve": (cmd_approve, "record approvals of translated units in reviewed/approvals/",
                "Approve units of one document in one locale. Untranslated, fuzzy and machine-draft units and\n"
                "units with blocking QA errors are refused with the reason (exit 1)."),
    "draft": (cmd_draft, "fill empty units with machine drafts marked for review",
              "Fill only units with no translation, from translation memory (other catalogs of the locale)\n"
              "or the locale's engine ([tool.medloc.engines], or --engine). Drafts are fuzzy and carry a\n"
              "`medloc-draft: ORIGIN` comment; units a person translated or edited are never touched.\n"
              "Engine answers are cached in build/cache/. Exit 1 when units could not be drafted\n"
              "(engine missing or failing, or a draft that damaged tags, URLs or protected terms)."),
    "check": (cmd_check, "run the quality checks on the catalogs (exit 1 on errors)",
              "Check every catalog: validity (headers, msgfmt --check), tags, URLs, PMIDs, numbers and doses,\n"
              "glossary, untranslated/fuzzy/copied units, punctuation, whitespace, length, readability.\n"
              "Each finding is FILE:LINE: LEVEL CHECK: message, then the English and the translation.\n"
              "Errors in fuzzy units (machine drafts) are reported as warnings: they block approval, not this\n"
              "command. Severities: [tool.medloc.checks] severity = { CHECK = \"error\"|\"warning\"|\"off\" };\n"
              "skip one check for one unit with the translator comment `medloc-ignore: CHECK -- reason`.\n"
              "Exit 0: no errors; 1: errors found; 2: usage error or unreadable catalog. See docs/CHECKS.md."),
    "status": (cmd_status, "per document and locale: translated, drafts, approved, stale, published",
               "Counts per document and locale, stale units by id, readability and the published state."),
    "serve": (cmd_serve, "open the review workspace in a browser (edit, QA, approve, preview)",
              "A local web app over this project: dashboard, document view (English and translation side by\n"
              "side, drafts, QA, diffs since approval, readability), editing units, approving under your name\n"
              "and a preview of the published page. Same files and rules as the other commands; publishing\n"
              "stays with `medloc publish`. Binds 127.0.0.1 by default; on any other address every request\n"
              "needs a token (--token, or one generated and printed). Not part of `medloc build`."),
}


def _approve_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reviewer", required=True, metavar="NAME", help="the person approving (recorded in the ledger)")
    parser.add_argument("--unit", action="append", metavar="ID", help="unit id to approve (see the review packet); repeat")
    parser.add_argument("--all", action="store_true", help="approve every unit that can be approved")


def _draft_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", choices=engine_names(), help="use this engine instead of [tool.medloc.engines]")
    parser.add_argument("--clear-cache", action="store_true", help="forget cached engine answers, then draft")


def _check_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="human",
                        help="human text (default), json, or github (GitHub Actions annotations)")
    parser.add_argument("--list", action="store_true", help="list the checks with their severity and exit")
    parser.add_argument("--fail-on-stale", action="store_true",
                        help="also exit 1 when an approved or published translation went stale; names the units")


def _serve_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    parser.add_argument("--token", help="access token required on every request (default off loopback: generated)")


# Options of single commands, beyond the document and locale selection.
_OPTIONS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "approve": _approve_options,
    "check": _check_options,
    "draft": _draft_options,
    "serve": _serve_options,
    "status": lambda p: p.add_argument("--json", action="store_true", help="machine-readable output"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="medloc", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"medloc {__version__}")
    parser.add_argument("-C", "--project", type=Path, default=Path("."), metavar="DIR",
                        help="project folder holding pyproject.toml (default: current folder)")
    parser.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                        help="worker processes for large projects (default: one per CPU core)")
    parser.add_argument("--wait", type=float, default=None, metavar="SECONDS",
                        help="if another medloc run is writing the project, wait this long for it "
                             "(default: $MEDLOC_WAIT or 5)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, summary, details) in COMMANDS.items():
        command = sub.add_parser(name, help=summary, description=details,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
        if name == "merge-manifests":
            command.add_argument("manifests", nargs="+", type=Path, metavar="MANIFEST",
                                 help="reviewed/manifest.json of each locale job")
        else:
            _add_selection(command, locales=name != "extract")
        if name in _OPTIONS:
            _OPTIONS[name](command)
    return parser


READ_ONLY = ("status", "check")  # they write no project file, so they need not wait for a writer
UNLOCKED = (*READ_ONLY, "serve")  # serve takes the lock itself, for each write only


def _writer_lock(project: Project, args: argparse.Namespace) -> contextlib.AbstractContextManager:
    """The project lock (pipeline.lock) for commands that write; none for read-only ones."""
    if args.command in UNLOCKED:
        return contextlib.nullcontext()
    wait = default_wait() if args.wait is None else max(0.0, args.wait)
    return project_lock(project.config.build, wait, project.config.relative(project.config.build / LOCK_NAME))


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        project = Project(load_config(args.project), jobs=args.jobs or default_jobs())
        with _writer_lock(project, args):
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
