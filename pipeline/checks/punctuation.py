"""Punctuation, by the rules of the target language.

Marks are compared by role (full stop, question, ...), so Chinese `。` answers an English `.`
and Arabic `؟` an English `?`. Spanish questions and exclamations open with `¿` and `¡`.
"""

from __future__ import annotations

import re

from pipeline.checks.base import WARNING, Context, unit_check

# The mark each language writes for a role; roles not listed use the English mark.
_LOCAL_MARKS = {
    "zh": {"stop": "。", "question": "？", "exclamation": "！", "colon": "：", "semicolon": "；", "comma": "，"},
    "ja": {"stop": "。", "question": "？", "exclamation": "！", "colon": "：", "semicolon": "；", "comma": "、"},
    "ar": {"question": "؟", "semicolon": "؛", "comma": "،"},
    "fa": {"question": "؟", "semicolon": "؛", "comma": "،"},
    "ur": {"stop": "۔", "question": "؟", "semicolon": "؛", "comma": "،"},
}
_ENGLISH_MARKS = {"stop": ".", "question": "?", "exclamation": "!", "colon": ":", "semicolon": ";", "comma": ","}
_ROLE = {
    **{mark: role for marks in _LOCAL_MARKS.values() for role, mark in marks.items()},
    **{mark: role for role, mark in _ENGLISH_MARKS.items()},
    "…": "ellipsis", "\u037e": "question",  # Greek question mark
}
_NAMES = {"stop": "full stop", "question": "question mark", "exclamation": "exclamation mark", "colon": "colon",
          "semicolon": "semicolon", "comma": "comma", "ellipsis": "ellipsis"}
_WIDE = "。，、：；？！"
_CJK = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_ARABIC_LETTER = r"[\u0600-\u06ff\u0750-\u077f]"
_INVERTED = {"es": (("¿", "?"), ("¡", "!")), "ast": (("¿", "?"), ("¡", "!"))}
_TAGS = r"</?\d+/?>"
_CLOSERS = rf"(?:{_TAGS}|[\s\"'”’»›」』)）\]])+$"
_OPENERS = rf"^(?:{_TAGS}|\s)+"
_OPENING_ROLES = {**dict.fromkeys("\"“‘'«„‹「『", "quotation"), **dict.fromkeys("([（【［", "bracket"),
                  **dict.fromkeys("-–—", "dash"), "…": "ellipsis", "•": "bullet"}
_BRACKETS = {"(": "(", "（": "(", ")": ")", "）": ")", "[": "[", "［": "[", "【": "[", "]": "]", "］": "]", "】": "]",
             "{": "{", "}": "}"}
_PAIRS = {")": "(", "]": "[", "}": "{"}
_ANY_BRACKET = re.compile("[" + re.escape("".join(_BRACKETS)) + "]")
_QUOTES = "\"“”«»„「」『』"


def _end_role(text: str) -> str | None:
    text = re.sub(_CLOSERS, "", text)
    for mark in ("……", "...", "…"):
        if text.endswith(mark):
            return "ellipsis"
    return _ROLE.get(text[-1:]) if text else None


@unit_check("end-punctuation", WARNING)
def end_punctuation(ctx: Context):
    """The translation ends like the English: a statement with a full stop, a question with a question mark."""
    english, translated = _end_role(ctx.msgid), _end_role(ctx.msgstr)
    if english == translated:
        return
    local = {**_ENGLISH_MARKS, "ellipsis": "…", **_LOCAL_MARKS.get(ctx.language, {})}
    if english is None:
        yield f"the English ends without punctuation (a heading or list item); remove the final {_NAMES[translated]}"
    else:
        yield f"the English ends with a {_NAMES[english]}; end the translation with {local[english]!r}"


def _start_role(text: str) -> str | None:
    text = re.sub(_OPENERS, "", text).lstrip("¿¡")
    if text.startswith("..."):
        return "ellipsis"
    return _OPENING_ROLES.get(text[:1])


@unit_check("start-punctuation", WARNING)
def start_punctuation(ctx: Context):
    """The translation starts like the English: with an opening quote, bracket or dash only if the English does."""
    english, translated = _start_role(ctx.msgid), _start_role(ctx.msgstr)
    if english != translated:
        yield (f"the English starts with {'a ' + english if english else 'a word'}, the translation with "
               f"{'a ' + translated if translated else 'a word'}; start it the same way")


