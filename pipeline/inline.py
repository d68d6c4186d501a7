"""Inline Markdown <-> the compact tagged form translators see.

Translators never see Markdown syntax or link targets. A sentence such as

    This procedure is similar to [kyphoplasty](kyphoplasty.html).

reaches the catalog as

    This procedure is similar to <1>kyphoplasty</1>.

Paired tags `<N>...</N>` wrap translatable text (emphasis, strong emphasis, link text);
self-closing `<N/>` stand for content that is never translated (code spans, images,
autolinks, and literal text that would look like a tag). Tags are numbered from 1 in
order of appearance within each unit. The tag table (`Tag`) stays with the English unit,
so rendering a translation puts back exactly the markup and URLs of the English text,
and a translation can neither invent tags nor change a URL.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

PAIRED = ("em", "strong", "link")
ATOMS = ("code", "image", "autolink", "literal")
SAFE_SCHEMES = ("http", "https", "mailto")

TAG_RE = re.compile(r"<(\d+)>|</(\d+)>|<(\d+)/>")
_ESCAPABLE = set("\\`*_{}[]()#+-.!<>|~\"'")
_MARKUP_START = re.compile(r"[\\`!\[<*_]")  # the characters at which `parse` may find markup


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Span:
    """Markup around translatable text: emphasis, strong emphasis or a link."""

    kind: str
    children: tuple
    target: str = ""
    title: str = ""


@dataclass(frozen=True)
class Atom:
    """Content kept out of translation: a code span, image, autolink or tag-like literal."""

    kind: str
    text: str
    target: str = ""


@dataclass(frozen=True)
class Tag:
    """What tag number N stands for in one unit."""

    number: int
    kind: str
    target: str = ""
    title: str = ""
    text: str = ""

    def describe(self) -> str:
        """One line for the translator's extracted comment."""
        shape = f"<{self.number}/>" if self.kind in ATOMS else f"<{self.number}>...</{self.number}>"
        detail = {
            "em": "emphasis",
            "strong": "strong emphasis",
            "link": f"link to {self.target}",
            "code": f"code `{self.text}` (keep as is)",
            "image": f"image {self.target} (keep as is)",
            "autolink": f"link {self.target} (keep as is)",
            "literal": f"the text {self.text!r} (keep as is)",
        }[self.kind]
        return f"{shape} = {detail}"


class MarkupError(ValueError):
    """A translation whose tags do not match its English unit."""


# ---------------------------------------------------------------- Markdown -> nodes


def parse(source: str) -> tuple:
    """Parse the supported inline Markdown subset into a tuple of nodes."""
    nodes: list = []
    buffer: list[str] = []
    i = 0

    def flush() -> None:
        if buffer:
            text = "".join(buffer)
            nodes.extend(_split_literals(text))
            buffer.clear()

    while i < len(source):
        char = source[i]
        if not _MARKUP_START.match(char):  # take plain text up to the next character that may start markup
            found = _MARKUP_START.search(source, i)
            end = found.start() if found else len(source)
            buffer.append(source[i:end])
            i = end
            continue
        if char == "\\" and i + 1 < len(source) and source[i + 1] in _ESCAPABLE:
            buffer.append(source[i + 1])
            i += 2
            continue
        if char == "`":
            run = len(source[i:]) - len(source[i:].lstrip("`"))
            close = source.find("`" * run, i + run)
            if close != -1:
                flush()
                nodes.append(Atom("code", source[i + run : close].strip()))
                i = close + run
                continue
        if char == "!" and source.startswith("![", i):
            link = _match_link(source, i + 1)
            if link:
                label, target, title, end = link
                flush()
                nodes.append(Atom("image", label, target))
                i = end
                continue
        if char == "[":
            link = _match_link(source, i)
            if link:
                label, target, title, end = link
                flush()
                nodes.append(Span("link", parse(label), target, title))
                i = end
                continue
        if char == "<":
            match = re.match(r"<((?:https?|mailto):[^\s<>]+)>", source[i:])
            if match:
                flush()
                nodes.append(Atom("autolink", match.group(1), match.group(1)))
                i += match.end()
                continue
        if char in "*_":
            emphasis = _match_emphasis(source, i)
            if emphasis:
                kind, inner, end = emphasis
                flush()
                nodes.append(Span(kind, parse(inner)))
                i = end
                continue
        buffer.append(char)
        i += 1
    flush()
    return tuple(nodes)


