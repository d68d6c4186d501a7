"""Rendering: English outputs, identity-catalog equivalence, escaping, display-width wrapping."""

from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from pipeline.render import english_page, render_html, render_text, wrap
from pipeline.segment import segment
from pipeline.source import parse_document, read_document

ROOT = Path(__file__).resolve().parent.parent

EVERY_CONSTRUCT = """\
Title: Every *construct*
Review-Date: 2021-03-04
Updated-By: A. Writer, MD

Intro with *emphasis*, **strong**, `code`, a [link](https://example.org/a "Title") and
<https://example.org/auto>. Second sentence (with parentheses). Dr. Lee et al. agree.

## Lists

- Item one. With two sentences.
- Item [two](two.html)

Steps to follow:

3. Third
4. Fourth with ![an image](img/x.png)

### Table

| Drug | Dose |
|------|------|
| Aspirin | 81 mg |
| *Warfarin* | 5 mg |

<!-- medloc: do-not-translate -->
- Smith J, et al. *Some Journal*. 2010;1(2):3-4. PMID: 123 [www.x.org/123](https://www.x.org/123).
"""


def documents():
    yield read_document(ROOT / "source" / "vertebroplasty.md", "source/vertebroplasty.md")
    yield parse_document(EVERY_CONSTRUCT.encode(), "every", "source/every.md")


@pytest.mark.parametrize("document", list(documents()), ids=["seed", "every-construct"])
def test_identity_catalog_renders_exactly_the_english_output(document):
    segmented = segment(document)
    page = english_page(segmented)
    identity = lambda unit: unit.msgid  # noqa: E731
    assert render_html(segmented, page, identity) == render_html(segmented, page)
    assert render_text(segmented, page, identity) == render_text(segmented, page)


class _Text(HTMLParser):
    """Collects (tag, text) for block elements, to compare our HTML with Python-Markdown's."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "th", "td"}

    def __init__(self):
        super().__init__()
        self.blocks, self.stack, self.links = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.stack.append([tag, ""])
        if tag == "a":
            self.links.append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        if tag in self.BLOCKS and self.stack:
            name, text = self.stack.pop()
            self.blocks.append((name, " ".join(text.split())))

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][1] += data


def parsed(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("document", list(documents()), ids=["seed", "every-construct"])
def test_body_structure_agrees_with_python_markdown(document):
    source = (ROOT / "source" / "vertebroplasty.md").read_text() if document.name == "vertebroplasty" else EVERY_CONSTRUCT
    body = source.split("\n\n", 1)[1]
    reference = parsed(markdown.markdown(body, extensions=["tables"]))
    ours = parsed(render_html(segment(document), english_page(segment(document))).split("<footer>")[0])
    assert ours.blocks[1:] == reference.blocks  # ours starts with the <h1> title
    assert ours.links == reference.links


def test_english_page_is_complete_html5_with_review_date_and_credits():
    document = read_document(ROOT / "source" / "vertebroplasty.md", "source/vertebroplasty.md")
    html = render_html(segment(document), english_page(segment(document)))
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">")
    assert "<title>Vertebroplasty</title>" in html and "<h1>Vertebroplasty</h1>" in html
    assert "<p>Review Date: <bdi>7/13/2015</bdi></p>" in html
    assert "Updated by: <bdi>C. Benjamin Ma, MD" in html and "Also reviewed by: <bdi>David Zieve, MD, MHA" in html
    assert '<ul translate="no">' in html  # references stay English
    assert html.count("<html") == 1 and html.rstrip().endswith("</html>")


def test_translation_cannot_inject_markup():
    document = parse_document(b"Title: T\nReview-Date: 2020-01-01\n\nSee [this](https://a.org).\n", "t", "t.md")
    segmented = segment(document)
    evil = {"T": '<img src=x onerror="alert(1)">', "See <1>this</1>.": "<script>alert(1)</script> <1>esto</1>."}
    html = render_html(segmented, english_page(segmented), lambda unit: evil[unit.msgid])
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <a href=\"https://a.org\">esto</a>." in html


def test_wrap_uses_display_width_for_cjk():
    text = "椎体成形术通常是一种门诊手术，用于治疗脊柱疼痛的压缩性骨折。在压缩性骨折中，脊柱骨的全部或部分塌陷。"
    lines = wrap(text, 20)
    from wcwidth import wcswidth
    assert "".join(lines) == text
    assert all(wcswidth(line) <= 20 for line in lines)
    assert not any(line.startswith(("，", "。")) for line in lines)
    assert len(lines) == -(-wcswidth(text) // 20) or len(lines) == -(-wcswidth(text) // 20) + 1


def test_wrap_keeps_words_whole_and_hangs_list_indent():
    lines = wrap("You should be able to walk. However, it's best to stay in bed.", 24, "- ", "  ")
    assert lines == ["- You should be able to", "  walk. However, it's", "  best to stay in bed."]


def test_plain_text_has_headings_bullets_and_footer():
    document = read_document(ROOT / "source" / "vertebroplasty.md", "source/vertebroplasty.md")
    text = render_text(segment(document), english_page(segment(document)))
    assert text.startswith("Vertebroplasty\n==============\n")
    assert "\nRisks\n-----\n" in text and "\n- Bleeding\n" in text
    assert "Review Date: 7/13/2015" in text
    assert all(len(line) <= 72 for line in text.splitlines() if " " in line.strip())


def test_display_width_of_ascii_is_what_wcwidth_says():
    from wcwidth import wcswidth

    from pipeline.render import display_width

    for text in ["plain words", "tab\there", "", "ctrl\x01", "del\x7f", "".join(map(chr, range(128)))]:
        width = wcswidth(text)
        assert display_width(text) == (width if width >= 0 else len(text)), repr(text)
    assert display_width("中文 ok") == 7 and display_width("é") == 1
