"""The translation as text: present, reviewed, really translated, and free of typing slips."""

from __future__ import annotations

import functools
import re
import unicodedata

import polib

from pipeline.checks.base import ERROR, OBJECT, REGISTRY, WARNING, Context, quote, unit_check
from pipeline.markers import IGNORE, draft_marker, entry_state, suppressions

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_LATIN = r"[0-9A-Za-z\u00c0-\u024f]"  # a name ends where Latin letters end, even inside Chinese text
_DOUBLED = re.compile(r"(?<!\w)(\w+)(\s+)(\1)(?!\w)", re.IGNORECASE)
# Translation length / English length, by language. CJK scripts pack a word into one or two characters.
LENGTH_RATIOS = {"default": (0.5, 2.0), "zh": (0.15, 1.0), "ja": (0.2, 1.2), "ko": (0.25, 1.2)}
MIN_RATIO_LENGTH = 20  # shorter English units vary too much to judge by length
IGNORE_HINT = "if it is right here, add the translator comment `medloc-ignore: {check} -- reason`"


@unit_check("untranslated", WARNING, on_empty=True)
def untranslated(ctx: Context):
    """The unit has no translation yet (nothing is published for it until there is one)."""
    if not ctx.msgstr:
        yield "not translated yet; write the translation of the English text"
    elif not ctx.msgstr.strip():
        yield "the translation is only whitespace; write the translation of the English text"


@unit_check("fuzzy", WARNING)
def fuzzy(ctx: Context):
    """Fuzzy units are not in use: machine drafts nobody has checked, or translations of older English."""
    if "fuzzy" not in ctx.entry.flags:
        return
    state = entry_state(ctx.entry)
    if state == "machine-draft":
        yield (f"unreviewed machine draft ({draft_marker(ctx.entry).origin}); compare it with the English, "
               f"correct it, then clear the fuzzy flag")
    elif ctx.entry.previous_msgid:
        yield (f"the English changed since this was translated (it was {quote(ctx.entry.previous_msgid)}); "
               f"update the translation to match, then clear the fuzzy flag")
    else:
        yield "marked fuzzy (needs review); check the translation against the English, then clear the fuzzy flag"


@unit_check("copied-english", WARNING)
def copied_english(ctx: Context):
    """The translation is the English text unchanged."""
    if ctx.translation.strip().casefold() != ctx.english.strip().casefold():
        return
    kept = {t.english.casefold() for t in ctx.glossary if t.keep}
    words = [w for w in _WORD.findall(ctx.english) if w.casefold() not in kept and not w.isupper()]
    if words:
        yield f"the translation is a copy of the English; translate it ({IGNORE_HINT.format(check='copied-english')})"


@unit_check("whitespace", WARNING)
def whitespace(ctx: Context):
    """Leading and trailing whitespace must match the English (it shows up in the page)."""
    for where, pattern in (("start", r"^\s*"), ("end", r"\s*$")):
        english = re.search(pattern, ctx.msgid).group()
        translated = re.search(pattern, ctx.msgstr).group()
        if english != translated:
            yield (f"whitespace at the {where} differs from the English ({english!r} in English, "
                   f"{translated!r} here); make it the same")


@unit_check("doubled-space", WARNING)
def doubled_space(ctx: Context):
    """Two spaces in a row inside the translation are a typing slip."""
    if re.search(r"\S {2,}\S", ctx.msgstr) and not re.search(r"\S {2,}\S", ctx.msgid):
        yield "the translation has two spaces in a row; replace them with one"


@unit_check("doubled-word", WARNING)
def doubled_word(ctx: Context):
    """The same word twice in a row ("the the") is a typing slip."""
    english = {m.group(1).casefold() for m in _DOUBLED.finditer(ctx.english)}
    for match in _DOUBLED.finditer(ctx.translation):
        word = match.group(1)
        if not word.isdigit() and word.casefold() not in english:
            yield f"{match.group(0)!r} repeats a word; delete one ({IGNORE_HINT.format(check='doubled-word')})"


# Control (Cc), private-use (Co), line and paragraph separator (Zl, Zp) characters, and U+FFFD.
BAD_CHARACTER = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ue000-\uf8ff\U000f0000-\U000ffffd"
                           "\U00100000-\U0010fffd\ufffd]")


@unit_check("control-characters", ERROR)
def control_characters(ctx: Context):
    """Tabs, line breaks, control and replacement characters do not belong in a sentence of an article."""
    english = set(ctx.msgid)
    for char in sorted({c for c in BAD_CHARACTER.findall(ctx.msgstr) if c not in english}):
        name = unicodedata.name(char, repr(char))
        yield (f"the translation contains {name} (U+{ord(char):04X}), which breaks the page or shows as garbage; "
               f"remove it (one unit is one line of text)")


@unit_check("compendium-conflict", ERROR)
def compendium_conflict(ctx: Context):
    """`#-#-#-#-#` marks alternatives that msgcat/msgmerge could not choose between."""
    if "#-#-#-#-#" in ctx.msgstr:
        yield "the translation holds several versions merged by msgcat (#-#-#-#-#); keep the right one, delete the rest"