def _split_literals(text: str) -> list:
    """Text that looks like a compact tag becomes an Atom, so it cannot be confused with one."""
    out: list = []
    last = 0
    for match in TAG_RE.finditer(text):
        if match.start() > last:
            out.append(Text(text[last : match.start()]))
        out.append(Atom("literal", match.group(0)))
        last = match.end()
    if last < len(text):
        out.append(Text(text[last:]))
    return out


def _match_link(source: str, start: int):
    """`[label](target "title")` at START -> (label, target, title, end) or None."""
    depth = 0
    i = start
    while i < len(source):
        if source[i] == "\\":
            i += 2
            continue
        if source[i] == "[":
            depth += 1
        elif source[i] == "]":
            depth -= 1
            if depth == 0:
                break
        i += 1
    else:
        return None
    label = source[start + 1 : i]
    match = re.match(r'\(\s*(<[^>]*>|(?:[^\s()]|\([^\s()]*\))+)(?:\s+"([^"]*)")?\s*\)', source[i + 1 :])
    if not match:
        return None
    target = match.group(1).strip("<>")
    return label, target, match.group(2) or "", i + 1 + match.end()


def _match_emphasis(source: str, start: int):
    """`**strong**`, `*em*` or `_em_` at START -> (kind, inner, end) or None."""
    marker = source[start]
    delim = marker * 2 if source.startswith(marker * 2, start) else marker
    inner_start = start + len(delim)
    if inner_start >= len(source) or source[inner_start].isspace():
        return None
    if marker == "_" and start > 0 and source[start - 1].isalnum():
        return None
    close = source.find(delim, inner_start + 1)
    while close != -1:
        after = close + len(delim)
        if len(delim) == 1 and source.startswith(marker, after):
            close = source.find(delim, after + 1)  # a double delimiter inside single emphasis
            continue
        closes_word = not (marker == "_" and after < len(source) and source[after].isalnum())
        if not source[close - 1].isspace() and closes_word:
            return ("strong" if len(delim) == 2 else "em"), source[inner_start:close], after
        close = source.find(delim, close + 1)
    return None


# ---------------------------------------------------------------- nodes <-> compact


def to_compact(nodes: tuple) -> tuple[str, tuple[Tag, ...]]:
    """Nodes -> (compact text, tag table), tags numbered in order of appearance."""
    tags: list[Tag] = []
    parts: list[str] = []

    def walk(items: tuple) -> None:
        for node in items:
            if isinstance(node, Text):
                parts.append(node.text)
            elif isinstance(node, Atom):
                number = len(tags) + 1
                tags.append(Tag(number, node.kind, node.target, "", node.text))
                parts.append(f"<{number}/>")
            else:
                number = len(tags) + 1
                tags.append(Tag(number, node.kind, node.target, node.title))
                parts.append(f"<{number}>")
                walk(node.children)
                parts.append(f"</{number}>")

    walk(nodes)
    return "".join(parts), tuple(tags)


