"""Inline Markdown <-> the compact tagged form translators see.

Translators never see Markdown syntax or link targets. A sentence such as

    This procedure is similar to [kyphoplasty](kyphoplasty.html).

reaches the catalog as

    This procedure is similar to <1>kyphoplasty</1>.

The inline tokens markdown-it made of the source (`pipeline.source`) become nodes here:
paired tags `<N>...</N>` wrap translatable text (emphasis, strong emphasis, strikethrough,
link text, an image's alt text, text between a raw HTML start and end tag); self-closing
`<N/>` stand for content that is never translated (code spans, autolinks, hard line
breaks, lone raw HTML tags, footnote references, and literal text that would look like a
tag). Tags are numbered from 1 in order of appearance within each unit. The tag table
(`Tag`) stays with the English unit, so rendering a translation puts back exactly the
markup and URLs of the English text, and a translation can neither invent tags nor change
a URL. Nodes become markdown-it tokens again (`to_tokens`) for every renderer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

from pipeline.htmlpolicy import allowed_url
from pipeline.source import parse_inline, parser

PAIRED = ("em", "strong", "strike", "link", "image", "markup")
ATOMS = ("code", "autolink", "literal", "break", "html", "footnote")

TAG_RE = re.compile(r"<(\d+)>|</(\d+)>|<(\d+)/>")
_SPACES = re.compile(r"[ \t\n]+")
_BR = re.compile(r"<br\s*/?>$", re.IGNORECASE)
_START_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)(?:\s[^>]*)?(?<!/)>$")
_END_TAG = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)\s*>$")
_SPAN_TOKENS = {"em_open": "em", "strong_open": "strong", "s_open": "strike", "link_open": "link"}
_MARKUP = {"em": ("em", "*"), "strong": ("strong", "**"), "strike": ("s", "~~"), "link": ("a", "")}


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Span:
    """Markup around translatable text: emphasis, strikethrough, a link, an image's alt text,
    or a raw HTML start and end tag (`raw` holds both)."""

    kind: str
    children: tuple
    target: str = ""
    title: str = ""
    raw: tuple[str, ...] = ()


@dataclass(frozen=True)
class Atom:
    """Content kept out of translation: a code span, autolink, line break, raw HTML tag,
    footnote reference or tag-like literal. `raw` holds a footnote's (id, sub-id, label)."""

    kind: str
    text: str
    target: str = ""
    raw: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tag:
    """What tag number N stands for in one unit."""

    number: int
    kind: str
    target: str = ""
    title: str = ""
    text: str = ""
    raw: tuple[str, ...] = ()

    @property
    def breaks_line(self) -> bool:
        """A hard line break, written in Markdown or as an HTML <br>."""
        return self.kind == "break" or (self.kind == "html" and bool(_BR.match(self.text)))

    def describe(self) -> str:
        """One line for the translator's extracted comment."""
        shape = f"<{self.number}/>" if self.kind in ATOMS else f"<{self.number}>...</{self.number}>"
        detail = {
            "em": "emphasis",
            "strong": "strong emphasis",
            "strike": "struck-through text",
            "link": f"link to {self.target}",
            "image": f"image {self.target}; the words inside are its description (alt text)",
            "markup": f"HTML {''.join(self.raw[:1])}...{''.join(self.raw[1:])} (keep the tags as they are)",
            "code": f"code `{self.text}` (keep as is)",
            "autolink": f"link {self.target} (keep as is)",
            "literal": f"the text {self.text!r} (keep as is)",
            "break": "line break (keep where the line should break)",
            "html": f"HTML {self.text} (keep as is)",
            "footnote": f"footnote reference [{''.join(self.raw[2:])}] (keep as is)",
        }[self.kind]
        return f"{shape} = {detail}"


class MarkupError(ValueError):
    """A translation whose tags do not match its English unit."""


# ---------------------------------------------------------------- tokens -> nodes


def parse(text: str) -> tuple:
    """Inline Markdown TEXT (a title, a front matter field) -> nodes, by the one parser."""
    return from_tokens(parse_inline(text))


