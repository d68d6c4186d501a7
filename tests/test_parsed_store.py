"""`build/cache/parsed.sqlite3` (state.PerFileStore): a parse is reused only for the very bytes it came from."""

from __future__ import annotations

import sqlite3

import pytest

from pipeline.approvals import read_ledger
from pipeline.catalog import read_catalog
from pipeline.errors import MedlocError
from pipeline.state import PerFileStore, derived_from

CATALOG = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: es\\n"

#: source/doc.md:3
#, fuzzy
#| msgid "Old"
msgid "Fever"
msgstr "Fiebre"
'''


def test_a_value_is_found_only_for_the_bytes_it_was_derived_from(tmp_path):
    store = PerFileStore(tmp_path / "parsed.sqlite3", "v1")
    calls = []

    def derive(data):
        calls.append(data)
        return data.decode().upper()

    def through(data):
        return derived_from(store, "a.po", data, lambda: derive(data), str.encode, bytes.decode)

    assert through(b"one") == "ONE"
    assert through(b"one") == "ONE"
    assert calls == [b"one"]  # the second read found the first one's value
    assert through(b"two") == "TWO"
    assert through(b"one") == "ONE"
    assert calls == [b"one", b"two", b"one"]  # one row per file: "two" replaced "one"
    assert sqlite3.connect(tmp_path / "parsed.sqlite3").execute("SELECT COUNT(*) FROM per_file").fetchone() == (1,)


def test_values_of_other_code_are_dropped(tmp_path):
    path = tmp_path / "parsed.sqlite3"
    PerFileStore(path, "v1").put("a.po", b"one", b"value")
    assert PerFileStore(path, "v1").get("a.po", b"one") == b"value"
    assert PerFileStore(path, "v2").get("a.po", b"one") is None
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM per_file").fetchone() == (0,)


def test_a_catalog_read_through_the_store_is_the_catalog_read_without_it(tmp_path):
    store = PerFileStore(tmp_path / "parsed.sqlite3", "v1")
    path = tmp_path / "es.po"
    path.write_text(CATALOG, encoding="utf-8")
    plain = read_catalog(path, "es.po")
    for _ in range(2):  # a miss, then a hit
        got = read_catalog(path, "es.po", store)
        assert vars(got) == vars(plain)
        assert [vars(entry) for entry in got] == [vars(entry) for entry in plain]
    assert store.get("es.po", path.read_bytes()) is not None


def test_a_broken_catalog_is_reported_even_after_a_good_version_was_kept(tmp_path):
    store = PerFileStore(tmp_path / "parsed.sqlite3", "v1")
    path = tmp_path / "es.po"
    path.write_text(CATALOG, encoding="utf-8")
    read_catalog(path, "es.po", store)
    path.write_text(CATALOG.replace('msgstr "Fiebre"', 'msgstr "Fiebre'), encoding="utf-8")
    with pytest.raises(MedlocError) as error:
        read_catalog(path, "es.po", store)
    assert error.value.line == 10


def ledger_line(msgid: str, msgstr: str, msgid_sha: str | None = None) -> str:
    import hashlib
    import json

    def digest(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()

    return json.dumps({"approved_at": "2026-11-26T10:00:00Z", "english_review_date": "2026-01-02", "msgid": msgid,
                       "msgid_sha256": msgid_sha or digest(msgid), "msgstr": msgstr, "msgstr_sha256": digest(msgstr),
                       "reviewer": "Ana", "unit": "u1"}) + "\n"


def test_a_ledger_read_through_the_store_keeps_its_checks(tmp_path):
    store = PerFileStore(tmp_path / "parsed.sqlite3", "v1")
    path = tmp_path / "doc.jsonl"
    path.write_text(ledger_line("Fever", "Fiebre"), encoding="utf-8")
    plain = read_ledger(path, "doc.jsonl")
    assert read_ledger(path, "doc.jsonl", store) == plain
    assert read_ledger(path, "doc.jsonl", store) == plain
    assert [(a.msgid, a.msgstr, a.reviewer) for a in plain] == [("Fever", "Fiebre", "Ana")]
    path.write_text(ledger_line("Fever", "Fiebre") + ledger_line("Cough", "Tos", msgid_sha="0" * 64), encoding="utf-8")
    with pytest.raises(MedlocError, match="do not match its digests") as error:
        read_ledger(path, "doc.jsonl", store)
    assert error.value.line == 2


def test_a_ledger_that_is_not_utf8_names_its_line(tmp_path):
    path = tmp_path / "doc.jsonl"
    path.write_bytes(ledger_line("Fever", "Fiebre").encode() + b'{"msgid": "\xff"}\n')
    with pytest.raises(MedlocError, match="not valid UTF-8") as error:
        read_ledger(path, "doc.jsonl")
    assert error.value.line == 2


def test_a_build_keeps_the_parse_of_every_catalog_it_read(project_copy):
    """The stages read each catalog in their own processes; the build leaves each catalog's parse
    in the store, under its exact bytes, for the next stage or run."""
    from pipeline.cli import main
    from pipeline.config import load_config
    from pipeline.project import Project

    assert main(["-C", str(project_copy), "build"]) == 0
    project = Project(load_config(project_copy))
    catalogs = sorted((project_copy / "locales").glob("*/*.po"))
    assert catalogs
    for path in catalogs:
        assert project.parsed.get(project.config.relative(path), path.read_bytes()) is not None, path