def from_compact(text: str, tags: tuple[Tag, ...]) -> tuple:
    """Compact text + the English unit's tag table -> nodes. Raises MarkupError on any mismatch.

    Every tag of the table must appear exactly once, paired tags properly nested; tags may be
    reordered (word order differs between languages) but not added, dropped or changed in kind.
    """
    table = {tag.number: tag for tag in tags}
    seen: set[int] = set()
    stack: list[tuple[int, list]] = [(0, [])]
    last = 0
    for match in TAG_RE.finditer(text):
        if match.start() > last:
            stack[-1][1].append(Text(text[last : match.start()]))
        last = match.end()
        opening, closing, atom = match.groups()
        number = int(opening or closing or atom)
        tag = table.get(number)
        if tag is None:
            raise MarkupError(f"tag {match.group(0)} is not in the English text")
        if opening or atom:
            if number in seen:
                raise MarkupError(f"tag {match.group(0)} appears more than once")
            seen.add(number)
        if atom:
            if tag.kind not in ATOMS:
                raise MarkupError(f"{match.group(0)} must be a pair <{number}>...</{number}> as in the English text")
            stack[-1][1].append(Atom(tag.kind, tag.text, tag.target))
        elif opening:
            if tag.kind in ATOMS:
                raise MarkupError(f"<{number}> must be written <{number}/> as in the English text")
            stack.append((number, []))
        else:
            if stack[-1][0] != number:
                raise MarkupError(f"</{number}> closes a tag that is not open (tags must nest)")
            _, children = stack.pop()
            stack[-1][1].append(Span(tag.kind, tuple(children), tag.target, tag.title))
    if last < len(text):
        stack[-1][1].append(Text(text[last:]))
    if len(stack) > 1:
        raise MarkupError(f"<{stack[-1][0]}> is never closed with </{stack[-1][0]}>")
    missing = sorted(set(table) - seen)
    if missing:
        shapes = ", ".join(f"<{n}/>" if table[n].kind in ATOMS else f"<{n}>...</{n}>" for n in missing)
        raise MarkupError(f"missing {shapes} from the English text")
    return tuple(stack[0][1])


def tag_numbers(text: str) -> list[str]:
    """The tags of a compact string as written, e.g. ['<1>', '</1>', '<2/>'] (for QA and MT checks)."""
    return [match.group(0) for match in TAG_RE.finditer(text)]


# ---------------------------------------------------------------- nodes -> output


def safe_target(target: str) -> str:
    """A link target is kept only if relative or of a safe scheme; anything else becomes '#'.

    The scheme is read as browsers read it (WHATWG URL parsing): leading and trailing C0
    controls and spaces are ignored and tabs and newlines anywhere are dropped, so
    "\x01java\tscript:" is still javascript.
    """
    cleaned = re.sub(r"^[\x00-\x20]+|[\x00-\x20]+$", "", re.sub(r"[\t\n\r]", "", target))
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    if (scheme and scheme.group(1).lower() not in SAFE_SCHEMES) or cleaned != target.strip(" "):  # controls: refuse
        return "#"
    return target


def to_html(nodes: tuple) -> str:
    """Nodes -> escaped HTML. All text passes through html.escape; only our own tags are emitted."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(html.escape(node.text, quote=False))
        elif isinstance(node, Atom):
            if node.kind == "code":
                out.append(f"<code>{html.escape(node.text, quote=False)}</code>")
            elif node.kind == "image":
                out.append(f'<img src="{html.escape(safe_target(node.target))}" alt="{html.escape(node.text)}">')
            elif node.kind == "autolink":
                out.append(f'<a href="{html.escape(safe_target(node.target))}">{html.escape(node.text, quote=False)}</a>')
            else:
                out.append(html.escape(node.text, quote=False))
        else:
            inner = to_html(node.children)
            if node.kind == "link":
                title = f' title="{html.escape(node.title)}"' if node.title else ""
                out.append(f'<a href="{html.escape(safe_target(node.target))}"{title}>{inner}</a>')
            else:
                name = "em" if node.kind == "em" else "strong"
                out.append(f"<{name}>{inner}</{name}>")
    return "".join(out)


def to_text(nodes: tuple) -> str:
    """Nodes -> plain text: markup dropped, absolute link targets shown after their text."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Atom):
            out.append(node.text)
        else:
            inner = to_text(node.children)
            out.append(inner)
            if node.kind == "link" and re.match(r"(?:https?|mailto):", node.target):
                bare = re.sub(r"^(?:https?://|mailto:)", "", node.target)
                if inner.strip() not in (node.target, bare):
                    out.append(f" <{node.target}>")
    return "".join(out)
