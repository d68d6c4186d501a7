"""The compact tagged form: what translators see and how translations are rendered back."""

import pytest

from pipeline import inline
from pipeline.inline import Atom, MarkupError, Span, Text


def compact(markdown: str):
    return inline.to_compact(inline.parse(markdown))


def test_link_target_stays_out_of_the_translatable_text():
    text, tags = compact("Similar to [kyphoplasty](kyphoplasty.html).")
    assert text == "Similar to <1>kyphoplasty</1>."
    assert tags[0].kind == "link" and tags[0].target == "kyphoplasty.html"


def test_nested_markup_numbers_tags_in_order_of_appearance():
    text, tags = compact("a **b *c* d** e `x` <https://a.example/c>")
    assert text == "a <1>b <2>c</2> d</1> e <3/> <4/>"
    assert [t.kind for t in tags] == ["strong", "em", "code", "autolink"]


def test_underscores_inside_words_are_not_emphasis():
    text, tags = compact("snake_case_name and _this_")
    assert text == "snake_case_name and <1>this</1>"


def test_literal_tag_lookalike_is_protected_as_placeholder():
    text, tags = compact(r"values \<1> and <2/>")
    assert text == "values <1/> and <2/>"
    assert [t.text for t in tags] == ["<1>", "<2/>"]
    assert inline.to_html(inline.from_compact(text, tags)) == "values &lt;1&gt; and &lt;2/&gt;"


@pytest.mark.parametrize("source", [
    "Plain sentence.",
    "Similar to [kyphoplasty](kyphoplasty.html \"Kypho\").",
    "*Radiol Clin North Am*. 2010;48(3):641-9. [www.x.org/1](https://www.x.org/1).",
    "Use `mg/kg` and ![chart](img/chart.png) with **bold _em_**.",
])
def test_compact_round_trip_gives_the_same_nodes(source):
    nodes = inline.parse(source)
    text, tags = inline.to_compact(nodes)
    assert inline.from_compact(text, tags) == nodes


def test_translation_may_reorder_tags():
    text, tags = compact("[a](u1) and [b](u2)")
    nodes = inline.from_compact("<2>B</2> y <1>A</1>", tags)
    assert nodes == (Span("link", (Text("B"),), "u2"), Text(" y "), Span("link", (Text("A"),), "u1"))


@pytest.mark.parametrize("translation, problem", [
    ("sin etiqueta", "missing <1>...</1>"),
    ("<1>a</1> <1>b</1>", "more than once"),
    ("<3>a</3> <1>a</1> <2>b</2>", "not in the English text"),
    ("<1>a", "never closed"),
    ("<1/>", "must be a pair"),
    ("<1>a <2>b</1></2>", "not open"),
])
def test_translation_with_damaged_tags_is_refused(translation, problem):
    _, tags = compact("[a](u1) *b*")
    with pytest.raises(MarkupError, match=problem):
        inline.from_compact(translation, tags)


def test_translated_text_is_escaped_and_cannot_add_markup():
    _, tags = compact("See [this](https://example.org).")
    html = inline.to_html(inline.from_compact('<script>alert(1)</script> <1>"x" & y</1>', tags))
    assert "<script>" not in html
    assert html.startswith("&lt;script&gt;alert(1)&lt;/script&gt;")
    assert '<a href="https://example.org">&quot;x&quot; &amp; y</a>' in html


@pytest.mark.parametrize("target", ["javascript:alert(1)", " JavaScript:x", "data:text/html,x", "vbscript:x"])
def test_unsafe_link_schemes_are_neutralised(target):
    """The parser makes no link of an unsafe target; a tag table that holds one renders '#'."""
    assert inline.safe_target(target) == "#"
    assert "href" not in inline.to_html(inline.parse(f"[x]({target.strip()})"))
    assert 'href="#"' in inline.to_html((Span("link", (Text("x"),), target),))


def test_plain_text_shows_absolute_targets_once():
    assert inline.to_text(inline.parse("[site](https://a.org/x) and [a.org/y](https://a.org/y)")) == (
        "site <https://a.org/x> and a.org/y"
    )


def test_code_span_is_an_atom_kept_verbatim():
    assert inline.parse("run `rm *x*`") == (Text("run "), Atom("code", "rm *x*"))


def test_raw_html_start_and_end_tags_become_one_pair():
    text, tags = compact("Call <b>911 <i>now</i></b> or <br> go")
    assert text == "Call <1>911 <2>now</2></1> or <3/> go"
    assert [(t.kind, t.raw or t.text) for t in tags] == [("markup", ("<b>", "</b>")), ("markup", ("<i>", "</i>")),
                                                         ("html", "<br>")]
    assert inline.to_html(inline.from_compact("<3/> o <1>911 <2>ya</2></1>", tags)) == "<br> o <b>911 <i>ya</i></b>"


def test_entities_breaks_strikethrough_and_images():
    text, tags = compact("Caf&eacute; &amp; ~~old~~ ![an *x-ray*](x.png \"T\")  \nnext")
    assert text == "Café & <1>old</1> <2>an <3>x-ray</3></2><4/>next"
    assert [t.kind for t in tags] == ["strike", "image", "em", "break"]
    assert tags[1].target == "x.png" and tags[1].title == "T"
    assert inline.to_html(inline.from_compact(text, tags)) == (
        'Café &amp; <s>old</s> <img src="x.png" alt="an x-ray" title="T" /><br />\nnext')
