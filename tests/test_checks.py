"""pipeline.checks: every check fails on a defect and passes on a correct unit; the seeded catalog."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from pipeline.catalog import read_catalog
from pipeline.checks import REGISTRY, check_catalog, check_entry, default_settings
from pipeline.glossary import load_glossary

DATA = Path(__file__).parent / "data"
SEEDED = DATA / "checks_seeded.es.po"
GLOSSARY = load_glossary(DATA / "checks_glossary.es.tsv")


def fired(msgid: str, msgstr: str, locale: str = "es", flags: tuple = (), tcomment: str = "") -> set[str]:
    entry = polib.POEntry(msgid=msgid, msgstr=msgstr, flags=list(flags), tcomment=tcomment)
    return {f.check for f in check_entry(entry, locale, GLOSSARY, default_settings()) if f.suppressed is None}


# (check, locale, English, a translation with the defect, a correct translation)
CASES = [
    ("tags", "es", "Read <1>this page</1> and <2/>.", "Lea esta página y <2/>.", "Lea <1>esta página</1> y <2/>."),
    ("tags", "es", "See <1>a</1> and <2>b</2>.", "Vea <2>b y <1>a</2></1>.", "Vea <2>b</2> y <1>a</1>."),
    ("html", "es", "Ask your doctor.", "Pregunte a su <b>médico</b>.", "Pregunte a su médico."),
    ("markdown", "es", "Read <1>this</1>.", "Lea [esto](x.html).", "Lea <1>esto</1>."),
    ("urls", "es", "Visit https://medlineplus.gov/spine.html today.", "Visite https://medlineplus.gov hoy.",
     "Visite https://medlineplus.gov/spine.html hoy."),
    ("urls", "es", "Write to help@example.org now.", "Escriba a ayuda@example.org ya.",
     "Escriba a help@example.org ya."),
    ("references", "es", "See the review [3].", "Vea la revisión [4].", "Vea la revisión [3]."),
    ("references", "es", "Doi 10.1016/j.rcl.2010.02.014 here.", "Doi 10.1016/j.rcl.2010.02.41 aquí.",
     "Doi 10.1016/j.rcl.2010.02.014 aquí."),
    ("numbers", "es", "Rest for 24 hours.", "Descanse durante 42 horas.", "Descanse durante 24 horas."),
    ("numbers", "es", "Take 2.5 tablets.", "Tome 25 tabletas.", "Tome 2,5 tabletas."),
    ("numbers", "es", "It costs 1,000 dollars.", "Cuesta 1 dólares.", "Cuesta 1.000 dólares."),
    ("numbers", "ar", "Rest for 24 hours.", "استرح لمدة 42 ساعة.", "استرح لمدة ٢٤ ساعة."),
    ("numbers", "zh_Hans", "Rest for 6 weeks.", "休息8周。", "休息６周。"),
    ("numbers", "es", "Rest for two weeks.", "Descanse 3 semanas.", "Descanse 2 semanas."),
    ("dose-units", "es", "Take 5 mg daily.", "Tome 5 g al día.", "Tome 5 mg al día."),
    ("dose-units", "es", "About 50% of people.", "Cerca de 50 personas.", "Cerca del 50 % de las personas."),
    ("dose-units", "ar", "About 50% of people.", "حوالي 50 من الناس.", "حوالي ٥٠٪ من الناس."),
    ("glossary", "es", "Stop taking aspirin.", "Deje de tomar AAS.", "Deje de tomar aspirina."),
    ("do-not-translate", "es", "Stop warfarin.", "Deje la warfarina.", "Deje la warfarin."),
    ("untranslated", "es", "Call your doctor.", "", "Llame a su médico."),
    ("untranslated", "es", "Call your doctor.", "   ", "Llame a su médico."),
    ("copied-english", "es", "Bed rest", "Bed rest", "Reposo en cama"),
    ("whitespace", "es", "Walk daily.", " Camine a diario.", "Camine a diario."),
    ("doubled-space", "es", "Drink water.", "Beba  agua.", "Beba agua."),
    ("doubled-word", "es", "Eat well.", "Coma coma bien.", "Coma bien."),
    ("control-characters", "es", "Sleep well.", "Duerma\nbien.", "Duerma bien."),
    ("control-characters", "es", "Sleep well.", "Duerma bi\ufffdn.", "Duerma bien."),
    ("compendium-conflict", "es", "Rest.", "#-#-#-#-# Descanse. #-#-#-#-# Repose.", "Descanse."),
    ("pure-punctuation", "es", "—", "-", "—"),
    ("length-ratio", "es", "Avoid heavy lifting for weeks.", "Evite.", "Evite levantar peso durante semanas."),
    ("length-ratio", "zh_Hans", "Avoid heavy lifting for several weeks.",
     "在几周内避免提重物" * 6 + "。", "几周内避免提重物。"),
    ("names-dropped", "es", "Ask about Medicare coverage.", "Pregunte por la cobertura.",
     "Pregunte por la cobertura de Medicare."),
    ("names-dropped", "zh_Hans", "You may need an MRI.", "您可能需要做磁共振。", "您可能需要做MRI。"),
    ("start-capital", "es", "Rest often.", "descanse a menudo.", "Descanse a menudo."),
    ("end-punctuation", "es", "Rest at home.", "Descanse en casa", "Descanse en casa."),
    ("end-punctuation", "es", "Bleeding", "Sangrado.", "Sangrado"),
    ("end-punctuation", "zh_Hans", "Are you pregnant?", "您怀孕了吗。", "您怀孕了吗？"),
    ("end-punctuation", "ar", "Are you pregnant?", "هل أنت حامل.", "هل أنت حامل؟"),
    ("start-punctuation", "es", "(Optional) Rest.", "Descanse (opcional).", "(Opcional) Descanse."),
    ("inverted-marks", "es", "Are you pregnant?", "Está embarazada?", "¿Está embarazada?"),
    ("inverted-marks", "es", "Stop now!", "Pare ya!", "¡Pare ya!"),
    ("locale-punctuation", "zh_Hans", "Rest, then walk.", "休息,然后走路。", "休息，然后走路。"),
    ("locale-punctuation", "ar", "Rest, then walk.", "استرح, ثم امش.", "استرح، ثم امش."),
    ("locale-punctuation", "es", "Rest now.", "Descanse ya。", "Descanse ya."),
    ("punctuation-spacing", "es", "Rest, then walk.", "Descanse , luego camine.", "Descanse, luego camine."),
    ("punctuation-spacing", "es", "Rest, then walk.", "Descanse,luego camine.", "Descanse, luego camine."),
    ("brackets", "es", "Rest (in bed).", "Descanse (en cama.", "Descanse (en cama)."),
    ("brackets", "zh_Hans", "Rest (in bed).", "休息（在床上。", "休息（在床上）。"),
    ("quotes", "es", 'Say "stop" if it hurts.', "Diga alto si duele.", "Diga «alto» si duele."),
    ("sentence-length", "es", "Stay home.",
     "Descanse en casa y no vaya a la escuela ni al trabajo hasta que se sienta bien y su médico le diga que "
     "puede volver.", "Descanse en casa. No vaya a la escuela ni al trabajo hasta que se sienta bien."),
    ("sentence-length", "zh_Hans", "Stay home.", "在家休息" * 13 + "。", "在家休息。"),
    ("readability", "es", "Drugs raise risk.",
     "La administración farmacológica concomitante incrementa considerablemente la probabilidad de "
     "complicaciones hemorrágicas postoperatorias.",
     "Si toma estos dos remedios a la vez, puede sangrar más que antes."),
]


@pytest.mark.parametrize("check, locale, english, bad, good", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_check_fails_on_the_defect_and_passes_the_fix(check, locale, english, bad, good):
    assert check in fired(english, bad, locale)
    assert check not in fired(english, good, locale)


def test_every_unit_check_has_a_case():
    unit_checks = {name for name, c in REGISTRY.items() if c.scope == "unit"}
    covered = {case[0] for case in CASES} | {"fuzzy", "suppression"}
    assert unit_checks <= covered, unit_checks - covered


def test_fuzzy_names_machine_drafts_and_changed_english():
    from pipeline.markers import mark_draft

    draft = polib.POEntry(msgid="Rest.", msgstr="Descanse.")
    mark_draft(draft, "apertium eng-spa 0.8.1")
    findings = check_entry(draft, "es", GLOSSARY, default_settings())
    assert [f.check for f in findings] == ["fuzzy"] and "machine draft (apertium" in findings[0].message
    changed = polib.POEntry(msgid="Rest now.", msgstr="Descanse.", flags=["fuzzy"], previous_msgid="Rest.")
    assert "English changed" in check_entry(changed, "es", GLOSSARY, default_settings())[0].message
    assert "fuzzy" not in fired("Rest.", "Descanse.")


def test_suppression_needs_a_known_check_and_a_reason():
    assert "suppression" in fired("Rest.", "Descanse.", tcomment="medloc-ignore: no-such-check -- typo")
    assert "suppression" in fired("Rest.", "Descanse.", tcomment="medloc-ignore: doubled-word")
    assert "suppression" in fired("Rest.", "Descanse.", tcomment="medloc-ignore: Doubled Word!")
    assert not fired("Eat well.", "Coma coma bien.", tcomment="medloc-ignore: doubled-word -- right here")


def test_errors_in_fuzzy_units_block_approval_but_not_the_check():
    entry = polib.POEntry(msgid="Rest for 24 hours.", msgstr="Descanse 42 horas.", flags=["fuzzy"])
    numbers = next(f for f in check_entry(entry, "es", GLOSSARY, default_settings()) if f.check == "numbers")
    assert numbers.severity == "error" and numbers.blocks_approval and not numbers.blocking
    assert numbers.level == "warning"


def _expected(path: Path) -> set[tuple[int, str]]:
    """(line, check) pairs named by the `expect:` comments of the seeded catalog itself."""
    expected = set()
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        match = re.search(r"expect: ([a-z-]+)", line)
        if not match or match.group(1) == "none":
            continue
        if match.group(1) == "catalog-header":
            target = next(n for n, text in enumerate(lines, start=1) if text.startswith('"Language:'))
        elif match.group(1) == "msgfmt":
            target = next(n for n in range(number, len(lines) + 1) if lines[n - 1].startswith("msgstr"))
        else:
            target = number  # polib numbers an entry by its first comment line
        expected.add((target, match.group(1)))
    return expected


def test_seeded_catalog_reports_exactly_its_defects():
    po = read_catalog(SEEDED)
    findings = check_catalog(po, SEEDED, "seeded.po", "es", GLOSSARY, default_settings())
    active = [(f.line, f.check) for f in findings if f.suppressed is None]
    assert len(active) == len(set(active)), "one finding per seeded defect"
    assert set(active) == _expected(SEEDED)
    assert {name for _, name in active} == set(REGISTRY), "the seeded catalog holds one defect per check"
    suppressed = [f for f in findings if f.suppressed is not None]
    assert [(f.check, f.msgstr) for f in suppressed] == [("doubled-word", "Diga que que significa.")]


def test_findings_store_gives_the_same_findings_and_follows_moved_units(tmp_path):
    """Warm results equal cold ones, at the units' current lines; other settings are not served stale ones."""
    from pipeline.checks import Settings, findings_store

    store = findings_store(tmp_path / "build")
    fresh = check_catalog(read_catalog(SEEDED), SEEDED, "seeded.po", "es", GLOSSARY, default_settings())
    cold = check_catalog(read_catalog(SEEDED), SEEDED, "seeded.po", "es", GLOSSARY, default_settings(), store)
    warm = check_catalog(read_catalog(SEEDED), SEEDED, "seeded.po", "es", GLOSSARY, default_settings(), store)
    assert cold == fresh and warm == fresh
    assert store.get_many([]) == {} and (tmp_path / "build" / "cache" / "findings.sqlite3").exists()

    moved = tmp_path / "moved.po"  # three comment lines inserted before the first entry: every unit moves down
    text = SEEDED.read_text(encoding="utf-8")
    first = text.index("\n#", text.index('msgstr ""\n"')) + 1
    moved.write_text(text[:first] + "# a\n# b\n# c\n" + text[first:], encoding="utf-8")
    shifted = check_catalog(read_catalog(moved), moved, "seeded.po", "es", GLOSSARY, default_settings(), store)
    unit_findings = [f for f in fresh if f.line and f.msgid]
    assert {(f.check, f.line + 3) for f in unit_findings} <= {(f.check, f.line) for f in shifted}

    defaults = default_settings()
    louder = Settings({**defaults.severity, "doubled-space": "error"}, defaults.params)
    relevelled = check_catalog(read_catalog(SEEDED), SEEDED, "seeded.po", "es", GLOSSARY, louder, store)
    assert {f.severity for f in relevelled if f.check == "doubled-space"} == {"error"}


