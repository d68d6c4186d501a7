"""Fast PO reading and writing that give exactly what polib gives, for a build's thousands of catalogs.

`parse` follows polib's grammar and transitions in one tight loop, for text that
`catalog.read_catalog` has already validated line by line; on anything polib would treat
specially (a syntax error, an unusual layout) it raises `Unusual`, and the caller lets polib
parse that text and report it. `render_entry` writes an entry as polib does, except that
comment lines are never wrapped (GNU gettext does not wrap them either, and a wrapped
`# medloc-draft: ...` line would no longer parse); wrapping a string, the costly part, is
remembered, since each English string is written once per locale. `tests/test_pofile.py`
compares both with polib, entry by entry. `dumps` and `loads` carry a parsed catalog between
the processes of a build, several times faster than parsing its text again.
"""

from __future__ import annotations

import functools
import marshal
import textwrap
import zlib

import polib

_KEYWORDS = {"msgctxt": "ct", "msgid": "mi", "msgstr": "ms", "msgid_plural": "mp"}
_PREVIOUS = {"msgctxt": "pc", "msgid": "pm", "msgid_plural": "pp"}
_FIELDS = {"ct": "msgctxt", "mi": "msgid", "mp": "msgid_plural", "ms": "msgstr",
           "pc": "previous_msgctxt", "pm": "previous_msgid", "pp": "previous_msgid_plural"}

# polib's transition table: symbol -> the states it may follow. Every symbol except a
# continuation line ("mc") becomes the new state; a comment in the "st"/"he" states is header.
_ALL = {"st", "he", "gc", "oc", "fl", "ct", "pc", "pm", "pp", "tc", "ms", "mp", "mx", "mi"}
_FOLLOWS = {
    "tc": _ALL - {"ct"},
    "gc": _ALL, "oc": _ALL, "fl": _ALL, "pc": _ALL, "pm": _ALL, "pp": _ALL,
    "ct": {"st", "he", "gc", "oc", "fl", "tc", "pc", "pm", "pp", "ms", "mx"},
    "mi": {"st", "he", "gc", "oc", "fl", "ct", "tc", "pc", "pm", "pp", "ms", "mx"},
    "mp": {"tc", "gc", "pc", "pm", "pp", "mi"},
    "ms": {"mi", "mp", "tc"},
    "mx": {"mi", "mx", "mp", "tc"},
    "mc": {"ct", "mi", "mp", "ms", "mx", "pm", "pp", "pc"},
}
_STARTS_ENTRY = frozenset(_FOLLOWS) - {"mp", "ms", "mx", "mc"}  # after a msgstr, these begin the next entry


class Unusual(Exception):
    """The text needs polib's own parser (which will also report any syntax error)."""


_BLANK_ENTRY = vars(polib.POEntry())  # the attributes polib gives a new entry


def _new_entry(linenum: int) -> polib.POEntry:
    """`polib.POEntry(linenum=LINENUM)` without polib's keyword-argument constructor, the costly
    part of creating the hundreds of thousands of entries a build reads."""
    entry = object.__new__(polib.POEntry)
    entry.__dict__.update(_BLANK_ENTRY)
    entry.msgstr_plural, entry.occurrences, entry.flags, entry.linenum = {}, [], [], linenum
    return entry


def dumps(po: polib.POFile) -> bytes | None:
    """PO's attributes and entries as bytes for `loads`; None if something in it has no such form."""
    try:
        return zlib.compress(marshal.dumps((vars(po), [vars(entry) for entry in po])), 1)
    except ValueError:  # an attribute marshal cannot write: that catalog is simply parsed again
        return None


def loads(data: bytes) -> polib.POFile:
    """A new catalog equal to the one `dumps` wrote, sharing no object with it or any other."""
    attributes, entries = marshal.loads(zlib.decompress(data))
    po = polib.POFile.__new__(polib.POFile)
    po.__dict__.update(attributes)
    for fields in entries:
        entry = object.__new__(polib.POEntry)
        entry.__dict__ = fields
        po.append(entry)
    return po


def _unescape(text: str) -> str:
    return polib.unescape(text) if "\\" in text else text


