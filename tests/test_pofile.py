"""The fast PO reader (pipeline.pofile) against polib: same objects, or it hands the text to polib."""

from __future__ import annotations

import copy
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import pofile
from pipeline.catalog import WRAP_WIDTH, read_catalog, render_catalog

ROOT = Path(__file__).resolve().parent.parent

TRICKY = r'''# Spanish translation of a health article.
#
# Second header line after a blank one.
msgid ""
msgstr ""
"Project-Id-Version: x\n"
"Content-Type: text/plain; charset=UTF-8\n"
"X-Long: first part\n"
"continued without a colon\n"

#. extracted comment
#.  with two spaces
#:
#: source/a.md:12 source/b.md :7 plain source/c.md:x
#, fuzzy, python-format
#| msgctxt "old ctx"
#| msgid "Old "
#| "text"
msgctxt "ctx"
msgid "Multi "
"line \"quoted\" \\ text\n"
msgstr ""
"Traducción "
"en dos líneas\t"
#
## double hash comment
#  translator comment
msgid "Second"
msgstr "Segunda"
#.
#,
msgid "One apple"
msgid_plural "%d apples"
msgstr[0] "Una manzana"
msgstr[1] "%d manzanas"
"!"

#, fuzzy
#~| msgid "gone before"
#~ msgid "Gone"
#~ "away"
#~ msgstr "Ido"
#~ msgid "Also gone"
#~ msgstr ""
'''


def assert_same(text: str) -> None:
    """Either the fast reader matches polib exactly, or it declines (and then polib decides)."""
    try:
        expected = polib.pofile(text, wrapwidth=WRAP_WIDTH)
    except (OSError, ValueError):
        with pytest.raises(pofile.Unusual):
            pofile.parse(text, WRAP_WIDTH)
        return
    try:
        got = pofile.parse(text, WRAP_WIDTH)
    except pofile.Unusual:
        return
    for name in ("header", "metadata", "metadata_is_fuzzy", "encoding", "wrapwidth", "fpath", "check_for_duplicates"):
        assert getattr(got, name) == getattr(expected, name), name
    assert len(got) == len(expected)
    for mine, theirs in zip(got, expected):
        assert vars(mine) == vars(theirs)


def test_tricky_catalog_parses_like_polib():
    pofile.parse(TRICKY, WRAP_WIDTH)  # the fast path takes it: no Unusual
    assert_same(TRICKY)
    po = pofile.parse(TRICKY, WRAP_WIDTH)
    assert po.header == "Spanish translation of a health article.\n\nSecond header line after a blank one."
    assert [e.msgid for e in po] == ['Multi line "quoted" \\ text\n', "Second", "One apple", "Goneaway", "Also gone"]
    first = po[0]
    assert first.previous_msgid == "Old text" and first.previous_msgctxt == "old ctx" and first.msgctxt == "ctx"
    assert first.occurrences == [("source/a.md", "12"), ("source/b.md", ""), ("", "7"), ("plain", ""),
                                 ("source/c.md:x", "")]
    assert po[2].msgstr_plural == {0: "Una manzana", 1: "%d manzanas!"}
    assert po.metadata["X-Long"] == "first part\ncontinued without a colon"


def test_every_committed_and_bad_catalog_parses_like_polib():
    paths = sorted([*ROOT.glob("locales/**/*.po"), *ROOT.glob("locales/**/*.pot"), *ROOT.glob("tests/**/*.po")])
    assert paths
    for path in paths:
        text = path.read_bytes().decode("utf-8", errors="replace")
        assert_same(text)


def test_layouts_polib_refuses_are_left_to_polib():
    for text in ['msgstr "x"\nmsgid "y"\n', '#~\n', 'msgid "a"\n# comment\n"cont"\n', '#foo\nmsgid "a"\nmsgstr ""\n']:
        assert_same(text)


LINES = st.sampled_from([
    'msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', 'msgid "a"', 'msgid "b \\"q\\""',
    'msgstr "x"', '"more"', 'msgctxt "c"', 'msgid_plural "as"', 'msgstr[0] "x0"', 'msgstr[1] "x1"',
    '# note', '#', '#. auto', '#.', '#: f.md:1 g.md', '#, fuzzy', '#,', '#| msgid "old"', '#| "old more"',
    '#| msgctxt "oc"', '#~ msgid "o"', '#~ msgstr "p"', '#~ "q"', '#~| msgid "r"', '', '   ', '## hash',
])


@settings(max_examples=400, deadline=None)
@given(st.lists(LINES, max_size=14))
def test_any_arrangement_of_lines_parses_like_polib(lines):
    assert_same("\n".join(lines) + "\n")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=30), st.text(max_size=30), st.booleans(), st.booleans()),
                max_size=8, unique_by=lambda t: t[0]))
