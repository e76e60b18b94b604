"""Decoding equals Node's URLSearchParams at the extraction level.

Links are generated (every dialect, every mutation), written into documents
(plain text, Markdown, HTML with entities, JSON) beside hostile text; what
extraction hands to the checker must decode, pair by pair, exactly as Node's
WHATWG ``URL`` decodes the same text. Node runs once per batch.
"""

from __future__ import annotations

import html
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from node_reference import NODE, NODE_MISSING, node_decode, pairs_of

from validator import parse
from validator import strategies as dls
from validator.extract import ExtractedLink, extract_text
from validator.query import decode_pairs

pytestmark = pytest.mark.skipif(NODE is None, reason=NODE_MISSING)

links = st.one_of(dls.link_specs().map(str), dls.mutated_links().map(str))


def _document(kind: str, link: str, junk: str) -> str:
    if kind == "html":
        return f"<p>{html.escape(junk)}</p><a href=\"{html.escape(link)}\">chat</a>"
    if kind == "json":
        return json.dumps({"note": junk, "url": link})
    if kind == "markdown":
        return f"{junk}\n\n[open the chat]({link})\n"
    return f"{junk}\nOpen {link} now\n"


@settings(max_examples=4)
@given(
    st.lists(
        st.tuples(st.sampled_from(("text", "html", "json", "markdown")), links,
                  dls.hostile_text(max_size=15)),
        min_size=5, max_size=25,
    )
)
def test_extracted_links_decode_as_node_does(batch: list[tuple[str, str, str]]) -> None:
    extracted: list[str] = []
    for kind, link, junk in batch:
        for found in extract_text(_document(kind, link, junk), kind=kind):  # type: ignore[arg-type]
            if isinstance(found, ExtractedLink):
                extracted.append(found.url)
    for url, result in zip(extracted, node_decode(extracted), strict=True):
        parsed = parse(url)
        # A link is an absolute URL WITH a host (DL001); Node also accepts
        # host-less ones such as "visitorchat.twt.com:1/direct/x" (scheme
        # "visitorchat.twt.com:"), whose query it still reads as we do.
        assert parsed.is_url == (result["ok"] and bool(result["hostname"])), url
        if result["ok"]:
            assert [(p.name, p.value) for p in parsed.params] == pairs_of(result), url


@settings(max_examples=3)
@given(st.lists(st.text(st.sampled_from("ab=&+% 2Ff\u00e9;#"), max_size=12), min_size=10,
                max_size=40))
def test_query_decoding_matches_node(queries: list[str]) -> None:
    """The query decoder the dialect round trips rely on, on raw query strings."""
    for query, result in zip(queries, node_decode(queries, kind="query"), strict=True):
        assert decode_pairs(query) == pairs_of(result), repr(query)
