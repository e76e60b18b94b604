"""Browser (WHATWG application/x-www-form-urlencoded) decoding, and canonical encoding."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validator.query import (
    decode_pairs,
    decodes_to_valid_utf8,
    encode_component,
    form_decode,
    has_invalid_percent,
    percent_decode_strict,
)

# Every case of the web-platform-tests urlencoded-parser data, written out here
# so the suite needs nothing outside the repository.
WPT_CASES: list[tuple[str, list[tuple[str, str]]]] = [
    ("test", [("test", "")]),
    ("\ufefftest=\ufeff", [("\ufefftest", "\ufeff")]),
    ("%EF%BB%BFtest=%EF%BB%BF", [("\ufefftest", "\ufeff")]),
    ("%EF%BF%BF=%EF%BF%BF", [("\uffff", "\uffff")]),
    ("%FE%FF", [("\ufffd\ufffd", "")]),
    ("%FF%FE", [("\ufffd\ufffd", "")]),
    ("†&†=x", [("†", ""), ("†", "x")]),
    ("%C2", [("\ufffd", "")]),
    ("%C2x", [("\ufffdx", "")]),
    ("_charset_=windows-1252&test=%C2x", [("_charset_", "windows-1252"), ("test", "\ufffdx")]),
    ("", []),
    ("a", [("a", "")]),
    ("a=b", [("a", "b")]),
    ("a=", [("a", "")]),
    ("=b", [("", "b")]),
    ("&", []),
    ("&a", [("a", "")]),
    ("a&", [("a", "")]),
    ("a&a", [("a", ""), ("a", "")]),
    ("a&b&c", [("a", ""), ("b", ""), ("c", "")]),
    ("a=b&c=d", [("a", "b"), ("c", "d")]),
    ("a=b&c=d&", [("a", "b"), ("c", "d")]),
    ("&&&a=b&&&&c=d&", [("a", "b"), ("c", "d")]),
    ("a=a&a=b&a=c", [("a", "a"), ("a", "b"), ("a", "c")]),
    ("a==a", [("a", "=a")]),
    ("a=a+b+c+d", [("a", "a b c d")]),
    ("%=a", [("%", "a")]),
    ("%a=a", [("%a", "a")]),
    ("%a_=a", [("%a_", "a")]),
    ("%61=a", [("a", "a")]),
    ("%61+%4d%4D=", [("a MM", "")]),
    ("id=0&value=%", [("id", "0"), ("value", "%")]),
    ("b=%2sf%2a", [("b", "%2sf*")]),
    ("b=%2%2af%2a", [("b", "%2*f*")]),
    ("b=%%2a", [("b", "%*")]),
]


@pytest.mark.parametrize(("query", "expected"), WPT_CASES)
def test_wpt_urlencoded_parser(query: str, expected: list[tuple[str, str]]) -> None:
    assert decode_pairs(query) == expected


@pytest.mark.parametrize(
    ("raw", "decoded"),
    [
        ("%ED%A0%80", "\ufffd\ufffd\ufffd"),  # an encoded lone surrogate is invalid UTF-8
        ("%F0%9F%98%80", "😀"),
        ("%f0%9f%98%80", "😀"),
        ("a%2Bb", "a+b"),
        ("a+b", "a b"),
        ("%252540", "%2540"),
        ("%E4%B8%AD%E6%96%87", "中文"),
        ("%C3%28", "\ufffd("),
        ("%E2%82", "\ufffd"),
    ],
)
def test_form_decode_cases(raw: str, decoded: str) -> None:
    assert form_decode(raw) == decoded


def test_sdk_strict_decoding_differs_from_browser() -> None:
    assert percent_decode_strict("john+doe") == "john+doe"
    assert form_decode("john+doe") == "john doe"
    assert percent_decode_strict("%zz") is None
    assert percent_decode_strict("%FF") is None
    assert percent_decode_strict("%C3%A9") == "é"


def test_percent_helpers() -> None:
    assert has_invalid_percent("a%2")
    assert not has_invalid_percent("a%20")
    assert not decodes_to_valid_utf8("%FF")
    assert decodes_to_valid_utf8("%C3%A9")


def test_encode_component_leaves_only_unreserved_bare() -> None:
    assert encode_component("Az09-._~") == "Az09-._~"
    assert encode_component(" +&=#%?/") == "%20%2B%26%3D%23%25%3F%2F"
    assert encode_component("é") == "%C3%A9"


@given(st.text())
def test_encoding_round_trips_through_browser_decoding(value: str) -> None:
    assert form_decode(encode_component(value)) == value
    assert percent_decode_strict(encode_component(value)) == value
