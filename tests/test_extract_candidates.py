"""Candidates: the lower-case fast path finds exactly what the case-insensitive scan finds.

``iter_candidates`` scans with a pattern whose scheme is the literal ``http`` unless a
separator in the text follows the scheme spelt otherwise (``HTTP://``, ``httpſ:\\/\\/``),
and then with the case-insensitive pattern. The reference here is the scan as it was
before: the original pattern, compiled from its own source text, and the same decoding
of each match.
"""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validator.extract import candidates
from validator.extract.candidates import MAX_LINK_CHARS, Candidate, iter_candidates

# The candidate pattern before the fast path: any-case scheme, greedy body.
_ORIGINAL_BODY = r"(?:[^\s\"'<>`\\=]+|=(?:<[A-Za-z_][\w-]{0,40}>)?|\\/|\\u[0-9A-Fa-f]{4}|')"
ORIGINAL = re.compile(r"(?i:https?):(?://|\\/\\/)" + _ORIGINAL_BODY + "*")


def original_candidates(text: str, start: int = 0, end: int | None = None) -> list[Candidate]:
    """``iter_candidates`` as it was: every match of :data:`ORIGINAL`, trimmed and decoded."""
    stop = len(text) if end is None else end
    found = []
    for match in ORIGINAL.finditer(text, start, stop):
        begin = match.start()
        opener = text[begin - 1] if begin > 0 else None
        written = candidates._trim(match.group()[:MAX_LINK_CHARS], opener)
        if len(written) <= len("https://"):
            continue
        url = candidates._decode_json_escapes(written) if "\\" in written else written
        found.append(Candidate(begin, begin + len(written), written, url))
    return found


def spans(pattern: re.Pattern[str], text: str, start: int, stop: int) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(text, start, stop)]


# Every spelling of the scheme that re's IGNORECASE matches (checked over all code points): h,
# t, p and their capitals, and for s also U+017F LONG S.
_LETTERS = {"h": "hH", "t": "tT", "p": "pP", "s": "sS\u017f"}
SCHEMES = [
    "".join(letters)
    for letters in itertools.product(*(_LETTERS[letter] for letter in "http"), ["", *_LETTERS["s"]])
]

lower_case_schemes = st.sampled_from(["http", "https"])
any_case_schemes = st.sampled_from(SCHEMES)
separators = st.sampled_from(["://", ":\\/\\/"])
broken_separators = st.sampled_from([":/", ":\\/", "//", ":", ":\\/\\", "\\/\\/"])
_BODY_PIECES = [
    "a", "Z", "0", ".", "/", "?", "&", "-", "_", "%2F", "direct", "=", "=<sbs>", "=<x", "<",
    ">", "\\/", "\\u0026", "\\uD83D\\uDE00", "\\u00", "\\", "'", '"', "(", ")", "[", "]",
    "{", "}", "`", " ", "\n", "\t", "\u00a0", "\u2028", ":", ",", ";", "!", "*", "\u00e9",
    "\u0130", "\u0131", "\u017f", "\u212a", "\U0001f600", "http", "HTTP", "h",
]
# Separators inside a link: after a lower-case scheme, after another, after none.
_SEPARATOR_PIECES = ["https://", "http:\\/\\/", "Https:\\/\\/", "httpS://", "://", "ftp://"]
bodies = st.lists(
    st.one_of(st.sampled_from(_BODY_PIECES), st.sampled_from(_SEPARATOR_PIECES)), max_size=14
).map("".join)
plain_bodies = st.lists(st.sampled_from(_BODY_PIECES), max_size=14).map("".join)
_JUNK_PIECES = [
    " ", "\n", "word", '"', "'", "(", "<", "[", "`", "=", "\\", "HTTP/1.1", "HTTP", "Https",
    "2026-01-01T10:00:00Z", "\u0130", "\u0130http", "\u017f", "h", "ht", "htt", "H", "x",
    "\u00e9", "\U0001f600", ":",
]
junk = st.lists(st.sampled_from(_JUNK_PIECES), max_size=4).map("".join)
# Another scheme's separator, or half of one that a link before it may complete.
odd_junk = st.sampled_from(["ftp://x.example", "s3://bucket", "://", "\\/\\/", ":\\/\\/"])
hosts = st.sampled_from(["a.example", "b.example/direct/app?x=1", "x", ""])
lower_case_links = st.builds(
    lambda scheme, separator, host, body: scheme + separator + host + body,
    lower_case_schemes, separators, hosts, plain_bodies,
)
# Any spelling of the scheme, any separator or a broken one, separators in the body.
odd_links = st.builds(
    lambda scheme, separator, host, body: scheme + separator + host + body,
    st.one_of(lower_case_schemes, any_case_schemes, any_case_schemes),
    st.one_of(separators, separators, separators, broken_separators),
    st.sampled_from(["a.example", "b.example/direct/app?x=1"]),
    st.one_of(plain_bodies, bodies),
)