def from_tokens(tokens: list[Token], breaks: bool = True) -> tuple:
    """markdown-it inline tokens (an inline token's children) -> nodes.

    Runs of spaces and line ends become one space (a soft line break is a space), as they
    do when a browser shows them; text that looks like a compact tag becomes a literal.
    Without BREAKS (an image's alt text, which is an attribute) a hard break is a space too.
    """
    stack: list[tuple[Token | None, list]] = [(None, [])]
    for token in tokens:
        nodes = stack[-1][1]
        if token.type == "text":
            _add_text(nodes, token.content)
        elif token.type == "softbreak":
            _add_text(nodes, " ")
        elif token.type == "hardbreak":
            if breaks:
                nodes.append(Atom("break", ""))
            else:
                _add_text(nodes, " ")
        elif token.type == "code_inline":
            nodes.append(Atom("code", token.content))
        elif token.type == "html_inline":
            nodes.append(Atom("html", token.content))
        elif token.type == "footnote_ref":
            meta = token.meta
            nodes.append(Atom("footnote", "", "", (str(meta["id"]), str(meta.get("subId", 0)), str(meta["label"]))))
        elif token.type == "image":
            nodes.append(Span("image", from_tokens(token.children or [], breaks=False), token.attrGet("src") or "",
                              token.attrGet("title") or ""))
        elif token.type in _SPAN_TOKENS:
            stack.append((token, []))
        elif token.type.endswith("_close") and len(stack) > 1:
            opening, children = stack.pop()
            stack[-1][1].append(_span(opening, children))
        else:
            _add_text(nodes, token.content)
    return _pair_html(_finish(stack[0][1]))


def _span(opening: Token, children: list):
    kind = _SPAN_TOKENS[opening.type]
    if kind == "link" and opening.markup in ("autolink", "linkify"):
        text = "".join(node.text for node in children if isinstance(node, (Text, Atom)))
        return Atom("autolink", text, opening.attrGet("href") or "")
    return Span(kind, _pair_html(_finish(children)), opening.attrGet("href") or "", opening.attrGet("title") or "")


def _add_text(nodes: list, text: str) -> None:
    text = _SPACES.sub(" ", text)
    if nodes and isinstance(nodes[-1], Text):
        nodes[-1] = Text(nodes[-1].text + text)
    elif text:
        nodes.append(Text(text))


def _finish(nodes: list) -> list:
    """Split tag-like literals out of the text nodes."""
    out: list = []
    for node in nodes:
        out.extend(_split_literals(node.text) if isinstance(node, Text) else [node])
    return out


def _pair_html(nodes: list) -> tuple:
    """A raw HTML start tag and its end tag among the same nodes become one pair around the
    text between them, so translators move `<1>...</1>` rather than two loose tags."""
    out: list = []
    i = 0
    while i < len(nodes):
        node = nodes[i]
        start = _START_TAG.match(node.text) if isinstance(node, Atom) and node.kind == "html" else None
        close = _matching_end(nodes, i, start.group(1).lower()) if start else None
        if close is None:
            out.append(node)
            i += 1
            continue
        out.append(Span("markup", _pair_html(nodes[i + 1 : close]), raw=(node.text, nodes[close].text)))
        i = close + 1
    return tuple(out)


def _matching_end(nodes: list, start: int, name: str) -> int | None:
    depth = 0
    for i in range(start, len(nodes)):
        node = nodes[i]
        if not (isinstance(node, Atom) and node.kind == "html"):
            continue
        opening, closing = _START_TAG.match(node.text), _END_TAG.match(node.text)
        if opening and opening.group(1).lower() == name:
            depth += 1
        elif closing and closing.group(1).lower() == name:
            depth -= 1
            if depth == 0:
                return i
    return None


# Text kept as is, like a tag: what looks like a compact tag, and the template syntax of
# static site generators (Hugo shortcodes, Liquid and Jinja tags, GitHub alert markers,
# Docusaurus and MkDocs admonition fences), which a translator must not touch.
_KEPT = re.compile(r"<\d+>|</\d+>|<\d+/>|\{\{[<%].*?[%>]\}\}|\{%.*?%\}|\{\{.*?\}\}"
                   r"|^\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]|^:::[\w-]*|^!!!(?= |$)")


def one_line(text: str) -> str:
    """TEXT as units hold text: runs of spaces and line ends are one space, none at the ends."""
    return _SPACES.sub(" ", text).strip(" ")


def attribute_compact(text: str) -> tuple[str, tuple[Tag, ...]]:
    """A link or image title as a unit holds it: white space collapsed, literals kept."""
    return to_compact(tuple(_split_literals(one_line(text))))


def _split_literals(text: str) -> list:
    """Text to keep as is (see `_KEPT`) becomes an Atom, so it cannot be confused with a tag."""
    out: list = []
    last = 0
    for match in _KEPT.finditer(text):
        if match.start() > last:
            out.append(Text(text[last : match.start()]))
        out.append(Atom("literal", match.group(0)))
        last = match.end()
    if last < len(text):
        out.append(Text(text[last:]))
    return out


# ---------------------------------------------------------------- nodes -> tokens


