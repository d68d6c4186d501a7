"""Online drafting end to end: the real deep-translator LibreTranslator against a loopback server."""

from __future__ import annotations

import re

import pytest

from drafts_helpers import clear_drafts, active, catalog, run, set_drafts
from fake_libretranslate import FakeLibre, fake_translation, start
from pipeline.segment import unit_id

SECRET = "sekrit-key-4242"


@pytest.fixture(autouse=True)
def _no_drafts_yet(request):
    """The repository's catalogs hold drafts from `medloc build`; these tests start before them."""
    if "project_copy" in request.fixturenames:
        clear_drafts(request.getfixturevalue("project_copy"))


@pytest.fixture
def libre(project_copy, monkeypatch):
    """A fake LibreTranslate server and a project copy drafting Spanish with it (fast retries)."""
    monkeypatch.setenv("LIBRE_API_KEY", SECRET)
    fake = FakeLibre()
    server, thread = start(fake)
    set_drafts(project_copy, libre_url=fake.url, backoff=0.01, retries=2, batch_units=50)
    yield fake
    server.shutdown()
    server.server_close()
    thread.join(5)


def draft(root, *extra):
    return run(root, "draft", "-l", "es", "--engine", "libre", *extra)


def test_drafts_every_empty_unit_marked_with_its_origin(project_copy, libre, capsys):
    english = [entry.msgid for entry in active(catalog(project_copy))]
    assert draft(project_copy) == 0
    po = catalog(project_copy)
    for entry in active(po):
        assert entry.msgstr == fake_translation(entry.msgid, "es")
        assert "fuzzy" in entry.flags
        assert re.search(r"^medloc-draft: libre \(deep-translator [\d.]+\); sha=[0-9a-f]{12}$",
                         entry.tcomment, re.M)
    assert len(active(po)) == len(english)
    assert all(request["api_key"] == SECRET and request["source"] == "en" for request in libre.requests)


def test_key_never_reaches_files_or_output(project_copy, libre, capsys):
    libre.default = 403  # deep-translator puts the key into this error's message
    assert draft(project_copy) == 1
    err = capsys.readouterr().err
    assert "403" in err and SECRET not in err
    libre.default = "ok"
    assert draft(project_copy) == 0
    err = capsys.readouterr().err
    for path in project_copy.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    assert SECRET not in err


def test_units_are_batched_within_request_limits(project_copy, libre):
    units = [entry.msgid for entry in active(catalog(project_copy))]
    assert draft(project_copy) == 0
    sent = [line for text in libre.texts for line in text.split("\n")]
    assert sorted(sent) == sorted(set(units))  # each distinct unit exactly once
    assert len(libre.requests) < len(units) / 5
    assert all(len(text.split("\n")) <= 50 and len(text) <= 1500 for text in libre.texts)


def test_second_run_makes_no_request_and_changes_no_byte(project_copy, libre, capsys):
    assert draft(project_copy) == 0
    path = project_copy / "locales" / "es" / "vertebroplasty.po"
    first, first_mtime = path.read_bytes(), path.stat().st_mtime_ns
    calls = len(libre.requests)
    assert run(project_copy, "draft", "-l", "es", "--engine", "libre") == 0
    assert len(libre.requests) == calls
    assert path.read_bytes() == first and path.stat().st_mtime_ns == first_mtime
    assert "0 engine call(s)" in capsys.readouterr().err


def test_cache_clear_makes_the_engine_answer_again(project_copy, libre):
    assert draft(project_copy) == 0
    calls = len(libre.requests)
    po = catalog(project_copy)
    for entry in active(po):  # a translator throws the drafts away
        entry.msgstr, entry.tcomment, entry.flags = "", "", []
    po.save()
    assert draft(project_copy, "--clear-cache") == 0
    assert len(libre.requests) == 2 * calls


def test_rate_limit_is_retried(project_copy, libre):
    libre.plan = [429, 429]
    assert draft(project_copy) == 0
    assert all(entry.msgstr for entry in active(catalog(project_copy)))
    assert libre.requests[0]["q"] == libre.requests[1]["q"] == libre.requests[2]["q"]


def test_engine_that_keeps_failing_stops_with_drafts_saved(project_copy, libre, capsys):
    libre.plan = ["ok"]
    libre.default = 500
    assert draft(project_copy) == 1
    first_batch = libre.texts[0].split("\n")
    assert len(libre.requests) == 1 + 3  # the failing request and its two retries, then stop
    po = catalog(project_copy)
    drafted = [e.msgid for e in active(po) if e.msgstr]
    assert sorted(drafted) == sorted(first_batch)
    err = capsys.readouterr().err
    missing = [e.msgid for e in active(po) if not e.msgstr]
    assert missing
    assert "HTTP 500" in err
    assert unit_id(missing[0]) in err


def test_slow_answer_times_out_and_is_retried(project_copy, libre):
    set_drafts(project_copy, timeout=0.3)
    libre.plan = [("slow", 1.0)]
    assert draft(project_copy) == 0
    assert all(entry.msgstr for entry in active(catalog(project_copy)))
    assert libre.requests[0]["q"] == libre.requests[1]["q"]


def test_engine_that_stays_slow_fails_cleanly(project_copy, libre, capsys):
    set_drafts(project_copy, timeout=0.2)
    libre.default = ("slow", 0.6)
    before = (project_copy / "locales" / "es" / "vertebroplasty.po").read_bytes()
    assert draft(project_copy) == 1
    assert "no answer within 0.2 s" in capsys.readouterr().err
    assert (project_copy / "locales" / "es" / "vertebroplasty.po").read_bytes() == before


def test_damaged_placeholders_are_discarded_and_reported(project_copy, libre, capsys):
    (project_copy / "locales" / "es" / "glossary.tsv").write_text("spine\t=\tkeep for this test\n", encoding="utf-8")
    libre.default = ("damage", lambda line: re.sub(r"<\d+/>", "", line.replace("<1>", "< 1 >")))
    assert draft(project_copy) == 1
    po = catalog(project_copy)
    err = capsys.readouterr().err
    for entry in active(po):
        damaged = "<1>" in entry.msgid or re.search(r"(?i)\bspine\b", entry.msgid)
        if damaged:
            assert entry.msgstr == "" and unit_id(entry.msgid) in err
        else:
            assert entry.msgstr == fake_translation(entry.msgid, "es")
    assert "draft discarded" in err


def test_lazy_engine_names_match_the_online_specs():
    from pipeline.drafts import ONLINE
    from pipeline.drafts.online import SPECS

    assert set(ONLINE) == set(SPECS)