def _text(pieces: list[tuple[str, str]], odd: list[tuple[int, str]], tail: str) -> str:
    parts = [before + link for before, link in pieces]
    for at, piece in odd:
        parts.insert(at % (len(parts) + 1), piece)
    return "".join(parts) + tail


# Lower-case links, where the fast path scans, and up to three pieces that may send the
# scan to the case-insensitive pattern (or ought to).
texts = st.builds(
    _text,
    st.lists(st.tuples(junk, lower_case_links), max_size=5),
    st.lists(st.tuples(st.integers(0, 5), st.one_of(odd_links, odd_links, odd_junk)),
             max_size=3),
    junk,
)


@st.composite
def texts_and_ranges(draw: st.DrawFn) -> tuple[str, int, int | None]:
    text = draw(texts)
    start = draw(st.one_of(st.integers(-3, 0), st.integers(0, len(text) + 3)))
    end = draw(st.one_of(st.none(), st.integers(-3, len(text) + 3)))
    return text, start, end


@given(texts)
def test_candidates_are_those_of_the_case_insensitive_scan(text: str) -> None:
    assert list(iter_candidates(text)) == original_candidates(text)


@given(texts_and_ranges())
def test_candidates_in_a_range_are_those_of_the_case_insensitive_scan(
    case: tuple[str, int, int | None],
) -> None:
    text, start, end = case
    assert list(iter_candidates(text, start, end)) == original_candidates(text, start, end)


@given(texts_and_ranges())
def test_where_schemes_are_lower_case_the_literal_pattern_matches_as_the_original(
    case: tuple[str, int, int | None],
) -> None:
    """Match for match, before any trimming: the fast path's own promise, and the
    possessive body of both patterns against the original greedy one."""
    text, start, end = case
    stop = len(text) if end is None else end
    expected = spans(ORIGINAL, text, start, stop)
    assert spans(candidates.CANDIDATE, text, start, stop) == expected
    if candidates._OTHER_CASE_SCHEME.search(text, start, stop) is None:
        assert spans(candidates._LOWER_CASE_CANDIDATE, text, start, stop) == expected


LINK = "https://a.example/direct/app?x=1"
ESCAPED_LINK = LINK.replace("/", "\\/")  # as JSON may write it


@pytest.mark.parametrize(
    ("text", "start", "urls"),
    [
        (f"see {LINK} now", 0, [LINK]),
        ("HTTP://a.example/direct/app?x=1", 0, ["HTTP://a.example/direct/app?x=1"]),
        ("Https://a.example/x https://b.example/y", 0,
         ["Https://a.example/x", "https://b.example/y"]),
        ("httpS://a.example/x", 0, ["httpS://a.example/x"]),
        ("http\u017f://a.example/x", 0, ["http\u017f://a.example/x"]),
        ("\u0130https://a.example/x \u0130HTTPS://b.example/y", 0,
         ["https://a.example/x", "HTTPS://b.example/y"]),
        (f"{LINK}&next=HTTP://b.example/y", 0, [f"{LINK}&next=HTTP://b.example/y"]),
        (f"HTTP://b.example/?next={LINK}", 0, [f"HTTP://b.example/?next={LINK}"]),
        (f"ftp://files.example {LINK}", 0, [LINK]),
        ('{"u":"HTTPS:\\/\\/a.example\\/x"}', 0, ["HTTPS://a.example/x"]),
        ('{"u":"https:\\/\\/a.example\\/x"} HTTP/1.1', 0, ["https://a.example/x"]),
        (f"x{LINK}", 1, [LINK]),
        (f"x{LINK}", 2, []),  # the scan starts inside the scheme
        (f"Hhttp{LINK[4:]}", 1, [f"http{LINK[4:]}"]),
        (LINK, -3, [LINK]),
        ("HTTP://a.example/x", -3, ["HTTP://a.example/x"]),  # re reads -3 as 0
    ],
)
def test_spellings_of_the_scheme_and_ranges(text: str, start: int, urls: list[str]) -> None:
    found = list(iter_candidates(text, start))
    assert found == original_candidates(text, start)
    assert [candidate.url for candidate in found] == urls


def test_every_spelling_of_the_scheme_among_lower_case_links() -> None:
    """Each of the 64 spellings, with either separator, alone among lower-case links."""
    assert len(SCHEMES) == 64
    for scheme, separator in itertools.product(SCHEMES, ["://", ":\\/\\/"]):
        odd = scheme + separator + "b.example/y"
        for text in (odd, f"{LINK} {odd}", f"{odd} {LINK}", f"{LINK}&next={odd} {LINK}",
                     f'"{odd}" {ESCAPED_LINK}'):
            assert list(iter_candidates(text)) == original_candidates(text), text
            assert list(iter_candidates(text, 1)) == original_candidates(text, 1), text
