"""Markup and identifiers: tags, stray HTML or Markdown, URLs, e-mail addresses, PMIDs, DOIs, citations."""

from __future__ import annotations

import re

from pipeline.checks.base import ERROR, WARNING, Context, unit_check
from pipeline.inline import ATOMS, PAIRED, TAG_RE, MarkupError, Tag, from_compact

_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_MARKDOWN = {
    "a Markdown link [text](target)": re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"),
    "Markdown emphasis (** or __)": re.compile(r"\*\*|__"),
    "a Markdown code span (`)": re.compile(r"`"),
}
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"“”«»]+|\bmailto:[^\s<>]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
REFERENCES = {
    "PMID": re.compile(r"\bPMID:?\s*(\d+)"),
    "DOI": re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+[^\s\"<>.,;:)])"),
    "citation": re.compile(r"(\[\d+(?:\s*[,–-]\s*\d+)*\])"),
}


def tag_table(msgid: str) -> tuple[Tag, ...]:
    """The shape of each tag of an English unit, read from the compact text itself."""
    tags = {}
    for match in TAG_RE.finditer(msgid):
        opening, _, atom = match.groups()
        if opening or atom:
            number = int(opening or atom)
            tags[number] = Tag(number, ATOMS[0] if atom else PAIRED[0])
    return tuple(tags.values())


@unit_check("tags", ERROR)
def tags(ctx: Context):
    """The translation must carry every tag of the English, once each, same shape, properly nested."""
    try:
        from_compact(ctx.msgstr, tag_table(ctx.msgid))
    except MarkupError as exc:
        yield (f"{exc}. Tags stand for links, emphasis and code: keep each <N>...</N> around the words "
               f"it marks and each <N/> where it belongs, exactly as numbered in the English")


@unit_check("html", ERROR)
def html(ctx: Context):
    """HTML tags typed into a translation are shown literally on the page."""
    english = set(_HTML_TAG.findall(ctx.english))
    found = [tag for tag in dict.fromkeys(_HTML_TAG.findall(ctx.translation)) if tag not in english]
    if found:
        yield (f"{' '.join(found)} is HTML, which is shown literally on the page; remove it "
               f"(for links and emphasis use the numbered tags of the English)")


@unit_check("markdown", WARNING)
def markdown(ctx: Context):
    """Markdown syntax typed into a translation is shown literally on the page."""
    for what, pattern in _MARKDOWN.items():
        if pattern.search(ctx.translation) and not pattern.search(ctx.english):
            yield f"the translation contains {what}, which is shown literally; use the numbered tags of the English"


def _urls(text: str) -> list[str]:
    return [url.rstrip(".,;:)]") for url in URL.findall(text)]


@unit_check("urls", ERROR)
def urls(ctx: Context):
    """Web addresses and e-mail addresses must be copied unchanged."""
    for url in _urls(ctx.english):
        if url not in ctx.translation:
            yield f"the address {url} is missing or changed; copy it exactly as in the English"


@unit_check("references", ERROR)
def references(ctx: Context):
    """PMIDs, DOIs and citation numbers like [3] identify sources and must be copied unchanged."""
    for kind, pattern in REFERENCES.items():
        found = pattern.findall(ctx.translation)
        for value in pattern.findall(ctx.english):
            if value in found:
                found.remove(value)
            else:
                yield f"the {kind} {value} is missing or changed; copy it exactly as in the English"