def test_rendered_catalogs_parse_like_polib(items):
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for msgid, msgstr, fuzzy, obsolete in items:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=["fuzzy"] if fuzzy else [], obsolete=obsolete,
                                tcomment="medloc-draft: x\nsecond", occurrences=[("doc.md", "3")]))
    assert_same(render_catalog(po))


def test_read_catalog_uses_the_fast_reader_and_still_names_bad_lines(tmp_path):
    path = tmp_path / "x.po"
    path.write_text(TRICKY, encoding="utf-8")
    assert [e.msgid for e in read_catalog(path)] == [e.msgid for e in polib.pofile(TRICKY)]


def polib_entry_text(entry: polib.POEntry, width: int) -> str:
    """The oracle: polib's own writer for everything but the comments, which are never wrapped."""
    bare = copy.copy(entry)
    bare.tcomment = bare.comment = ""
    comments = [("# ", entry.tcomment)] + ([] if entry.obsolete else [("#. ", entry.comment)])
    lines = [prefix + line for prefix, text in comments if text for line in text.split("\n")]
    return "\n".join([*lines, bare.__unicode__(width)])


TEXT = st.lists(st.sampled_from(list('ab cd-ef\\"\n\t.,«»中') + ["word ", "long-hyphenated-word ", "x" * 30]),
                max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(msgid=TEXT, msgstr=TEXT, previous=st.one_of(st.none(), TEXT), ctx=st.one_of(st.none(), TEXT),
       obsolete=st.booleans(), fuzzy=st.booleans(), comment=TEXT, plural=st.booleans(),
       places=st.lists(st.tuples(st.sampled_from(["source/a-b.md", "x.md", "very-long-path/with-hyphens/file.md"]),
                                 st.sampled_from(["", "1", "123"])), max_size=8),
       width=st.sampled_from([79, 40, 0]))
def test_render_entry_writes_what_polib_writes(msgid, msgstr, previous, ctx, obsolete, fuzzy, comment, plural,
                                               places, width):
    entry = polib.POEntry(msgid=msgid, msgstr="" if plural else msgstr, msgctxt=ctx, obsolete=obsolete,
                          flags=["fuzzy"] if fuzzy else [], tcomment=comment, comment=comment,
                          occurrences=places, previous_msgid=previous, previous_msgctxt=ctx)
    if plural:
        entry.msgid_plural = msgid + "s"
        entry.msgstr_plural = {0: msgstr, 1: msgstr + msgstr}
    assert pofile.render_entry(entry, width) == polib_entry_text(entry, width)


def test_render_entry_wraps_long_strings_like_polib():
    long = "People who have bladder cancer are more likely to need a biopsy of the hip, says the \"provider\"."
    entry = polib.POEntry(msgid=long, msgstr=long.upper(), occurrences=[("source/a-very-long-name.md", "12")] * 6)
    text = pofile.render_entry(entry, WRAP_WIDTH)
    assert text == polib_entry_text(entry, WRAP_WIDTH)
    assert text.count('msgid ""\n') == 1 and max(len(line) for line in text.splitlines()) <= WRAP_WIDTH


def assert_same_catalog(got: polib.POFile, expected: polib.POFile) -> None:
    assert vars(got) == vars(expected)
    assert [vars(entry) for entry in got] == [vars(entry) for entry in expected]


def test_dumps_and_loads_give_the_catalog_polib_parses():
    """What `loads` rebuilds is what polib reads from the text: header, metadata and every field of every entry
    (previous strings, plurals, obsolete entries, occurrences and flags included)."""
    expected = polib.pofile(TRICKY, wrapwidth=WRAP_WIDTH)
    blob = pofile.dumps(pofile.parse(TRICKY, WRAP_WIDTH))
    assert blob is not None
    assert_same_catalog(pofile.loads(blob), expected)


def test_loaded_catalogs_share_no_objects():
    """Callers change what they read (update merges into it): one load must not leak into the next."""
    blob = pofile.dumps(pofile.parse(TRICKY, WRAP_WIDTH))
    first = pofile.loads(blob)
    first[0].flags.append("changed")
    first[2].msgstr_plural[0] = "changed"
    first[0].occurrences.append(("x.md", "1"))
    first.metadata["X-Long"] = "changed"
    assert_same_catalog(pofile.loads(blob), polib.pofile(TRICKY, wrapwidth=WRAP_WIDTH))


@settings(max_examples=60, deadline=None)
@given(st.lists(LINES, max_size=14))
def test_any_catalog_the_fast_reader_takes_survives_dumps_and_loads(lines):
    text = "\n".join(lines) + "\n"
    try:
        parsed = pofile.parse(text, WRAP_WIDTH)
    except pofile.Unusual:
        return
    assert_same_catalog(pofile.loads(pofile.dumps(parsed)), pofile.parse(text, WRAP_WIDTH))
