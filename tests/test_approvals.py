"""The approval ledger: what may be approved, what is recorded, when an approval dies."""

from __future__ import annotations

import hashlib
import json

import pytest
from l10n_helpers import DOC, edit_entry, medloc, prefixed, translate_all

from pipeline.approvals import approve, ledger_path, review_units
from pipeline.config import load_config
from pipeline.errors import MedlocError
from pipeline.markers import mark_draft
from pipeline.project import Project
from pipeline.segment import unit_id

LINK = "This procedure is similar to <1>kyphoplasty</1>."
NUMBER = "After 24 hours, slowly return to your regular activities."


def project(root) -> Project:
    return Project(load_config(root))


def review_date(root) -> str:
    for line in (root / "source" / f"{DOC}.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("Review-Date:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("no Review-Date in the source")


def test_untranslated_catalog_refuses_everything_and_writes_nothing(project_copy, capsys):
    translate_all(project_copy, "es", lambda msgid: "")
    assert medloc(project_copy, "approve", "-l", "es", DOC, "--reviewer", "A. Ruiz", "--all") == 1
    err = capsys.readouterr().err
    assert "refused" in err and "not translated yet" in err
    assert not ledger_path(project(project_copy), "es", DOC).exists()


def test_each_refusal_says_why(project_copy):
    translate_all(project_copy, "es", prefixed("ES "))
    states = {
        "Bleeding": lambda e: setattr(e, "msgstr", ""),
        "Infection": lambda e: e.flags.append("fuzzy"),
        "Nerve injuries": lambda e: mark_draft(e, "apertium eng-spa 0.8"),
        LINK: lambda e: setattr(e, "msgstr", "Es similar a la cifoplastia."),  # lost its link tag
    }
    for msgid, change in states.items():
        edit_entry(project_copy, "es", msgid, change)
    # An accepted draft: fuzzy cleared, text unchanged since the machine wrote it.
    edit_entry(project_copy, "es", "Description", lambda e: (mark_draft(e, "apertium eng-spa 0.8"), e.flags.remove("fuzzy")))
    ids = [unit_id(m) for m in [*states, "Description", "Risks"]]
    outcomes = {o.unit.msgid: o for o in approve(project(project_copy), DOC, "es", "A. Ruiz", ids)}
    assert outcomes["Bleeding"].reason == "not translated yet"
    assert "fuzzy" in outcomes["Infection"].reason
    assert "machine draft" in outcomes["Nerve injuries"].reason and "apertium" in outcomes["Nerve injuries"].reason
    assert "markup" in outcomes[LINK].reason or "tags" in outcomes[LINK].reason
    assert "exactly the machine draft" in outcomes["Description"].reason
    assert outcomes["Risks"].result == "approved"
    assert [o.result for o in outcomes.values()].count("approved") == 1


def test_ledger_record_binds_exact_texts(project_copy, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764131464")  # 2025-11-26T04:31:04Z
    written = translate_all(project_copy, "es", prefixed("ES "))
    approve(project(project_copy), DOC, "es", "  A.  Ruiz ", [unit_id("Risks")])
    text = ledger_path(project(project_copy), "es", DOC).read_text(encoding="utf-8")
    line = text.splitlines()[0]
    record = json.loads(line)
    assert list(record) == sorted(record)  # sorted keys: diffs stay readable
    assert record == {
        "approved_at": "2025-11-26T04:31:04Z",
        "english_review_date": review_date(project_copy),
        "msgid": "Risks",
        "msgid_sha256": hashlib.sha256(b"Risks").hexdigest(),
        "msgstr": written["Risks"],
        "msgstr_sha256": hashlib.sha256(written["Risks"].encode()).hexdigest(),
        "reviewer": "A. Ruiz",
        "unit": hashlib.sha256(b"Risks").hexdigest()[:12],
    }


def test_approval_dies_when_translation_changes_and_ledger_only_grows(project_copy):
    translate_all(project_copy, "es", prefixed("ES "))
    p = project(project_copy)
    approve(p, DOC, "es", "A. Ruiz", [unit_id("Risks")])
    path = ledger_path(p, "es", DOC)
    first = path.read_bytes()
    again = approve(project(project_copy), DOC, "es", "B. Cruz", [unit_id("Risks")])
    assert again[0].result == "already approved" and path.read_bytes() == first  # no duplicate record

    edit_entry(project_copy, "es", "Risks", lambda e: setattr(e, "msgstr", "Riesgos del procedimiento"))
    risks = next(r for r in review_units(project(project_copy), DOC, "es") if r.unit.msgid == "Risks")
    assert risks.live is None and risks.stale_reason().startswith("translation changed since approved on")

    approve(project(project_copy), DOC, "es", "B. Cruz", [unit_id("Risks")])
    data = path.read_bytes()
    assert data.startswith(first) and data.count(b"\n") == 2
    risks = next(r for r in review_units(project(project_copy), DOC, "es") if r.unit.msgid == "Risks")
    assert risks.live.msgstr == "Riesgos del procedimiento" and risks.live.reviewer == "B. Cruz"


def test_unknown_unit_and_missing_selection_are_usage_errors(project_copy):
    assert medloc(project_copy, "approve", "-l", "es", DOC, "--reviewer", "X", "--unit", "000000000000") == 2
    assert medloc(project_copy, "approve", "-l", "es", DOC, "--reviewer", "X") == 2
    assert medloc(project_copy, "approve", DOC, "--reviewer", "X", "--all") == 2


def test_hand_edited_ledger_is_rejected_with_its_line(project_copy):
    translate_all(project_copy, "es", prefixed("ES "))
    p = project(project_copy)
    approve(p, DOC, "es", "A. Ruiz", [unit_id("Risks"), unit_id("Bleeding")])
    path = ledger_path(p, "es", DOC)
    lines = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[1])
    record["msgstr"] = "something never approved"
    path.write_text(lines[0] + "\n" + json.dumps(record, sort_keys=True) + "\n", encoding="utf-8")
    with pytest.raises(MedlocError) as caught:
        review_units(project(project_copy), DOC, "es")
    assert caught.value.line == 2 and "digests" in caught.value.message


def test_blocking_qa_error_refuses_and_a_suppression_allows(project_copy):
    translate_all(project_copy, "es", prefixed("ES ", {NUMBER: "Después de un día, vuelva poco a poco a sus actividades."}))
    outcome = approve(project(project_copy), DOC, "es", "A. Ruiz", [unit_id(NUMBER)])[0]
    assert outcome.result == "refused" and "blocking QA" in outcome.reason and "24" in outcome.reason

    def suppress(entry):
        entry.tcomment = "medloc-ignore: numbers -- 'un día' is 24 hours (checked by A. Ruiz)"

    edit_entry(project_copy, "es", NUMBER, suppress)
    assert approve(project(project_copy), DOC, "es", "A. Ruiz", [unit_id(NUMBER)])[0].result == "approved"
