"""Which HTML may a published page carry?

The English source is trusted text, but a published health page must never carry script.
Raw HTML written in an article (HTML blocks, inline tags) is checked against nh3's
allow-list when the article is read: anything the sanitizer would remove is an error naming
the file and line, so nothing is stripped unseen. Every rendered page body then passes the
same sanitizer on the way out (`sanitize`), as a second line of defence.
"""

from __future__ import annotations

import html.parser
import re
from urllib.parse import urlsplit

import nh3

# markdown-it's own markup that the sanitizer must keep: table alignment, footnote anchors,
# fenced code languages, and `translate="no"` on blocks kept in English.
_GENERIC_ATTRIBUTES = {"title", "lang", "dir", "translate", "id", "class", "align"}
_ATTRIBUTES = {tag: set(names) | _GENERIC_ATTRIBUTES for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
for _tag in nh3.ALLOWED_TAGS:
    _ATTRIBUTES.setdefault(_tag, set(_GENERIC_ATTRIBUTES))
_ATTRIBUTES["th"] |= {"style"}
_ATTRIBUTES["td"] |= {"style"}
_ATTRIBUTES["section"] = set(_GENERIC_ATTRIBUTES)
_ATTRIBUTES["details"] |= {"open"}
_ATTRIBUTES["a"] |= {"name"}
TAGS = frozenset(nh3.ALLOWED_TAGS | {"section"})
URL_SCHEMES = frozenset(nh3.ALLOWED_URL_SCHEMES)
_URL_ATTRIBUTES = {"href", "src", "cite", "action", "longdesc", "poster", "background"}

_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    attributes=_ATTRIBUTES,
    url_schemes=set(URL_SCHEMES),
    strip_comments=False,
    link_rel=None,
    filter_style_properties={"text-align"},
)


def sanitize(fragment: str) -> str:
    """FRAGMENT with everything outside the allow-list removed (for rendered page bodies)."""
    return _CLEANER.clean(fragment)


def allowed_url(url: str) -> bool:
    """Is URL relative, or of a scheme the sanitizer keeps? Read as browsers read it: tabs and
    newlines are dropped and C0 controls and spaces around it ignored."""
    cleaned = re.sub(r"^[\x00-\x20]+|[\x00-\x20]+$", "", re.sub(r"[\t\n\r]", "", url))
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return not scheme or scheme.group(1).lower() in URL_SCHEMES


def problems(fragment: str) -> list[str]:
    """What the sanitizer would remove from raw HTML FRAGMENT, one message each (none: it is safe)."""
    finder = _ProblemFinder()
    finder.feed(fragment)
    finder.close()
    return finder.found


class _ProblemFinder(html.parser.HTMLParser):
    """Reads raw HTML as a tokenizer (no tree) and lists tags, attributes and URLs off the list."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in TAGS:
            what = "script" if tag in ("script", "style", "iframe", "object", "embed") else "not allowed on a page"
            self.found.append(f"HTML tag <{tag}> ({what})")
            return
        allowed = _ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"event handler {name}= on <{tag}> (script)")
            elif name not in allowed or name == "style":
                self.found.append(f"attribute {name}= on <{tag}> (not allowed on a page)")
            elif name in _URL_ATTRIBUTES and value is not None and not allowed_url(value):
                scheme = urlsplit(value.strip()).scheme or value.split(":")[0]
                self.found.append(f"{scheme}: URL in {name}= on <{tag}> (script or unsafe; "
                                  "links may use https, mailto and other safe schemes)")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag not in TAGS and tag not in ("script", "style"):
            self.found.append(f"HTML end tag </{tag}> (not allowed on a page)")

    def handle_decl(self, decl):
        self.found.append(f"declaration <!{decl}> (not allowed on a page)")

    def unknown_decl(self, data):
        self.found.append(f"<![{data.split('[')[0]}[...]]> section (not allowed on a page)")

    def handle_pi(self, data):
        self.found.append(f"processing instruction <?{data[:20]}> (not allowed on a page)")


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_BREAKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre",
           "details", "summary", "blockquote"}


class _Reader(html.parser.HTMLParser):
    """The text a fragment shows (line breaks at block tags, images as [alt]), and whether
    every element it opens it also closes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.open: list[str] = []
        self.balanced = True

    def handle_starttag(self, tag, attrs):
        if tag in _BREAKS:
            self.parts.append("\n")
        alt = dict(attrs).get("alt") if tag == "img" else None
        if alt:
            self.parts.append(f"[{alt}]")
        if tag not in _VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.open:
            self.open.pop()

    def handle_endtag(self, tag):
        if tag in _BREAKS:
            self.parts.append("\n")
        if tag in _VOID:
            return
        if self.open and self.open[-1] == tag:
            self.open.pop()
        else:
            self.balanced = False

    def handle_data(self, data):
        self.parts.append(data)


def _read(fragment: str) -> _Reader:
    reader = _Reader()
    reader.feed(fragment)
    reader.close()
    return reader


def text_of(fragment: str) -> str:
    """The text raw HTML shows, tags dropped and comments left out."""
    return "".join(_read(fragment).parts)


def balanced(fragment: str) -> bool:
    """Does FRAGMENT close every element it opens (so it can be wrapped in another)?"""
    reader = _read(fragment)
    return reader.balanced and not reader.open
