"""mdgfm, medloc's mdformat extension: its fast path for plain text writes what mdformat's own
text renderer writes, for any text and any neighbour."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.token import Token
from mdformat.renderer import DEFAULT_RENDERERS, MDRenderer, RenderTreeNode
from mdformat.renderer._context import RenderContext

from pipeline import mdgfm
from pipeline.render import _MDFORMAT_OPTIONS
from pipeline.source import parser

TEXT = st.lists(st.sampled_from(list("ab !.#1-+*_[]<>`&\\\t\n~|:") + ["  ", "é", "\u00a0", "&amp;"]), max_size=30).map("".join)


def _nodes(content: str, link_after: bool) -> RenderTreeNode:
    children = [Token("text", "", 0, content=content)]
    if link_after:
        children += [Token("link_open", "a", 1, attrs={"href": "u"}), Token("text", "", 0, content="x"),
                     Token("link_close", "a", -1)]
    tokens = [Token("paragraph_open", "p", 1), Token("inline", "", 0, children=children), Token("paragraph_close", "p", -1)]
    return RenderTreeNode(tokens)


@settings(max_examples=800, deadline=None)
@given(TEXT, st.booleans())
def test_fast_text_path_writes_what_mdformat_writes(content, link_after):
    tree = _nodes(content, link_after)
    text_node = tree.children[0].children[0].children[0]
    options = {**parser().options, "parser_extension": [], "mdformat": _MDFORMAT_OPTIONS}
    env: dict = {}
    MDRenderer()._prepare_env(env)
    context = RenderContext(DEFAULT_RENDERERS, {}, options, env)
    assert mdgfm._text(text_node, context) == DEFAULT_RENDERERS["text"](text_node, context)
