"""The everyday head shape: what it accepts always parses to the host and app id read from it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validator import parse
from validator import strategies as dls
from validator.link_shape import head_app_id, head_host, plain_head_end

BASE = "https://visitorchat.twt.com/direct/demo_app"


def assert_head_agrees_with_the_parser(text: str) -> None:
    end = plain_head_end(text)
    if end < 0:
        return
    link = parse(text)
    assert link.is_url, text
    assert link.host == head_host(text), text
    assert link.app_id == head_app_id(text, end), text
    assert link.query_span is not None and link.query_span[0] == end, text


@given(st.one_of(dls.valid_links(), dls.link_like_text(),
                 dls.mutated_links().map(lambda mutated: mutated.url)))
def test_every_generated_link_with_the_head_parses_to_its_host_and_app_id(text: str) -> None:
    assert_head_agrees_with_the_parser(text)


@given(st.text(alphabet="hts:/.-_?xnX0aAz9%@[]", max_size=40))
def test_every_text_with_the_head_parses_to_its_host_and_app_id(tail: str) -> None:
    for text in (f"https://{tail}", f"https://a{tail}/direct/x?q=1", f"{BASE}{tail}?a=b"):
        assert_head_agrees_with_the_parser(text)


@pytest.mark.parametrize(
    ("text", "host", "app_id"),
    [
        (f"{BASE}?direct=1", "visitorchat.twt.com", "demo_app"),
        ("https://a.example.com/base/x/direct/APP-1?sbs=1", "a.example.com", "APP-1"),
        ("https://a.example.com/direct/direct/app?x=1", "a.example.com", "app"),
        ("https://a-b.example/direct/0?x=1", "a-b.example", "0"),
    ],
)
def test_the_head_names_the_host_and_the_app_id(text: str, host: str, app_id: str) -> None:
    end = plain_head_end(text)
    assert end == text.index("?") + 1
    assert (head_host(text), head_app_id(text, end)) == (host, app_id)
    assert_head_agrees_with_the_parser(text)


@pytest.mark.parametrize(
    "text",
    [
        "https://Visitorchat.twt.com/direct/app?x=1",  # upper case: the parser folds it
        "https://xn--bcher-kva.example/direct/app?x=1",  # Punycode to check
        "https://0x7f.example/direct/app?x=1",  # a label that may be a number
        "https://example.com:8443/direct/app?x=1",  # a port
        "https://user@example.com/direct/app?x=1",  # user info
        "https://example.com/a/../direct/app?x=1",  # a dot segment
        "https://example.com/direct/app/?x=1",  # a trailing slash
        "https://example.com/direct/?x=1",  # no app id
        "https://example.com/direct/a%20b?x=1",  # an escape in the path
        "https://1.2.3.4/direct/app?x=1",  # an IPv4 address
        "http://example.com/direct/app?x=1",  # not https
        "https://example.com/direct/app",  # no query
    ],
)
def test_other_heads_are_left_to_the_parser(text: str) -> None:
    assert plain_head_end(text) == -1
