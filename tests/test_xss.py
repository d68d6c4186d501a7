"""No injection: known XSS payloads in translations, metadata, credits and link targets stay text.

Each rendered page is parsed with html.parser. A payload is harmless when (1) it adds no
element: the page has exactly the elements of the same page rendered without payloads;
(2) no attribute is an event handler or outside what medloc emits; (3) every URL, read the
way a browser reads it (leading control characters and spaces dropped, tabs and newlines
removed anywhere), is http, https, mailto, relative or `#`; (4) the payload's text is
still there, as text: it was escaped, not silently dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

import pipeline
from pipeline.catalog import render_catalog
from pipeline import htmlpolicy
from pipeline.cli import main

from pipeline.errors import MedlocError
from pipeline.inline import TAG_RE, Atom, MarkupError, Span, Text, to_html
from pipeline.markers import mark_draft
from pipeline.render import english_page, localized_page, render_html
from pipeline.segment import segment
from pipeline.source import parse_document

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    '<a href="javascript:alert(1)">click</a>',
    "<iframe src=javascript:alert(1)></iframe>",
    "<body onload=alert(1)>",
    "<scr<script>ipt>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<![CDATA[<script>alert(1)</script>]]>",
    "{{ 7*7 }} {% if 1 %}jinja{% endif %}",
    "<style>body{background:url(javascript:alert(1))}</style>",
]

# Link targets in the English source (translations cannot change targets at all).
TARGETS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "<javascript:alert(1)>",
    "<java\tscript:alert(1)>",
    "javascript&#58;alert(1)",
    "&#106;avascript:alert(1)",
    "%6Aavascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    'https://example.org/"onmouseover="alert(1)',
]

EMITTED = {  # every element and attribute medloc's page template and renderer produce
    "html": {"lang", "dir"}, "head": set(), "meta": {"charset", "name", "content"}, "title": set(),
    "link": {"rel", "hreflang", "href"}, "body": set(), "main": set(), "article": set(), "footer": set(),
    "nav": {"aria-label"}, "h1": set(), "h2": {"translate"}, "h3": {"translate"}, "h4": {"translate"},
    "p": {"translate", "lang", "dir"}, "ul": {"translate", "lang", "dir"}, "ol": {"translate", "start", "lang", "dir"},
    "li": set(),
    "table": {"translate"}, "thead": set(), "tbody": set(), "tr": set(), "th": set(), "td": set(),
    "em": set(), "strong": set(), "code": set(), "a": {"href", "title", "hreflang", "lang"},
    "img": {"src", "alt", "title"}, "style": set(), "br": set(), "bdi": set(),
}
URL_ATTRIBUTES = {"href", "src"}
SAFE_SCHEMES = {"http", "https", "mailto"}


class Page(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)

    def unknown_decl(self, data):
        raise AssertionError(f"a declaration reached the page: {data!r}")


def browser_scheme(url: str) -> str | None:
    """The scheme a browser sees (WHATWG URL parsing: strip C0 controls and spaces at the ends,
    remove tabs and newlines anywhere), or None for a relative URL."""
    cleaned = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else None


def assert_inert(html: str, baseline: str, texts: list[str], fewer: bool = False) -> None:
    """FEWER: the payload may make the page lose elements (a link the parser refused to make)."""
    page, clean = Page(html), Page(baseline)
    if fewer:
        assert not Counter(page.elements) - Counter(clean.elements), "a payload added elements"
    else:
        assert page.elements == clean.elements, "a payload added or removed elements"
    for tag, name, value in page.attributes:
        assert tag in EMITTED and name in EMITTED[tag], f"unexpected attribute {name}= on <{tag}>"
        assert not name.startswith("on")
        if name in URL_ATTRIBUTES:
            scheme = browser_scheme(value)
            assert scheme is None or scheme in SAFE_SCHEMES, f"unsafe URL {value!r}"
    joined = " ".join(" ".join(page.text).split())
    for text in texts:
        assert " ".join(text.split()) in joined, f"payload text {text!r} lost"


def article(title: str, credit: str, body_payload: str, targets: list[str]) -> bytes:
    links = " ".join(f"See [link {n}]({target})." for n, target in enumerate(targets, start=1))
    images = " ".join(f"![image {n}]({target})" for n, target in enumerate(targets, start=1))
    return "\n".join([
        f"Title: {title}",
        "Review-Date: 2015-07-13",
        f"Updated-By: {credit}",
        f"Also-Reviewed-By: {credit}",
        f"Source-Url: {credit}",
        "",
        f"A sentence with {body_payload} inside it.",
        "",
        f"## Heading {body_payload}",
        "",
        f"- Item {body_payload}",
        "",
        "| Name | Value |",
        "| --- | --- |",
        f"| Cell {body_payload} | two |",
        "",
        links or "No links.",
        "",
        images or "No images.",
        "",
    ]).encode("utf-8")


def segmented_article(title="Clean title", credit="Dr. Clean", body="clean", targets=()):
    return segment(parse_document(article(title, credit, body, list(targets)), "xss", "source/xss.md"))


def identity(unit):
    return unit.msgid


def localized(segmented, reviewers=("A. Reviewer",)):
    return localized_page(segmented, "es", dt.date(2024, 1, 2), list(reviewers))


def metadata_text(payload: str) -> str:
    """The payload as medloc shows metadata: Markdown meta values are stripped."""
    return payload.strip()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_source_and_metadata_is_refused_or_stays_text(payload):
    """Raw HTML that the page sanitizer would change is an error naming its line, in the body
    and in the title: never stripped unseen. Anything else renders inert; credits are text."""
    title = body = payload
    if htmlpolicy.problems(payload):
        for where, line in (({"body": payload}, 7), ({"title": payload}, 1)):
            with pytest.raises(MedlocError, match="raw HTML") as caught:
                segmented_article(**where)
            assert caught.value.line == line
        title, body = "Clean title", "clean"
    dirty = segmented_article(title, payload, body)
    clean = segmented_article()
    assert_inert(render_html(dirty, english_page(dirty)), render_html(clean, english_page(clean)), [])
    assert_inert(render_html(dirty, localized(dirty), identity), render_html(clean, localized(clean), identity), [])
    # Credits are shown verbatim, so the whole payload must be readable text in the footer.
    assert_inert(render_html(dirty, english_page(dirty)), render_html(clean, english_page(clean)), [metadata_text(payload)])


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if not TAG_RE.search(p)])
def test_payload_in_every_translation_stays_text(payload):
    segmented = segmented_article(targets=["https://example.org/a"])

    def translate(unit):
        return f"{payload} {unit.msgid}"

    html = render_html(segmented, localized(segmented), translate)
    assert_inert(html, render_html(segmented, localized(segmented), identity), [payload])


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_as_reviewer_name_stays_text(payload):
    segmented = segmented_article()
    html = render_html(segmented, localized(segmented, [payload]), identity)
    assert_inert(html, render_html(segmented, localized(segmented), identity), [payload.strip()])


@pytest.mark.parametrize("target", TARGETS)
def test_link_target_of_unsafe_scheme_never_reaches_an_attribute(target):
    dirty = segmented_article(targets=[target])
    clean = segmented_article(targets=["https://example.org/"])
    for page in (english_page(dirty), localized(dirty)):
        html = render_html(dirty, page, identity if page.lang != "en" else None)
        baseline = render_html(clean, english_page(clean) if page.lang == "en" else localized(clean),
                               identity if page.lang != "en" else None)
        assert_inert(html, baseline, [], fewer=True)


@pytest.mark.parametrize("control", ["\x01", "\x08", "\x1b", "\x7f"])
def test_source_with_control_characters_is_refused(control):
    """Browsers drop leading control characters from URLs: `\x01javascript:` would run."""
    with pytest.raises(MedlocError, match="control character"):
        segmented_article(targets=[f"{control}javascript:alert(1)"])


def test_safe_target_reads_urls_as_browsers_do():
    """Defense in depth for targets that do not come through the source parser (which refuses
    control characters): `pipeline.inline.safe_target` must see the scheme a browser sees."""
    unsafe = []
    for target in ["\x01javascript:alert(1)", " \x0ejavascript:alert(1)", "java\tscript:alert(1)",
                   "java\nscript:alert(1)", "\x00javascript:alert(1)"]:
        html = to_html((Span("link", (Text("x"),), target),)) + to_html((Atom("image", "x", target),))
        unsafe += [value for _, name, value in Page(html).attributes
                   if name in URL_ATTRIBUTES and browser_scheme(value) not in (None, *SAFE_SCHEMES)]
    assert unsafe == []


def test_translation_cannot_add_a_tag():
    segmented = segmented_article(targets=["https://example.org/a"])
    link_unit = next(u for u in segmented.units() if u.tags)

    def translate(unit):
        return unit.msgid + (" <9>extra</9>" if unit is link_unit else "")

    with pytest.raises(MarkupError):
        render_html(segmented, localized(segmented), translate)


# ---------------------------------------------------------------- end to end: review packet and publication

# Digits would (rightly) trip the numbers check and block approval, so these payloads use none.
E2E = ["<script>alert('x')</script>", "<img src=x onerror=alert('x')>", "</title><svg onload=alert('x')>",
       '"><iframe src=javascript:alert(\'x\')>', "' onmouseover='alert(this)' x='", "<style>*{color:red}</style>"]
REVIEW_TEMPLATE = Path(pipeline.__file__).parent / "templates" / "review.html.j2"


def template_markup(path: Path) -> tuple[set[str], set[str]]:
    """The elements and attributes a template writes itself (read from its source)."""
    source = re.sub(r"{[{%#].*?[}%#]}", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    return set(re.findall(r"<([a-z][a-z0-9]*)", source)), set(re.findall(r"\s([a-z][a-z-]*)=", source))


def test_payloads_in_catalog_glossary_and_reviewer_stay_text_in_packet_and_publication(project_copy, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = str(project_copy)
    assert main(["-C", root, "update", "-l", "es"]) == 0
    catalog = project_copy / "locales" / "es" / "vertebroplasty.po"
    (project_copy / "locales" / "es" / "glossary.tsv").write_text(
        f"spine\t{E2E[0]}\t{E2E[1]}\n", encoding="utf-8")
    po = polib.pofile(str(catalog), wrapwidth=78)
    active = [e for e in po if not e.obsolete]
    for n, entry in enumerate(active):
        glossary = f" {E2E[0]}" if re.search(r"\bspine\b", entry.msgid, re.IGNORECASE) else ""
        entry.msgstr, entry.flags = f"{E2E[n % len(E2E)]} {entry.msgid}{glossary}", []
        entry.tcomment = "medloc-ignore: html -- a translator may suppress the check; the page must still be safe"
    catalog.write_text(render_catalog(po), encoding="utf-8")
    reviewer = E2E[4]
    assert main(["-C", root, "approve", "-l", "es", "vertebroplasty", "--reviewer", reviewer, "--all"]) == 0
    assert main(["-C", root, "publish", "-l", "es"]) == 0
    # One unit becomes a machine draft whose warning quotes the glossary payload, for the packet.
    po = polib.pofile(str(catalog), wrapwidth=78)
    mark_draft(po.find(active[1].msgid), "apertium <b>eng-spa</b>", [f'glossary: "spine" should be translated "{E2E[0]}"'])
    catalog.write_text(render_catalog(po), encoding="utf-8")
    assert main(["-C", root, "review", "-l", "es"]) == 0

    published = (project_copy / "reviewed" / "es" / "vertebroplasty.html").read_text(encoding="utf-8")
    page = Page(published)
    assert set(page.elements) <= set(EMITTED)
    for tag, name, value in page.attributes:
        assert name in EMITTED[tag] and not name.startswith("on")
        if name in URL_ATTRIBUTES:
            assert browser_scheme(value) in (None, *SAFE_SCHEMES)
    text = " ".join(page.text)
    assert all(payload in text for payload in E2E[:4]) and reviewer.strip() in text

    packet = Page((project_copy / "build" / "review" / "es" / "vertebroplasty.html").read_text(encoding="utf-8"))
    tags, attributes = template_markup(REVIEW_TEMPLATE)
    assert set(packet.elements) <= tags, f"elements not in the template: {set(packet.elements) - tags}"
    assert {name for _, name, _ in packet.attributes} <= attributes
    text = " ".join(packet.text)
    assert reviewer.strip() in text and "apertium <b>eng-spa</b>" in text
    assert f'should be translated "{E2E[0]}"' in text
    assert all(payload in text for payload in E2E)