def test_findings_store_salt_covers_the_modules_checks_call():
    from pipeline.checks import _imported_modules

    package = Path(__file__).resolve().parent.parent / "pipeline"
    names = {str(p.relative_to(package)) for p in _imported_modules(package / "checks")}
    assert {"checks/text.py", "checks/health.py", "inline.py", "readability.py", "markers.py", "glossary.py"} <= names
    assert "drafts/__init__.py" not in names and "publish.py" not in names


def test_control_character_class_is_exactly_the_unicode_categories():
    import sys
    import unicodedata

    from pipeline.checks.text import BAD_CHARACTER

    for code in range(sys.maxunicode + 1):
        char = chr(code)
        expected = unicodedata.category(char) in ("Cc", "Co", "Zl", "Zp") or char == "\ufffd"
        assert bool(BAD_CHARACTER.fullmatch(char)) is expected, hex(code)


needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
CLEAN = Path(__file__).parent.parent / "locales" / "es" / "vertebroplasty.po"


def _accepted(store, paths: list[Path]) -> list[bool]:
    from pipeline.checks.catalog import _accepted_key, _judge

    keys = [_accepted_key(store, _judge(shutil.which("msgfmt")), path.read_bytes()) for path in paths]
    found = store.get_many(keys)
    return [key in found for key in keys]