@unit_check("inverted-marks", WARNING)
def inverted_marks(ctx: Context):
    """Spanish questions and exclamations need their opening ¿ and ¡."""
    for opening, closing in _INVERTED.get(ctx.language, ()):
        opened, closed = ctx.translation.count(opening), ctx.translation.count(closing)
        if opened < closed:
            yield f"{closed} {closing!r} but {opened} {opening!r}; open each question or exclamation with {opening!r}"
        elif opened > closed:
            yield f"{opened} {opening!r} but {closed} {closing!r}; close each {opening!r} with {closing!r}"


@unit_check("locale-punctuation", WARNING)
def locale_punctuation(ctx: Context):
    """Chinese and Japanese use full-width marks, Arabic-script languages ، ؟ ؛, others not those."""
    marks = _LOCAL_MARKS.get(ctx.language)
    text = ctx.translation
    if ctx.language in ("zh", "ja"):
        wrong = re.findall(rf"(?<={_CJK})[,.?!:;]", text)
    elif marks:
        wrong = re.findall(rf"(?<={_ARABIC_LETTER})\s?([,?;])", text)
    else:
        wrong = re.findall(f"[{_WIDE}]", text)
    for mark in dict.fromkeys(wrong):
        role = _ROLE[mark]
        right = (marks or _ENGLISH_MARKS).get(role, _ENGLISH_MARKS[role])
        yield f"{mark!r} is not the {_NAMES[role]} of {ctx.locale}; write {right!r}"


_SPACE_BEFORE = re.compile(r"(?<=\w)\s+([,.;:?!،؛؟])(?!\w)")
_NO_SPACE_AFTER = re.compile(r"(?<=[^\W\d_])([,;:،؛])(?=[^\W\d_])")


@unit_check("punctuation-spacing", WARNING)
def punctuation_spacing(ctx: Context):
    """No space before a comma or full stop, a space after a comma, semicolon or colon (spaced languages)."""
    if not ctx.spaced:
        return
    french = ";:?!" if ctx.language == "fr" else ""  # French puts a thin space before these
    for pattern, advice in ((_SPACE_BEFORE, "there is a space before {!r}; remove it"),
                            (_NO_SPACE_AFTER, "there is no space after {!r}; add one")):
        english = {m.group(1) for m in pattern.finditer(ctx.english)}
        for mark in dict.fromkeys(m.group(1) for m in pattern.finditer(ctx.translation)):
            if mark not in english and mark not in french:
                yield advice.format(mark)


def _brackets(text: str) -> tuple[dict[str, int], bool]:
    """Count of each bracket kind, and whether they nest properly."""
    if not _ANY_BRACKET.search(text):
        return {}, True
    counts: dict[str, int] = {}
    stack: list[str] = []
    nested = True
    for char in text:
        kind = _BRACKETS.get(char)
        if kind is None:
            continue
        counts[kind] = counts.get(kind, 0) + 1
        if kind in _PAIRS:
            nested = nested and bool(stack) and stack.pop() == _PAIRS[kind]
        else:
            stack.append(kind)
    return counts, nested and not stack


@unit_check("brackets", WARNING)
def brackets(ctx: Context):
    """Brackets must be closed, and as many as in the English (full-width （） counts as ())."""
    english, _ = _brackets(ctx.english)
    translated, nested = _brackets(ctx.translation)
    if not nested:
        yield "a bracket is not closed (or closed without being opened); check ( ) and [ ] pairs"
    elif english != translated:
        yield "the translation has a different number of brackets than the English; bracket the same words"


@unit_check("quotes", WARNING)
def quotes(ctx: Context):
    """Quoted words stay quoted (with the target language's quotation marks)."""
    english = sum(ctx.english.count(q) for q in _QUOTES)
    translated = sum(ctx.translation.count(q) for q in _QUOTES)
    if english != translated:
        yield (f"the English has {english} quotation mark(s), the translation {translated}; "
               f"quote the same words (your language's marks such as « » or “ ” are fine)")
