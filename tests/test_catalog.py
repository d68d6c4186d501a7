"""Catalogs: templates from units, msgmerge-compatible updates, byte stability, msgfmt validity."""

import difflib
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.catalog import _VALID_LINES, build_template, locale_header, may_match, read_catalog, render_catalog, update_catalog
from pipeline.config import load_config
from pipeline.errors import MedlocError
from pipeline.segment import segment
from pipeline.source import parse_document

ROOT = Path(__file__).resolve().parent.parent
needs_gettext = pytest.mark.skipif(shutil.which("msgmerge") is None, reason="GNU gettext is not installed")


def template_of(body: str) -> polib.POFile:
    document = parse_document(f"Title: Care\nReview-Date: 2020-01-02\n\n{body}".encode(), "care", "source/care.md")
    pot = build_template(segment(document), load_config(ROOT))
    pot.metadata["POT-Creation-Date"] = "2020-01-02 00:00+0000"
    return pot


def po_with(entries: list[polib.POEntry]) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "es", **locale_header("es")}
    for entry in entries:
        po.append(entry)
    return po


OLD_BODY = """\
Take your medicine every morning with a full glass of water.

- Bleeding
- Infection after the surgery
- Nerve injuries

Call your doctor if you have a fever. Rest at home for two days.
"""
NEW_BODY = """\
Take your medicine every morning with a small glass of water.

- Bleeding
- Allergic reactions to medicines
- Headache

Call your doctor if you have a fever. Walk a little every day.
"""


def old_catalog() -> polib.POFile:
    translations = {
        "Care": "Cuidados",
        "Take your medicine every morning with a full glass of water.": "Tome su medicina cada mañana con un vaso lleno de agua.",
        "Bleeding": "Sangrado",
        "Infection after the surgery": "Infección después de la cirugía",
        "Nerve injuries": "Lesiones nerviosas",
        "Call your doctor if you have a fever.": "Llame a su médico si tiene fiebre.",
        "Rest at home for two days.": "Descanse en casa durante dos días.",
    }
    po = po_with([])
    for entry in template_of(OLD_BODY):
        entry.msgstr = translations[entry.msgid]
        po.append(entry)
    po.find("Nerve injuries").tcomment = "checked with Dr. Ruiz"
    po.append(polib.POEntry(msgid="Headache", msgstr="Dolor de cabeza", obsolete=True))
    po.append(polib.POEntry(msgid="Walk a little every day.", msgstr="", obsolete=False))
    return po


def summary(po: polib.POFile) -> dict:
    entries = list(po) + list(po.obsolete_entries())
    return {
        e.msgid: (e.msgstr, "fuzzy" in e.flags, e.previous_msgid or None, bool(e.obsolete))
        for e in entries
    }


def test_update_keeps_marks_fuzzy_obsoletes_and_revives():
    merged = update_catalog(template_of(NEW_BODY), old_catalog(), "es")
    result = summary(merged)
    changed = "Take your medicine every morning with a small glass of water."
    assert result[changed] == ("Tome su medicina cada mañana con un vaso lleno de agua.", True,
                               "Take your medicine every morning with a full glass of water.", False)
    assert result["Bleeding"] == ("Sangrado", False, None, False)
    assert result["Headache"] == ("Dolor de cabeza", False, None, False)  # revived from #~
    assert result["Allergic reactions to medicines"][0] == ""  # new, nothing similar
    assert result["Nerve injuries"][3] is True  # removed -> obsolete, translation kept
    assert merged.find("Nerve injuries", include_obsolete_entries=True).tcomment == "checked with Dr. Ruiz"
    assert result["Infection after the surgery"][3] is True
    every = [e.msgid for e in merged]
    assert len(every) == len(set(every))  # each entry once, obsolete ones included
    again = update_catalog(template_of(NEW_BODY), merged, "es")
    assert render_catalog(again) == render_catalog(merged)


@needs_gettext
def test_update_matches_gnu_msgmerge_entry_by_entry(tmp_path):
    old_path, pot_path, out_path = tmp_path / "old.po", tmp_path / "new.pot", tmp_path / "out.po"
    old_path.write_text(render_catalog(old_catalog()), encoding="utf-8")
    pot_path.write_text(render_catalog(template_of(NEW_BODY)), encoding="utf-8")
    subprocess.run(["msgmerge", "--quiet", "--previous", "--no-wrap", "-o", str(out_path), str(old_path), str(pot_path)],
                   check=True)
    gnu = summary(polib.pofile(str(out_path)))
    ours = summary(update_catalog(read_catalog(pot_path), read_catalog(old_path), "es"))
    assert ours == gnu


def test_duplicate_sentence_is_one_entry_with_two_references():
    pot = template_of("Rest well. Drink water.\n\n## Later\n\nRest well.\n")
    entry = pot.find("Rest well.")
    assert entry.occurrences == [("source/care.md", "4"), ("source/care.md", "8")]
    assert len([e for e in pot if e.msgid == "Rest well."]) == 1


