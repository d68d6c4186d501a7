"""The workspace's pages. Each reads the project anew and calls the stage functions; none decides a rule itself."""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from dataclasses import dataclass

from babel import Locale
from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session,
                   url_for)

from pipeline.approvals import Outcome, approve, review_units
from pipeline.config import load_config
from pipeline.errors import MedlocError
from pipeline.lock import LOCK_NAME, default_wait, project_lock
from pipeline.markers import entry_state
from pipeline.project import Project
from pipeline.publish import preview_html
from pipeline.review import packet_context
from pipeline.status import LocaleStatus, document_status
from pipeline.web.editing import CatalogChanged, file_digest, find_unit, save_translation

bp = Blueprint("web", __name__)
_UNIT_ID = re.compile(r"^[0-9a-f]{12}$")


def _project() -> Project:
    """A fresh view of the project per request: files may change between requests."""
    return Project(load_config(current_app.config["MEDLOC_ROOT"]))


def _documents(project: Project) -> list[str]:
    return current_app.config["MEDLOC_DOCS"] or project.config.documents()


def _locales(project: Project) -> list[str]:
    return current_app.config["MEDLOC_LOCALES"] or list(project.config.locales)


def _target(doc: str, locale: str) -> Project:
    """The project, if DOC and LOCALE are ones it has (so no name can reach outside it); else 404."""
    project = _project()
    if doc not in _documents(project) or locale not in _locales(project):
        abort(404, f"No document {doc!r} in locale {locale!r} here; the dashboard lists them.")
    return project


@contextlib.contextmanager
def _writing(project: Project):
    """Hold the project lock, as every medloc command that writes does."""
    build = project.config.build
    with project_lock(build, default_wait(), project.config.relative(build / LOCK_NAME)):
        yield


def language_name(locale: str) -> str:
    return Locale.parse(locale).get_display_name("en")


def overall_state(loc: LocaleStatus) -> tuple[str, str]:
    """(state, what it means) of one document in one locale, from the `medloc status` numbers."""
    if loc.published == "current":
        return "published", "published and current"
    if loc.published == "stale" or loc.stale:
        why = "published version is out of date" if loc.published == "stale" else "approvals went stale"
        return "stale", f"{why}: {len(loc.stale)} unit(s) need approving again"
    if loc.units and loc.approved == loc.units:
        return "approved", "every unit approved: ready for `medloc publish`"
    if loc.untranslated == loc.units:
        return "untranslated", "nothing translated yet"
    if loc.machine_drafts:
        return "machine drafts", f"{loc.machine_drafts} unreviewed machine draft(s)"
    if loc.fuzzy:
        return "fuzzy", f"{loc.fuzzy} unit(s) marked fuzzy"
    if loc.untranslated:
        return "untranslated", f"{loc.untranslated} unit(s) still untranslated"
    return "in review", f"{loc.approved} of {loc.units} units approved"


@bp.get("/")
def dashboard():
    project = _project()
    locales = _locales(project)
    statuses = [document_status(project, doc, locales) for doc in _documents(project)]
    return render_template("dashboard.html", statuses=statuses, overall_state=overall_state,
                           language_name=language_name)


@dataclass(frozen=True)
class Unsaved:
    """A translation that was not written because the catalog changed on disk meanwhile."""

    unit: str
    text: str
    on_disk: str  # the unit's translation in the catalog as it is now
    state: str


def _document(project: Project, doc: str, locale: str, status: int = 200, *, outcomes: list[Outcome] = (),
              unsaved: Unsaved | None = None, problem: str = "") -> tuple[str, int]:
    # Digests first: if a file changes while the page renders, the next POST notices.
    catalog, source = (file_digest(project.config.catalog_path(locale, doc)),
                       file_digest(project.config.source_path(doc)))
    context = packet_context(project, doc, locale)
    tally = Counter(outcome.result for outcome in outcomes)
    return render_template(
        "document.html", **context, catalog_digest=catalog, source_digest=source,
        reviewer=session.get("reviewer", ""), outcomes=outcomes, tally=tally, unsaved=unsaved, problem=problem,
    ), status


@bp.get("/doc/<doc>/<locale>")
def document(doc: str, locale: str):
    return _document(_target(doc, locale), doc, locale)


@bp.post("/doc/<doc>/<locale>/unit/<unit_id>")
def save(doc: str, locale: str, unit_id: str):
    project = _target(doc, locale)
    unit = find_unit(project, doc, unit_id) if _UNIT_ID.match(unit_id) else None
    if unit is None:
        abort(404, f"No unit {unit_id!r} in {doc}: the English may have changed. Reload the document.")
    text = request.form.get("msgstr", "").replace("\r\n", "\n")
    needs_work = request.form.get("action") == "needs-work"
    try:
        with _writing(project):
            entry = save_translation(project, doc, locale, unit, text, needs_work, request.form.get("catalog", ""))
    except CatalogChanged:
        now = next((r for r in review_units(project, doc, locale) if r.unit.id == unit_id), None)
        unsaved = Unsaved(unit_id, text, now.msgstr if now else "", now.state if now else "missing")
        return _document(project, doc, locale, 409, unsaved=unsaved)
    flash(f"Saved unit {unit_id}: now {entry_state(entry)}.", "ok")
    return redirect(url_for(".document", doc=doc, locale=locale, _anchor=f"u-{unit_id}"), 303)


@bp.post("/doc/<doc>/<locale>/approve")
def approve_units(doc: str, locale: str):
    project = _target(doc, locale)
    reviewer = " ".join(request.form.get("reviewer", "").split())
    session["reviewer"] = reviewer
    unit = request.form.get("unit")
    if not unit and request.form.get("scope") != "all":
        abort(400, "Say what to approve: one unit, or every unit.")
    if not reviewer:
        return _document(project, doc, locale, 400, problem="Enter your name: approvals are recorded under it.")
    with _writing(project):
        seen = (request.form.get("catalog"), request.form.get("source"))
        now = (file_digest(project.config.catalog_path(locale, doc)), file_digest(project.config.source_path(doc)))
        if seen != now:
            return _document(project, doc, locale, 409, problem=(
                "The translation or the English changed on disk since this page was shown, so nothing was approved. "
                "Read the current text below and approve again."))
        try:
            outcomes = approve(project, doc, locale, reviewer, [unit] if unit else None)
        except MedlocError as exc:
            return _document(project, doc, locale, 400, problem=exc.message)
    return _document(project, doc, locale, outcomes=outcomes)


@bp.get("/doc/<doc>/<locale>/preview")
def preview(doc: str, locale: str):
    project = _target(doc, locale)
    _, missing = preview_html(project, doc, locale)
    kinds = Counter(why for _, why in missing)
    return render_template("preview.html", doc=doc, locale=locale, language=language_name(locale),
                           title=project.segmented(doc).document.meta.title, missing=missing,
                           kinds=sorted(kinds.items()))


@bp.get("/doc/<doc>/<locale>/preview.html")
def preview_page(doc: str, locale: str):
    """The page itself, byte for byte as `medloc publish` would write it (shown framed by /preview)."""
    html, _ = preview_html(_target(doc, locale), doc, locale)
    return Response(html, mimetype="text/html")
