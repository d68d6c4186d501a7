"""The benchmark's corpus tools: the generator is deterministic and seed-shaped, the mutator edits what it says.

Shapes are read back with medloc's own reader and segmenter, so a generated article is checked
the way the pipeline will see it; no timing is asserted here.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import polib
import pytest

from pipeline import inline
from pipeline.segment import segment, split_sentences
from pipeline.source import read_document

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import driver  # noqa: E402
import generate  # noqa: E402
import mutate  # noqa: E402
import run  # noqa: E402


def body_units(path: Path) -> list[tuple[str, int]]:
    """(text, line) of the sentences and list items medloc cuts the article into."""
    return [(u.msgid, u.line) for u in segment(read_document(path)).units() if u.kind in ("sentence", "list item")]


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path):
    first = generate.generate(tmp_path / "a", 4, seed=7)
    again = generate.generate(tmp_path / "b", 6, seed=7)  # a larger corpus starts with the same articles
    other = generate.generate(tmp_path / "c", 4, seed=8)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again[:4]]
    assert all(a.read_bytes() != c.read_bytes() for a, c in zip(first, other))
    assert len({p.read_bytes() for p in again}) == 6


@pytest.mark.parametrize("index", range(1, 41))
def test_generated_article_has_the_shape_of_the_seed(tmp_path, index):
    path = tmp_path / f"{generate.doc_name(index)}.md"
    path.write_text(generate.article(index), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    document = read_document(path)  # valid for medloc: header, title, review date, blocks

    assert 4000 <= len(text.encode()) <= 5200
    assert document.meta.title and document.meta.review_date.year >= 2015
    tokens = document.tokens
    headings = [i for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert 6 <= len(headings) <= 8 and all(tokens[i].tag == "h2" for i in headings)
    assert tokens[headings[-1] + 1].content == "References"
    references = [t for i, t in enumerate(tokens) if i in document.untranslated and t.type == "inline"]
    assert references and all(re.search(r"PMID: \d{8}", t.content) for t in references)
    units = segment(document, split_sentences).units()
    assert any(unit.kind == "list item" for unit in units)
    assert re.search(r"\]\([a-z-]+\.html\)", text)  # a link in the body
    assert re.search(r"\b\d+ (?:to \d+ )?(?:hours|days|weeks|months|minutes)\b", text)  # durations
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and tokens[index - 1].type != "list_item_open" and index + 1 not in \
                document.untranslated and not tokens[index + 1].content.endswith(":"):  # list intros are one line
            compact, _ = inline.to_compact(inline.from_tokens(tokens[index + 1].children))
            assert 2 <= len(split_sentences(compact)) <= 5, tokens[index + 1].content


def test_mutator_edits_the_given_percentage_of_sentences_and_moves_no_line(tmp_path):
    paths = generate.generate(tmp_path, 25)
    before = {p: body_units(p) for p in paths}
    total = sum(len(units) for units in before.values())

    result = mutate.mutate(tmp_path, 4, seed=3)

    after = {p: body_units(p) for p in paths}
    changed = [(old, new) for p in paths for old, new in zip(before[p], after[p]) if old != new]
    assert [len(after[p]) for p in paths] == [len(before[p]) for p in paths]  # no sentence split or merged
    assert result.sentences == total
    assert len(changed) == result.edited == round(total * 0.04)
    assert all(old[1] == new[1] and new[0] != old[0] for old, new in changed)  # same line, new text
    assert set(result.files) == {p for p in paths if before[p] != after[p]}


def test_mutator_is_deterministic_and_leaves_header_headings_and_references_alone(tmp_path):
    for name in ("a", "b"):
        generate.generate(tmp_path / name, 10)
        mutate.mutate(tmp_path / name, 10, seed=5)
    pristine = generate.generate(tmp_path / "c", 10)
    for path in pristine:
        edited = (tmp_path / "a" / path.name).read_text(encoding="utf-8")
        assert edited == (tmp_path / "b" / path.name).read_text(encoding="utf-8")
        original = path.read_text(encoding="utf-8")
        header = original[: original.index("\n\n")]
        assert edited.startswith(header)
        assert edited[edited.index("## References"):] == original[original.index("## References"):]
        headings = [line for line in original.splitlines() if line.startswith("#")]
        assert [line for line in edited.splitlines() if line.startswith("#")] == headings


def test_instant_engine_drafts_every_empty_unit_and_counts_its_work(project_copy, tmp_path, monkeypatch):
    catalog = project_copy / "locales" / "vi" / "vertebroplasty.po"
    empty = {e.msgid for e in polib.pofile(str(catalog)) if not e.obsolete and not e.msgstr}
    calls = tmp_path / "calls.json"
    monkeypatch.setenv("MEDLOC_BENCH_CALLS", str(calls))
    monkeypatch.setenv("MEDLOC_BENCH_PROFILE", "")
    shutil.rmtree(project_copy / "build", ignore_errors=True)

    driver.main(["cli", "-C", str(project_copy), "draft", "-l", "vi", "--engine", "instant"])

    drafted = {e.msgid: e for e in polib.pofile(str(catalog)) if e.msgid in empty}
    assert empty and all(e.msgstr.startswith("[vi] ") and "fuzzy" in e.flags for e in drafted.values())
    work = json.loads(calls.read_text())
    assert work["units"] == len(empty) and work["calls"] >= 1


def test_instant_engine_work_is_counted_in_worker_processes(project_copy, tmp_path, monkeypatch):
    """Drafting 24 catalogs with two jobs runs in worker processes; their requests still count."""
    from pipeline.cli import main as medloc_main

    source = (project_copy / "source" / "vertebroplasty.md").read_text(encoding="utf-8")
    for i in range(11):
        (project_copy / "source" / f"copy{i:02}.md").write_text(source.replace("Title: ", f"Title: Copy {i} "),
                                                               encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert medloc_main(["-C", str(project_copy), "extract"]) == 0
    assert medloc_main(["-C", str(project_copy), "update", "-l", "vi", "-l", "ar"]) == 0
    catalogs = [p for loc in ("vi", "ar") for p in (project_copy / "locales" / loc).glob("*.po")]
    # The copies share their units; the draft cache answers a text again without a request.
    empty = len({(p.parent.name, e.msgid) for p in catalogs for e in polib.pofile(str(p)) if not e.obsolete and not e.msgstr})
    assert len(catalogs) == 24 and empty
    calls = tmp_path / "calls.json"
    monkeypatch.setenv("MEDLOC_BENCH_CALLS", str(calls))
    monkeypatch.setenv("MEDLOC_BENCH_PROFILE", "")
    shutil.rmtree(project_copy / "build", ignore_errors=True)

    driver.main(["cli", "-C", str(project_copy), "-j", "2", "draft", "-l", "vi", "-l", "ar", "--engine", "instant"])

    work = json.loads(calls.read_text())
    assert work["units"] == empty and work["calls"] >= 2


def test_profile_names_medlocs_functions_wherever_the_checkout_is(tmp_path):
    """The profile's table of medloc's own functions picks them by their checkout-relative path;
    a clone anywhere (CI, /tmp) must name them the same way."""
    import cProfile

    from pipeline.inline import parse

    stats = tmp_path / "profile.out"
    cProfile.runctx("parse('Take **5 mg** daily.')", {"parse": parse}, {}, str(stats))
    ours = [name for name, *_ in run.profile_tables([str(stats)])["cumulative"]]
    assert any(name.startswith("pipeline/inline.py:") and name.endswith("(parse)") for name in ours)