def parse(text: str, wrapwidth: int) -> polib.POFile:
    """TEXT (already validated by `catalog._check_strings`) as polib would parse it."""
    po = polib.POFile(encoding=polib.detect_encoding(text), wrapwidth=wrapwidth)
    entry = _new_entry(0)
    state, plural_index, tokens = "st", 0, []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if number == 1 and line.startswith("\ufeff"):
            raise Unusual
        tokens = line.split(None, 2)
        head = tokens[0]
        obsolete = False
        if head == "#~|":
            continue
        if head == "#~" and len(tokens) > 1:
            line, tokens, obsolete = line[3:].strip(), tokens[1:], True
            head = tokens[0]
        if head in _KEYWORDS and len(tokens) > 1:
            symbol, token = _KEYWORDS[head], line[len(head):].lstrip()
        elif line[0] == '"':
            symbol, token = "mc", line
        elif line.startswith("msgstr["):
            symbol, token = "mx", line
        elif head in ("#:", "#,", "#.") and len(tokens) > 1:
            symbol, token = {"#:": "oc", "#,": "fl", "#.": "gc"}[head], line
        elif head in ("#:", "#,", "#."):
            continue
        elif head == "#" or head.startswith("##"):
            symbol, token = "tc", line
        elif head == "#|" and len(tokens) > 2 and tokens[1] in _PREVIOUS:
            symbol, token = _PREVIOUS[tokens[1]], line[2:].lstrip()[len(tokens[1]):].lstrip()
        elif head == "#|" and len(tokens) > 1 and tokens[1].startswith('"'):
            symbol, token = "mc", line[2:].lstrip()
        else:
            raise Unusual
        if state not in _FOLLOWS[symbol]:
            raise Unusual
        if symbol == "tc" and state in ("st", "he"):
            po.header = f"{po.header}\n{token[2:]}" if po.header else token[2:]  # polib drops a blank first line
            state = "he"
            continue
        if symbol == "mc":
            field = "msgstr_plural" if state == "mx" else _FIELDS[state]
            value = _unescape(token[1:-1])
            if field == "msgstr_plural":
                entry.msgstr_plural[plural_index] += value
            else:
                setattr(entry, field, getattr(entry, field) + value)
            continue
        if symbol in _STARTS_ENTRY and state in ("ms", "mx"):
            po.append(entry)
            entry = _new_entry(number)
        if symbol == "tc":
            comment = token.lstrip("#")
            comment = comment[1:] if comment.startswith(" ") else comment
            entry.tcomment = f"{entry.tcomment}\n{comment}" if entry.tcomment else comment
        elif symbol == "gc":
            entry.comment = f"{entry.comment}\n{token[3:]}" if entry.comment else token[3:]
        elif symbol == "oc":
            entry.occurrences.extend(_occurrence(item) for item in token[3:].split())
        elif symbol == "fl":
            entry.flags += [flag.strip() for flag in token[3:].split(",")]
        elif symbol == "mx":
            plural_index = int(token[7])
            entry.msgstr_plural[plural_index] = _unescape(token[token.find('"') + 1:-1])
        else:
            if symbol == "mi":
                entry.obsolete = int(obsolete)
            setattr(entry, _FIELDS[symbol], _unescape(token[1:-1]))
        state = symbol
    if tokens and not tokens[0].startswith("#"):
        po.append(entry)
    _take_metadata(po)
    return po


def _occurrence(item: str) -> tuple[str, str]:
    place, colon, line = item.rpartition(":")
    return (place, line) if colon and line.isdigit() else (item, "")


def _take_metadata(po: polib.POFile) -> None:
    """Move the header entry's fields into po.metadata, as polib does."""
    header = po.find("")
    if not header:
        return
    po.remove(header)
    po.metadata_is_fuzzy = header.flags
    key = None
    for line in header.msgstr.splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            po.metadata[key] = value.strip()
        elif key is not None:
            po.metadata[key] += "\n" + line.strip()


def render_entry(entry: polib.POEntry, width: int) -> str:
    """ENTRY as `polib.POEntry.__unicode__(width)` writes it, but with comment lines unwrapped."""
    comments = [("# ", entry.tcomment)] + ([] if entry.obsolete else [("#. ", entry.comment)])
    lines = [prefix + line for prefix, text in comments if text for line in text.split("\n")]
    if not entry.obsolete and entry.occurrences:
        places = " ".join(f"{place}:{line}" if line else place for place, line in entry.occurrences)
        if width > 0 and len(places) + 3 > width:  # polib keeps hyphenated file names whole
            lines += [line.replace("*", "-") for line in textwrap.wrap(
                places.replace("-", "*"), width, initial_indent="#: ", subsequent_indent="#: ", break_long_words=False)]
        else:
            lines.append("#: " + places)
    if entry.flags:
        lines.append("#, " + ", ".join(entry.flags))
    for name in ("previous_msgctxt", "previous_msgid", "previous_msgid_plural"):
        value = getattr(entry, name)
        if value is not None:
            lines += _field(name, "#~| " if entry.obsolete else "#| ", "", value, width)
    mark = "#~ " if entry.obsolete else ""
    if entry.msgctxt is not None:
        lines += _field("msgctxt", mark, "", entry.msgctxt, width)
    lines += _field("msgid", mark, "", entry.msgid, width)
    if entry.msgid_plural:
        lines += _field("msgid_plural", mark, "", entry.msgid_plural, width)
    if entry.msgstr_plural:
        for index in sorted(entry.msgstr_plural):
            lines += _field("msgstr", mark, f"[{index}]", entry.msgstr_plural[index], width)
    else:
        lines += _field("msgstr", mark, "", entry.msgstr, width)
    return "\n".join(lines) + "\n"


_SPECIAL = ("\\", "\n", "\r", "\t", "\v", "\b", "\f", '"')


@functools.lru_cache(maxsize=16384)
def _field(name: str, mark: str, index: str, value: str, width: int) -> tuple[str, ...]:
    """polib's `_str_field`: one keyword and its string, wrapped as polib wraps it."""
    parts = value.splitlines(True)
    if len(parts) > 1:
        parts = ["", *parts]
    else:
        room = width - (len(name) + 3 + len(index)) + sum(value.count(c) for c in _SPECIAL)
        if width > 0 and len(value) > room:
            parts = ["", *(polib.unescape(part) for part in textwrap.wrap(
                polib.escape(value), width - 2, drop_whitespace=False, break_long_words=False))]
        else:
            parts = [value]
    keyword = name[9:] if name.startswith("previous_") else name
    first, *rest = parts
    return (f'{mark}{keyword}{index} "{polib.escape(first)}"', *(f'{mark}"{polib.escape(part)}"' for part in rest))