@unit_check("pure-punctuation", WARNING)
def pure_punctuation(ctx: Context):
    """A unit that is only punctuation or symbols (a dash in a table) stays as it is."""
    english = ctx.english.strip()
    if english and not any(c.isalnum() or c == OBJECT for c in english) and ctx.translation.strip() != english:
        yield f"the English is only punctuation ({english!r}); copy it unchanged"


def _ratio_bounds(ctx: Context) -> tuple[float, float]:
    configured = ctx.param("length_ratio")
    for key in (ctx.locale, ctx.language, "default"):
        if key in configured:
            return tuple(configured[key])
    return LENGTH_RATIOS.get(ctx.language, LENGTH_RATIOS["default"])


@unit_check("length-ratio", WARNING)
def length_ratio(ctx: Context):
    """A translation much shorter or longer than usual for its language may miss or add content."""
    english, translated = ctx.english.strip(), ctx.translation.strip()
    if len(english) < MIN_RATIO_LENGTH:
        return
    low, high = _ratio_bounds(ctx)
    ratio = len(translated) / len(english)
    if ratio < low:
        yield (f"the translation is {ratio:.2f} times the length of the English (usual for {ctx.locale}: "
               f"{low}–{high}); check that nothing was left out")
    elif ratio > high:
        yield (f"the translation is {ratio:.2f} times the length of the English (usual for {ctx.locale}: "
               f"{low}–{high}); check for added or repeated text")


def _latin(text: str) -> bool:
    if text.isascii():
        return any(c.isalpha() for c in text)  # every letter is Latin
    letters = [c for c in text if c.isalpha()]
    return sum("LATIN" in unicodedata.name(c, "") for c in letters) * 2 > len(letters)


@functools.lru_cache(maxsize=8192)  # the same English is checked once per locale
def names(english: str, latin_target: bool) -> tuple[str, ...]:
    """Words of the English that look like names: capitalised mid-sentence, or acronyms anywhere.

    Non-Latin scripts transliterate names, so for them only acronyms and words with digits count;
    nor do capitals in a Title Case heading ("Before the Procedure") mark names.
    """
    long_words = [w for w in _WORD.findall(english) if len(w) > 3]
    title_case = sum(w[0].isupper() for w in long_words) * 2 > len(long_words)
    found = []
    for match in _WORD.finditer(english):
        word = match.group(0)
        acronym = len(word) > 1 and word.isupper()
        if acronym or any(c.isdigit() for c in word):
            found.append(word)
        elif latin_target and not title_case and word[0].isupper() and word != "I":
            before = english[: match.start()].rstrip(" \"'“‘(" + OBJECT)
            if before and before[-1] not in ".!?:;":
                found.append(word)
    return tuple(found)


@unit_check("names-dropped", WARNING)
def names_dropped(ctx: Context):
    """Names, brands and abbreviations of the English usually stay as written."""
    translated = {t.english.casefold() for t in ctx.glossary if not t.keep}
    text = ctx.translation.casefold()
    for word in dict.fromkeys(names(ctx.english, _latin(ctx.translation))):
        stem = re.sub(r"['’]s$", "", word)
        if stem.casefold() in translated:
            continue
        if not re.search(rf"(?<!{_LATIN}){re.escape(stem.casefold())}(?!{_LATIN})", text):
            yield (f"{stem!r} from the English is not in the translation; names, brands and abbreviations "
                   f"usually stay as written (if yours has a local form, add it to the glossary)")


def _first_letter(text: str) -> str:
    match = re.search(r"[^\W\d_]", text)
    return match.group(0) if match and not text[: match.start()].strip(" \"'“‘«¿¡([" + OBJECT) else ""


@unit_check("start-capital", WARNING)
def start_capital(ctx: Context):
    """The translation starts with a capital letter when the English does, and not when it does not."""
    english, translated = _first_letter(ctx.english), _first_letter(ctx.translation)
    if not english or not translated or not (translated.isupper() or translated.islower()):
        return
    if english.isupper() and translated.islower():
        yield f"the English starts with a capital letter; start the translation with {translated.upper()!r}"
    elif english.islower() and translated.isupper():
        yield f"the English starts with a small letter (it continues a sentence); use {translated.lower()!r}"


@unit_check("suppression", ERROR, on_empty=True)
def suppression(ctx: Context):
    """A `medloc-ignore` note must name a real check and give the reason for a reviewer."""
    for line in (ctx.entry.tcomment or "").split("\n"):
        if not line.startswith(IGNORE):
            continue
        parsed = suppressions(polib.POEntry(tcomment=line))
        if not parsed:
            yield f"cannot read {line!r}; write `{IGNORE} CHECK -- reason`"
            continue
        (name, reason), = parsed.items()
        if name not in REGISTRY:
            yield f"{line!r} names no check; checks are: {', '.join(REGISTRY)}"
        elif not reason:
            yield f"{line!r} gives no reason; add `-- reason` so a reviewer can judge the exception"