@needs_msgfmt
def test_msgfmt_batches_judge_each_catalog_as_if_alone(tmp_path):
    """Copies of one catalog share every msgid: only separate domains let msgfmt accept them together."""
    from pipeline.checks import findings_store
    from pipeline.checks.catalog import accept_in_batches

    copies = [tmp_path / f"copy{n}.po" for n in range(3)]
    for copy in copies:
        copy.write_bytes(CLEAN.read_bytes())
    store = findings_store(tmp_path / "build")
    accept_in_batches(copies, store, jobs=2)
    assert _accepted(store, copies) == [True, True, True]
    assert subprocess.run(["msgfmt", "--check", "-o", os.devnull, *map(str, copies)], capture_output=True).returncode


@needs_msgfmt
def test_one_bad_catalog_leaves_its_batch_to_be_judged_alone(tmp_path):
    """A batch with a rejected catalog records nothing; each catalog's own msgfmt run then decides,
    reports the seeded defect at its line, and remembers the clean catalog's acceptance."""
    from pipeline.checks import findings_store
    from pipeline.checks.catalog import accept_in_batches

    clean, truncated, own_domain = tmp_path / "clean.po", tmp_path / "truncated.po", tmp_path / "domain.po"
    clean.write_bytes(CLEAN.read_bytes())
    text = CLEAN.read_text(encoding="utf-8")
    truncated.write_text(text[:text.rindex("msgstr")], encoding="utf-8")  # ends after a msgid: no msgstr
    own_domain.write_text('domain "mine"\n' + text, encoding="utf-8")
    store = findings_store(tmp_path / "build")
    for batch in ([clean, SEEDED], [clean, truncated], [own_domain]):
        accept_in_batches(batch, store, jobs=1)
        assert _accepted(store, batch) == [False] * len(batch), batch

    alone = check_catalog(read_catalog(SEEDED), SEEDED, "seeded.po", "es", GLOSSARY, default_settings(), store)
    without_store = check_catalog(read_catalog(SEEDED), SEEDED, "seeded.po", "es", GLOSSARY, default_settings())
    assert [f for f in alone if f.check == "msgfmt"] == [f for f in without_store if f.check == "msgfmt"] != []
    assert not [f for f in check_catalog(read_catalog(clean), clean, "clean.po", "es", GLOSSARY, default_settings(),
                                         store) if f.check == "msgfmt"]
    assert _accepted(store, [clean, SEEDED]) == [True, False]
