"""No exception from parse, check, fix, explain or extraction on any text at all.

Lone surrogates, NUL and other controls, every plane, near-links stitched
from URL pieces, links at the length limit and 1 MB documents; a link over the
limit is refused with ``LinkTooLongError`` only. ``explain`` may refuse a link with no
signature, with its documented ``ExplainError`` only.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from validator import LinkTooLongError, check, parse, spec
from validator import strategies as dls
from validator.diagnose import ExplainError, explain
from validator.extract import extract_text
from validator.fix import fix
from validator.signature import Secret

SECRET = Secret("5e3c1a9b7d2f4e6a8c0b1d3f5a7c9e2b")
KINDS = ("text", "html", "markdown", "json", "csv")
texts = st.one_of(dls.hostile_text(), dls.link_like_text())

SPECIMENS = [
    "",
    "\x00",
    "\ud800",
    "https://h/direct/\udfff?sbs=\ud83d&sbs_mm=x&ranstr=y",
    "https://visitorchat.twt.com/direct/demo_app?sbs=a%00b&sbs_mm=%FF&ranstr=\x00",
    "https://visitorchat.twt.com/direct/demo_app?" + "&" * 2000,
    "\t\n https://[::1]:99999/direct/a?%",
]
MEGABYTE = 1 << 20


def _everything(text: str) -> None:
    link = parse(text)
    assert link.input == text
    report = check(text, secret=SECRET)
    assert set(report.outcomes) >= {"browser", "sdk"}
    fix(text, secret=SECRET)
    with contextlib.suppress(ExplainError):
        explain(text, secret=SECRET)


@given(texts)
def test_no_exception_on_any_text(text: str) -> None:
    _everything(text)


@given(st.sampled_from(KINDS), texts)
def test_extraction_takes_any_text(kind: str, text: str) -> None:
    for found in extract_text(text, kind=kind):  # type: ignore[arg-type]
        assert found.location.line >= 1


@settings(max_examples=20)
@given(dls.link_specs(signed=True), dls.hostile_text(max_size=20), st.integers(0, 400))
def test_hostile_text_spliced_into_a_signed_link(link: dls.LinkSpec, junk: str, at: int) -> None:
    url = link.url
    _everything(url[:at] + junk + url[at:])


@pytest.mark.parametrize("text", SPECIMENS, ids=range(len(SPECIMENS)))
def test_specimens(text: str) -> None:
    _everything(text)
    for kind in KINDS:
        list(extract_text(text, kind=kind))  # type: ignore[arg-type]


def test_the_longest_link_taken() -> None:
    base = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1&name="
    text = base + "%E4%B8%AD" * ((spec.MAX_LINK_CHARS - len(base)) // 9)
    report = check(text, secret=SECRET)
    assert "DL509" in report.codes()
    fix(text)


def test_a_one_megabyte_link_is_refused_at_the_limit() -> None:
    base = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1&name="
    text = base + "%E4%B8%AD" * ((MEGABYTE - len(base)) // 9)
    for call in (check, fix):
        with pytest.raises(LinkTooLongError):
            call(text)


def test_the_limit_of_control_characters_and_surrogates() -> None:
    text = ("\x00\ud800\t\n%" * (spec.MAX_LINK_CHARS // 5))[: spec.MAX_LINK_CHARS]
    _everything(text)


@pytest.mark.parametrize("kind", KINDS)
def test_large_document(kind: str) -> None:
    """1 MB for the streaming text kinds; 256 kB for the structured ones (html5lib is slower)."""
    size = MEGABYTE if kind in ("text", "markdown") else MEGABYTE // 4
    link = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=s1"
    filler = "lorem ipsum \ud800 dolor <a href='x'> " * 2000
    text = (filler + link + "\n") * (size // (len(filler) + len(link)))
    found = list(extract_text(text, kind=kind))  # type: ignore[arg-type]
    if kind in ("text", "markdown"):
        assert len(found) >= 1
