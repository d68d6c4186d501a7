"""`medloc status`: counts per document and locale, stale units, readability, published state."""

from __future__ import annotations

import json

import polib
from l10n_helpers import DOC, catalog, edit_entry, medloc, prefixed, translate_all

from pipeline.config import load_config
from pipeline.markers import mark_draft
from pipeline.project import Project
from pipeline.segment import unit_id
from pipeline.status import stale_units


def status_json(root, capsys, *args) -> dict:
    capsys.readouterr()
    assert medloc(root, "status", "--json", *args) == 0
    return json.loads(capsys.readouterr().out)


def test_counts_follow_the_catalog(project_copy, capsys):
    units = len(catalog(project_copy, "es"))
    translate_all(project_copy, "es", prefixed("ES "))
    edit_entry(project_copy, "es", "Bleeding", lambda e: setattr(e, "msgstr", ""))
    edit_entry(project_copy, "es", "Infection", lambda e: e.flags.append("fuzzy"))
    edit_entry(project_copy, "es", "Nerve injuries", lambda e: mark_draft(e, "apertium eng-spa"))
    assert medloc(project_copy, "approve", "-l", "es", DOC, "--reviewer", "A. Ruiz",
                  "--unit", unit_id("Risks"), "--unit", unit_id("Description")) == 0
    doc = status_json(project_copy, capsys, "-l", "es")["documents"][0]
    es = doc["locales"][0]
    assert (es["locale"], es["units"]) == ("es", units)
    assert es["untranslated"] == 1 and es["fuzzy"] == 1 and es["machine_drafts"] == 1
    assert es["translated"] == units - 3
    assert es["approved"] == 2 and es["stale"] == [] and es["published"] == "unpublished"
    assert doc["english_review_date"] == "2015-07-13"
    assert [s["formula"] for s in doc["readability"]["scores"]] == ["Flesch-Kincaid grade", "SMOG grade"]
    assert [s["formula"] for s in es["readability"]["scores"]] == ["Fernández-Huerta", "Szigriszt-Pazos (INFLESZ)"]


def test_other_locales_say_no_formula(project_copy, capsys):
    zh = status_json(project_copy, capsys, "-l", "zh_Hans")["documents"][0]["locales"][0]
    assert zh["readability"]["scores"] == [] and "no readability formula" in zh["readability"]["note"]


def test_changed_translation_after_approval_is_stale(project_copy, capsys):
    translate_all(project_copy, "es", prefixed("ES "))
    assert medloc(project_copy, "approve", "-l", "es", DOC, "--reviewer", "A. Ruiz", "--unit", unit_id("Risks")) == 0
    edit_entry(project_copy, "es", "Risks", lambda e: setattr(e, "msgstr", "Riesgos"))
    stale = stale_units(Project(load_config(project_copy)), DOC, "es")
    assert [(s.id, s.reason.split(" since")[0]) for s in stale] == [(unit_id("Risks"), "translation changed")]
    capsys.readouterr()
    assert medloc(project_copy, "status", "-l", "es") == 0
    out = capsys.readouterr().out
    assert f"stale {unit_id('Risks')}" in out and "1 stale" in out


def test_changed_english_of_an_approved_unit_is_stale_after_update(project_copy, capsys):
    translate_all(project_copy, "es", prefixed("ES "))
    assert medloc(project_copy, "approve", "-l", "es", DOC, "--reviewer", "A. Ruiz", "--unit", unit_id("Bleeding")) == 0
    source = project_copy / "source" / f"{DOC}.md"
    source.write_text(source.read_text(encoding="utf-8").replace("- Bleeding\n", "- Heavy bleeding\n"), encoding="utf-8")
    assert medloc(project_copy, "extract") == 0 and medloc(project_copy, "update", "-l", "es") == 0
    entry = polib.pofile(str(project_copy / "locales" / "es" / f"{DOC}.po")).find("Heavy bleeding")
    assert entry.previous_msgid == "Bleeding"  # msgmerge kept the link to the approved English
    es = status_json(project_copy, capsys, "-l", "es")["documents"][0]["locales"][0]
    assert [(s["id"], s["reason"].split(" since")[0]) for s in es["stale"]] == [(unit_id("Heavy bleeding"), "English changed")]