def to_tokens(nodes: tuple, outer: str = "") -> list[Token]:
    """Nodes -> markdown-it inline tokens, for markdown-it's HTML renderer and mdformat's.

    Link and image targets pass `safe_target`; all text stays text, which both renderers
    escape, so nothing a translator types can become markup. Emphasis is written `*` (it
    works inside words too), and `_` directly inside `*`: mdformat writes each token's
    markup, and `**x**` would be strong emphasis, not emphasis in emphasis (OUTER is the
    markup of the emphasis around NODES).
    """
    out: list[Token] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(Token("text", "", 0, content=node.text))
        elif isinstance(node, Atom):
            out.extend(_atom_tokens(node))
        elif node.kind == "image":
            attrs = {"src": safe_target(node.target), "alt": ""}
            if node.title:
                attrs["title"] = node.title
            children = to_tokens(node.children)
            out.append(Token("image", "img", 0, attrs=attrs, children=children, content=to_text(node.children)))
        elif node.kind == "markup":
            out += [Token("html_inline", "", 0, content=node.raw[0]), *to_tokens(node.children),
                    Token("html_inline", "", 0, content=node.raw[1])]
        else:
            tag, markup = _MARKUP[node.kind]
            if markup and markup == outer:
                markup = markup.replace("*", "_")
            name = "s" if node.kind == "strike" else node.kind
            attrs = {}
            if node.kind == "link":
                attrs = {"href": safe_target(node.target)}
                if node.title:
                    attrs["title"] = node.title
            inner = markup if len(node.children) == 1 else ""  # only a lone child can touch both delimiters
            out += [Token(f"{name}_open", tag, 1, attrs=attrs, markup=markup), *to_tokens(node.children, inner),
                    Token(f"{name}_close", tag, -1, markup=markup)]
    return out


def _atom_tokens(node: Atom) -> list[Token]:
    if node.kind == "code":
        return [Token("code_inline", "code", 0, content=node.text, markup="`")]
    if node.kind == "break":
        return [Token("hardbreak", "br", 0)]
    if node.kind == "html":
        return [Token("html_inline", "", 0, content=node.text)]
    if node.kind == "footnote":
        identifier, sub, label = node.raw
        return [Token("footnote_ref", "", 0, meta={"id": int(identifier), "subId": int(sub), "label": label})]
    if node.kind == "autolink" and safe_target(node.target) == "#":  # no link rather than a dead one
        return [Token("text", "", 0, content=node.text)]
    if node.kind == "autolink":
        return [Token("link_open", "a", 1, attrs={"href": safe_target(node.target)}, markup="autolink", info="auto"),
                Token("text", "", 0, content=node.text),
                Token("link_close", "a", -1, markup="autolink", info="auto")]
    return [Token("text", "", 0, content=node.text)]


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
                tags.append(Tag(number, node.kind, node.target, "", node.text, node.raw))
                parts.append(f"<{number}/>")
            else:
                number = len(tags) + 1
                tags.append(Tag(number, node.kind, node.target, node.title, "", node.raw))
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
            stack[-1][1].append(Atom(tag.kind, tag.text, tag.target, tag.raw))
        elif opening:
            if tag.kind in ATOMS:
                raise MarkupError(f"<{number}> must be written <{number}/> as in the English text")
            stack.append((number, []))
        else:
            if stack[-1][0] != number:
                raise MarkupError(f"</{number}> closes a tag that is not open (tags must nest)")
            _, children = stack.pop()
            stack[-1][1].append(Span(tag.kind, tuple(children), tag.target, tag.title, tag.raw))
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
    """A link or image target is kept only if relative or of a scheme the page sanitizer
    keeps (`htmlpolicy.allowed_url`); anything else, javascript: first, becomes '#'."""
    return target if allowed_url(target) else "#"


def to_html(nodes: tuple) -> str:
    """Nodes -> HTML by markdown-it's renderer, which escapes all text."""
    md = parser()
    return md.renderer.renderInline(to_tokens(nodes), md.options, {})


def to_text(nodes: tuple) -> str:
    """Nodes -> plain text: markup dropped, absolute link targets shown after their text,
    line breaks kept, footnote references as [N], struck-through text between ~~."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Atom):
            if node.kind == "html":
                out.append("\n" if _BR.match(node.text) else "")
            elif node.kind == "footnote":  # numbered as markdown-it numbers them on the page
                out.append(f"[{int(node.raw[0]) + 1}]")
            else:
                out.append("\n" if node.kind == "break" else node.text)
        else:
            inner = to_text(node.children)
            out.append(f"~~{inner}~~" if node.kind == "strike" else inner)  # struck text must read as struck
            if node.kind == "link" and re.match(r"(?:https?|mailto):", node.target):
                bare = re.sub(r"^(?:https?://|mailto:)", "", node.target)
                if inner.strip() not in (node.target, bare):
                    out.append(f" <{node.target}>")
    return "".join(out)
