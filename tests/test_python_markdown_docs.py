"""Python-Markdown's own test documents (tests/basic of its 3.11.3 source distribution, BSD
licence, see tests/data/python-markdown-basic/README.md): articles nobody on this team wrote.

Each is accepted as an article, and its text is published completely: every word of the page
markdown-it renders from it is on medloc's page, and every word Python-Markdown's expected
page shows is there too, up to the brackets and quotes of reference links that the two
dialects read differently (Python-Markdown allows `[text] [id]`; CommonMark does not).
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.render import english_page, render_body_html, render_markdown, render_text
from pipeline.segment import segment
from pipeline.source import parse_document, parser

DATA = Path(__file__).resolve().parent / "data" / "python-markdown-basic"
DOCUMENTS = sorted(DATA.glob("*.txt"))


class _Words(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.feed(html)
        self.close()

    def handle_data(self, data):
        self.parts.append(data)

    def words(self, loose: bool = False) -> Counter:
        words = " ".join(self.parts).split()
        if loose:
            words = [w for w in (re.sub(r"[^\w&]", "", word) for word in words) if w]
        return Counter(words)


def test_all_seventeen_documents_are_here():
    assert len(DOCUMENTS) == 17 and all(path.with_suffix(".html").exists() for path in DOCUMENTS)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.stem)
def test_document_is_accepted_and_published_completely(path):
    body = path.read_text(encoding="utf-8")
    source = f"Title: {path.stem}\nReview-Date: 2024-01-01\n\n{body}"
    segmented = segment(parse_document(source.encode("utf-8"), path.stem, f"source/{path.stem}.md"))
    assert len(segmented.units()) > 1
    ours = render_body_html(segmented)
    assert _Words(ours).words() == _Words(parser().render("\n\n\n" + body)).words()
    missing = _Words(path.with_suffix(".html").read_text(encoding="utf-8")).words(loose=True) - _Words(ours).words(loose=True)
    assert not missing, f"words Python-Markdown shows and medloc does not: {dict(missing)}"
    page = english_page(segmented)
    text = render_text(segmented, page)
    letters = iter(re.sub(r"\W", "", text))  # the page's text is all in the plain text, in order
    assert all(letter in letters for letter in re.sub(r"\W", "", " ".join(_Words(ours).parts)))
    render_markdown(segmented, page)  # refuses if the Markdown would show another page