def test_catalog_header_comes_from_babel():
    header = locale_header("ar")
    assert header["Plural-Forms"].startswith("nplurals=6;")
    assert locale_header("zh_Hans")["Plural-Forms"] == "nplurals=1; plural=0;"
    assert locale_header("es")["Language-Team"] == "Spanish"


def test_read_catalog_names_the_bad_line(tmp_path):
    path = tmp_path / "bad.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "unterminated\n',
                    encoding="utf-8")
    with pytest.raises(MedlocError) as caught:
        read_catalog(path, "locales/es/bad.po")
    assert caught.value.path == "locales/es/bad.po" and caught.value.line is not None


def test_read_catalog_refuses_duplicates_and_other_charsets(tmp_path):
    dup = tmp_path / "dup.po"
    dup.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                   'msgid "a"\nmsgstr "x"\n\nmsgid "a"\nmsgstr "y"\n', encoding="utf-8")
    with pytest.raises(MedlocError, match="duplicate"):
        read_catalog(dup)
    latin = tmp_path / "latin.po"
    latin.write_bytes(b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n\nmsgid "a"\nmsgstr "x"\n')
    with pytest.raises(MedlocError, match="charset=UTF-8"):
        read_catalog(latin)


_SPACE = st.sampled_from(["", " ", "\t", " \t"])
_PO_LINE = st.tuples(
    _SPACE, st.sampled_from(["", "#~", "#~|", "#|", "#", "#,", "#~ #"]), _SPACE,
    st.sampled_from(["", "msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr[1]", "msgstr[]", "msgi"]), _SPACE,
    st.sampled_from(['"', "", "a"]),
    st.lists(st.sampled_from(["a", "é", "\\n", '\\"', "\\x4f", "\\07", "\\q", "\\", '"', "\r"]), max_size=4).map("".join),
    st.sampled_from(['"', "", '" "']),
    _SPACE, st.sampled_from(["\n", "\r\n", "\r", ""]),
).map("".join)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PO_LINE, max_size=6).map("".join))
def test_valid_lines_accepts_what_plain_backtracking_does(text):
    """The possessive pattern that vets every catalog accepts exactly the texts its plain,
    backtracking form does (written out here as the reference)."""
    plain = re.compile(
        r'(?:[ \t]*(?:(?:#(?![~|])[^\n]*|(?:#~\|?[ \t]*|#\|[ \t]*)?(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?'
        r'[ \t]*"(?:[^"\\\n]|\\(?:[\\"abfnrtv]|[0-7]{1,3}|x[0-9A-Fa-f]+))*")[ \t]*)?\r?\n)*')
    assert bool(_VALID_LINES.fullmatch(text)) == bool(plain.fullmatch(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcde .", max_size=30), st.lists(st.text(alphabet="abcde .", max_size=30), max_size=8),
       st.sampled_from([0.0, 0.3, 0.6, 0.75, 1.0]))
def test_may_match_keeps_every_choice_difflib_would_accept(text, choices, floor):
    """The Indel prefilter may keep extra choices but never drops one whose difflib ratio reaches FLOOR."""
    kept = may_match(text, choices, floor)
    needed = [index for index, choice in enumerate(choices)
              if difflib.SequenceMatcher(None, choice, text, autojunk=False).ratio() >= floor]
    assert kept == sorted(kept) and set(needed) <= set(kept)


def test_units_that_parse_differently_now_keep_their_translations_as_fuzzy():
    """Before markdown-it, `Caf&eacute;`, reference links and a setext heading reached catalogs
    as written; now they are read as CommonMark reads them, and update treats the new text
    like any English edit: the translation is kept, fuzzy, with the old text as #| msgid."""
    old = po_with([polib.POEntry(msgid="Caf&eacute; and tea are fine.", msgstr="El café y el té están bien."),
                   polib.POEntry(msgid="See [MedlinePlus][mp] for more.", msgstr="Vea [MedlinePlus][mp] para más."),
                   polib.POEntry(msgid="Heading =======", msgstr="Encabezado =======")])
    template = template_of("Caf&eacute; and tea are fine.\n\nSee [MedlinePlus][mp] for more.\n\n"
                           "Heading\n=======\n\n[mp]: https://medlineplus.gov/\n")
    merged = {entry.msgid: entry for entry in update_catalog(template, old, "es")}
    cafe = merged["Café and tea are fine."]
    assert cafe.msgstr == "El café y el té están bien." and "fuzzy" in cafe.flags
    assert cafe.previous_msgid == "Caf&eacute; and tea are fine."
    link = merged["See <1>MedlinePlus</1> for more."]
    assert link.msgstr == "Vea [MedlinePlus][mp] para más." and "fuzzy" in link.flags
    assert merged["Heading"].msgstr == "Encabezado =======" and "fuzzy" in merged["Heading"].flags
