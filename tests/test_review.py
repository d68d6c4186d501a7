"""Review packets: side by side, diffs since the last approval, markers, findings, readability."""

from __future__ import annotations

import re

from l10n_helpers import DOC, catalog, edit_entry, medloc, prefixed, translate_all

from pipeline.markers import mark_draft
from pipeline.review import word_diff
from pipeline.segment import unit_id

LONG = ("Your health care provider may recommend this procedure if you have severe and disabling pain for 2 months "
        "or more that does not get better with bed rest, pain medicines, and physical therapy.")


def packet(root) -> str:
    return (root / "build" / "review" / "es" / f"{DOC}.html").read_text(encoding="utf-8")


def row(page: str, msgid: str) -> str:
    match = re.search(rf'<tr id="u-{unit_id(msgid)}">(.*?)</tr>', page, re.S)
    assert match, msgid
    return match.group(1)


def test_word_diff():
    assert word_diff("take two pills daily", "take three pills daily") == [
        ("same", "take "), ("del", "two"), ("ins", "three"), ("same", " pills daily")]
    assert word_diff("服用两片", "服用三片") == [("same", "服用"), ("del", "两"), ("ins", "三"), ("same", "片")]


def test_packet_shows_units_side_by_side_by_section(project_copy):
    written = translate_all(project_copy, "es", prefixed("ES "))
    assert medloc(project_copy, "review", "-l", "es", DOC) == 0
    page = packet(project_copy)
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings[:3] == ["Readability", "Title", "Description"]
    assert "Why the Procedure is Performed" in headings
    bleeding = row(page, "Bleeding")
    assert '<td lang="en">Bleeding' in bleeding and f'<td lang="es" dir="ltr">{written["Bleeding"]}' in bleeding
    assert "not approved" in bleeding
    assert len(re.findall(r'<tr id="u-', page)) == len(catalog(project_copy, "es"))


def test_packet_diffs_markers_findings_and_escaping(project_copy):
    translate_all(project_copy, "es", prefixed("ES ", {"Infection": "<script>alert(x)</script> Infección"}))
    assert medloc(project_copy, "approve", "-l", "es", DOC, "--reviewer", "A. Ruiz",
                  "--unit", unit_id("Risks"), "--unit", unit_id("Bleeding")) == 0
    edit_entry(project_copy, "es", "Risks", lambda e: setattr(e, "msgstr", "ES Los riesgos"))
    edit_entry(project_copy, "es", "Nerve injuries", lambda e: mark_draft(e, "memory 92% locales/es/other.po"))
    source = project_copy / "source" / f"{DOC}.md"
    source.write_text(source.read_text(encoding="utf-8").replace("- Bleeding\n", "- Heavy bleeding\n"), encoding="utf-8")
    assert medloc(project_copy, "extract") == 0 and medloc(project_copy, "update", "-l", "es") == 0
    assert medloc(project_copy, "review", "-l", "es", DOC) == 0
    page = packet(project_copy)

    risks = row(page, "Risks")
    assert "stale: translation changed since approved on" in risks
    assert "<del>Risks</del><ins>Los riesgos</ins>" in risks
    heavy = row(page, "Heavy bleeding")
    assert "English since the last approval" in heavy and "<ins>Heavy bleeding</ins>" in heavy
    assert "Cannot approve: marked fuzzy" in heavy
    assert "Draft: memory 92% locales/es/other.po" in row(page, "Nerve injuries")
    infection = row(page, "Infection")
    assert "<script>" not in page and "&lt;script&gt;alert(x)&lt;/script&gt;" in infection
    assert "QA error html" in infection and "Cannot approve: blocking QA" in infection


def test_packet_readability_and_long_sentences(project_copy):
    translate_all(project_copy, "es", prefixed("ES "))
    assert medloc(project_copy, "review", "-l", "es", DOC) == 0
    page = packet(project_copy)
    assert "Flesch-Kincaid grade" in page and "SMOG grade" in page and "target &lt;= 8" in page
    assert "Szigriszt-Pazos (INFLESZ)" in page and "target &gt;= 55" in page
    long = row(page, LONG)
    assert "Long sentence (32 words)" in long and "Translation: Fernández-Huerta" in long
    assert "Long sentence" not in row(page, "Bleeding")


def test_packet_for_chinese_says_no_formula(project_copy):
    assert medloc(project_copy, "review", "-l", "zh_Hans", DOC) == 0
    page = (project_copy / "build" / "review" / "zh_Hans" / f"{DOC}.html").read_text(encoding="utf-8")
    assert "no readability formula applies to Chinese" in page
