"""Plain text and logs: candidates, delimiters, JSON escapes, streaming, encodings."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from extract_helpers import position_of

from validator.extract import ExtractedLink, LinkFilter, extract_path, extract_text
from validator.extract.text import scan_stream

BASE = "https://visitorchat.twt.com/direct/demo_app"


def links(text: str, **kwargs: object) -> list[ExtractedLink]:
    found = list(extract_text(text, path="t.log", **kwargs))  # type: ignore[arg-type]
    return [item for item in found if isinstance(item, ExtractedLink)]


def test_link_in_a_log_line_with_exact_location() -> None:
    text = f"2026-01-01 INFO sent\n  link={BASE}?direct=1&chatid=7 to bob\n"
    [link] = links(text)
    assert link.url == f"{BASE}?direct=1&chatid=7"
    assert (link.location.line, link.location.column) == position_of(text, "https://")
    assert (link.location.line, link.location.column) == (2, 8)
    assert link.location.kind == "text"
    assert link.verbatim


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (f'"{BASE}?chatid=1"', f"{BASE}?chatid=1"),
        (f"'{BASE}?chatid=1'", f"{BASE}?chatid=1"),
        (f"({BASE}?chatid=1)", f"{BASE}?chatid=1"),
        (f"[see]({BASE}?chatid=1)", f"{BASE}?chatid=1"),
        (f"<{BASE}?chatid=1>", f"{BASE}?chatid=1"),
        (f"see {BASE}?chatid=1.", f"{BASE}?chatid=1"),
        (f"see {BASE}?chatid=1, then", f"{BASE}?chatid=1"),
        (f"`{BASE}?chatid=1`", f"{BASE}?chatid=1"),
        (f"{BASE}?name=O'Brien&chatid=1", f"{BASE}?name=O'Brien&chatid=1"),
        (f"{BASE}?chatid={{SESSION_ID}}", f"{BASE}?chatid={{SESSION_ID}}"),
        (f"{BASE}?chatid=<sbs>&lang=en", f"{BASE}?chatid=<sbs>&lang=en"),
        (f"(wiki {BASE}?q=(a)&chatid=1)", f"{BASE}?q=(a)&chatid=1"),
    ],
)
def test_delimiters_and_trailing_punctuation(written: str, expected: str) -> None:
    assert [link.url for link in links(written)] == [expected]


def test_json_escaped_link_is_decoded_as_the_document_means_it() -> None:
    text = '{"url":"https:\\/\\/visitorchat.twt.com\\/direct\\/demo_app?direct=1\\u0026chatid=9"}'
    [link] = links(text)
    assert link.url == f"{BASE}?direct=1&chatid=9"
    assert (link.location.line, link.location.column) == (1, 9)
    assert not link.verbatim


def test_only_direct_paths_count_by_default_and_configured_hosts_otherwise() -> None:
    text = "https://example.com/about https://a.test/x/direct/app1?chatid=1 https://h.test/chat"
    assert [link.url for link in links(text)] == ["https://a.test/x/direct/app1?chatid=1"]
    hosts = LinkFilter(["h.test", "*.twt.com"])
    assert [link.url for link in links(text, link_filter=hosts)] == ["https://h.test/chat"]


def test_uppercase_scheme_and_http_are_found() -> None:
    text = f"HTTP://visitorchat.twt.com/direct/demo_app?chatid=1 {BASE.replace('https', 'http')}"
    assert len(links(text)) == 2


def test_stream_finds_links_split_across_chunks_with_exact_lines() -> None:
    lines = [f"line {n} {BASE}?direct=1&chatid={n}" for n in range(1, 400)]
    text = "\n".join(lines) + "\n"
    found = list(scan_stream(io.BytesIO(text.encode()), path="big.log",
                             link_filter=LinkFilter(), chunk_bytes=97))
    assert [item.url for item in found] == [f"{BASE}?direct=1&chatid={n}" for n in range(1, 400)]
    assert [(item.location.line, item.location.column) for item in found] == [
        (n, len(f"line {n} ") + 1) for n in range(1, 400)
    ]


def test_stream_of_a_file_without_any_newline() -> None:
    text = " ".join(f"{BASE}?chatid={n}" for n in range(300))
    found = list(scan_stream(io.BytesIO(text.encode()), path="one-line.log",
                             link_filter=LinkFilter(), chunk_bytes=64))
    assert len(found) == 300
    assert found[-1].location == found[-1].location.__class__(
        "one-line.log", 1, position_of(text, f"{BASE}?chatid=299")[1], "text"
    )


def test_stream_reads_in_bounded_chunks() -> None:
    class CountingStream(io.BytesIO):
        largest = 0

        def read(self, size: int | None = -1) -> bytes:
            data = super().read(size)
            CountingStream.largest = max(CountingStream.largest, len(data))
            return data

    payload = ("x" * 5000 + "\n").encode() * 200
    list(scan_stream(CountingStream(payload), path="p", link_filter=LinkFilter(),
                     chunk_bytes=4096))
    assert CountingStream.largest <= 4096


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_files_in_several_encodings(tmp_path: Path, encoding: str) -> None:
    text = f"Grüße\n café {BASE}?name=Jos%C3%A9&chatid=1\n"
    path = tmp_path / "mail.txt"
    path.write_bytes(text.encode(encoding))
    [link] = [item for item in extract_path(path) if isinstance(item, ExtractedLink)]
    assert link.url == f"{BASE}?name=Jos%C3%A9&chatid=1"
    assert (link.location.line, link.location.column) == (2, 7)


def test_latin1_bytes_in_a_utf8_log_fall_back_without_losing_links(tmp_path: Path) -> None:
    path = tmp_path / "legacy.log"
    path.write_bytes(b"caf\xe9 " + f"{BASE}?chatid=1".encode() + b"\n")
    [link] = list(extract_path(path))
    assert link.url == f"{BASE}?chatid=1"
    assert link.location.column == 6
