"""Browser (WHATWG application/x-www-form-urlencoded) decoding, and canonical encoding."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validator.query import (
    decode_pairs,
    decodes_to_valid_utf8,
    encode_component,
    encode_query,
    form_decode,
    has_invalid_percent,
    has_percent_escape,
    percent_decode_strict,
    unescape_bytes,
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("a+b", "a+b"),  # the SDK keeps a literal plus
        ("%e9t%C3%A9", None),  # a lone Latin-1 byte is no UTF-8
        ("%c3%a9", "é"),  # lower-case hex is as good as upper-case
        ("%C3%A9", "é"),
        ("%0a%0A%0f%0F%00", "\n\n\x0f\x0f\x00"),
        ("100%", None),
        ("%4", None),
        ("%4g", None),
        ("%%41", None),
        ("%41%", None),
        ("%41", "A"),
    ],
)
def test_the_strict_decoder_reads_as_the_sdk(text: str, expected: str | None) -> None:
    assert percent_decode_strict(text) == expected


@pytest.mark.parametrize(
    ("text", "has_escape", "has_invalid"),
    [
        ("", False, False),
        ("abc", False, False),
        ("%41", True, False),
        ("%0a", True, False),
        ("%0F", True, False),
        ("%fF", True, False),
        ("%9f", True, False),
        ("%4", False, True),
        ("%4g", False, True),
        ("%Ag", False, True),
        ("a%", False, True),
        ("%%41", True, True),
        ("%41%zz", True, True),
    ],
)
def test_percent_escape_detectors(text: str, has_escape: bool, has_invalid: bool) -> None:
    assert has_percent_escape(text) is has_escape
    assert has_invalid_percent(text) is has_invalid


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("", True),
        ("no escapes é", True),
        ("%C3%A9", True),
        ("%c3%a9", True),
        ("%E9", False),
        ("%C3", False),
        ("%FF%FE", False),
        ("%zz", True),  # a malformed escape stays text, which is valid
    ],
)
def test_decodes_to_valid_utf8(text: str, valid: bool) -> None:
    assert decodes_to_valid_utf8(text) is valid


def test_form_decode_turns_plus_into_space_before_decoding() -> None:
    assert form_decode("a+b%2Bc") == "a b+c"
    assert form_decode("+") == " "
    assert form_decode("%2B") == "+"
    assert form_decode("no-escape") == "no-escape"
    assert form_decode("%E9") == "\ufffd"


def test_decode_pairs_splits_on_the_first_equals_only() -> None:
    assert decode_pairs("a=b=c&&=&x") == [("a", "b=c"), ("", ""), ("x", "")]
    assert decode_pairs("a+b=c+d") == [("a b", "c d")]


def test_encode_component_writes_upper_case_utf8_escapes() -> None:
    assert encode_component("AZaz09-._~") == "AZaz09-._~"
    assert encode_component(" +&=/?#%") == "%20%2B%26%3D%2F%3F%23%25"
    assert encode_component("é") == "%C3%A9"
    assert encode_component("😀") == "%F0%9F%98%80"


def test_encode_query_joins_encoded_pairs_in_order() -> None:
    assert encode_query([]) == ""
    assert encode_query([("a", "1")]) == "a=1"
    assert encode_query([("b", "x y"), ("a", "é&")]) == "b=x%20y&a=%C3%A9%26"
    assert encode_query([("", "")]) == "="
    assert decode_pairs(encode_query([("k+", "v=&")])) == [("k+", "v=&")]


# What the fast decoder could read differently from a percent decoder: its own escape
# character ``=`` (soft line breaks, ``==``), ``_``, whitespace and line ends, hex digits
# of either case, malformed escapes and text that is not ASCII.
_DECODER_EDGES = st.text(
    alphabet=st.sampled_from("%=_ \t\r\n0123456789abcdefABCDEFgGzZ+&é€\x7f\x00"), max_size=40
)


@given(_DECODER_EDGES)
def test_unescape_bytes_is_unquote_to_bytes(text: str) -> None:
    assert unescape_bytes(text) == unquote_to_bytes(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("%e9%E9", b"\xe9\xe9"),
        ("a=%3D=", b"a===",),
        ("%=41", b"%=41"),
        ("=\r\n%41", b"=\r\nA"),
        ("%4", b"%4"),
        ("a_b%5F", b"a_b_"),
        ("é%41", "éA".encode()),
    ],
)
def test_unescape_bytes_decodes_valid_escapes_and_keeps_the_rest(
    text: str, expected: bytes
) -> None:
    assert unescape_bytes(text) == expected
