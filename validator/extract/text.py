"""Plain text and logs: streamed in chunks, so a file of any size (even one without a
newline) is never read into memory at once.

Decoding loses nothing: UTF-8 is the default, and a byte that is not UTF-8
is read as Windows-1252 where it stands (one stray Latin-1 byte changes that
byte only, never the rest of the chunk); UTF-16 and UTF-32 (told by their
byte-order mark or their zero bytes) decode a lone surrogate as U+FFFD, so
the links around it are kept.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import BinaryIO

from validator.extract.candidates import MAX_LINK_CHARS, Accepted, LinkFilter, iter_candidates
from validator.extract.model import ExtractedLink, Location, OpaqueLink, SourceKind
from validator.extract.unwrap import Opaque
from validator.model import new_named_tuple

CHUNK_BYTES = 1 << 20
Found = ExtractedLink | OpaqueLink

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def sniff_encoding(head: bytes) -> str:
    """The encoding a byte-order mark announces, UTF-16 told by its zero bytes, else UTF-8."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    sample = head[:4096]
    if len(sample) >= 4:
        even_zeros = sample[0::2].count(0)
        odd_zeros = sample[1::2].count(0)
        half = len(sample) // 2
        if odd_zeros > half * 0.4 and even_zeros == 0:
            return "utf-16-le"
        if even_zeros > half * 0.4 and odd_zeros == 0:
            return "utf-16-be"
    return "utf-8"


#: The error handler UTF-8 is decoded with: each run of bytes that is not UTF-8 as cp1252.
WINDOWS_1252_RUNS = "directlink-windows-1252-runs"
# The WHATWG windows-1252 table: the five bytes cp1252 leaves undefined are C1 controls.
_WINDOWS_1252 = tuple(
    bytes([byte]).decode("cp1252", "ignore") or chr(byte) for byte in range(256)
)


def _windows_1252_run(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    run = error.object[error.start : error.end]
    return "".join(_WINDOWS_1252[byte] for byte in run), error.end


codecs.register_error(WINDOWS_1252_RUNS, _windows_1252_run)


def decode_errors(encoding: str) -> str:
    """The error handler ``encoding`` is decoded with, so that no link is lost."""
    return WINDOWS_1252_RUNS if encoding.startswith("utf-8") else "replace"


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a whole document: ``(text, encoding)``; bytes that are not UTF-8 read as cp1252."""
    encoding = sniff_encoding(data[:4096])
    return data.decode(encoding, decode_errors(encoding)), encoding


class PositionTracker:
    """Turns increasing offsets in a text into 1-based line and column numbers."""

    __slots__ = ("first_column", "line", "line_start", "offset", "text")

    def __init__(self, text: str, line: int = 1, column: int = 1) -> None:
        self.text = text
        self.offset = 0
        self.line = line
        self.line_start = 0
        # The first line may start mid-line in the enclosing document.
        self.first_column = column

    def at(self, offset: int) -> tuple[int, int]:
        text = self.text
        newlines = text.count("\n", self.offset, offset)
        if newlines:
            self.line += newlines
            self.line_start = text.rfind("\n", self.offset, offset) + 1
            self.first_column = 1
        self.offset = offset
        return self.line, offset - self.line_start + self.first_column


def found(
    url: str,
    location: Location,
    link_filter: LinkFilter,
    verbatim: bool = False,
) -> Found | None:
    verdict = link_filter.classify(url)
    if verdict is None:
        return None
    if isinstance(verdict, Opaque):
        return OpaqueLink(url, location, verdict.tracker)
    assert isinstance(verdict, Accepted)
    url, wrappers, wrapped_url = verdict
    return new_named_tuple(ExtractedLink, (url, location, wrappers, wrapped_url,
                                           verbatim and not wrappers, link_filter.parsed(url)))


def scan_string(
    text: str,
    *,
    path: str,
    kind: SourceKind,
    link_filter: LinkFilter,
    line: int = 1,
    column: int = 1,
    part: str | None = None,
    json_path: str | None = None,
) -> Iterator[Found]:
    """Links in a string held in memory; ``line``/``column`` place its first character."""
    tracker = PositionTracker(text, line, column)
    for candidate in iter_candidates(text):
        at_line, at_column = tracker.at(candidate.start)
        location = Location(path, at_line, at_column, kind, json_path, part)
        result = found(candidate.url, location, link_filter, candidate.written == candidate.url)
        if result is not None:
            yield result


def scan_stream(
    stream: BinaryIO,
    *,
    path: str,
    link_filter: LinkFilter,
    kind: SourceKind = "text",
    encoding: str | None = None,
    first_line: int = 1,
    limit: int | None = None,
    chunk_bytes: int = CHUNK_BYTES,
) -> Iterator[Found]:
    """Links in a byte stream, read ``chunk_bytes`` at a time (at most ``limit`` bytes).

    A candidate that reaches the end of a chunk is carried into the next one,
    so a link split across chunks is found whole; at most
    :data:`MAX_LINK_CHARS` are carried.
    """
    if encoding is None:
        head = stream.read(4096)
        encoding = sniff_encoding(head)
        rest = head
    else:
        rest = b""
    decoder = codecs.getincrementaldecoder(encoding)(decode_errors(encoding))
    remaining = limit
    carry = ""
    carry_line, carry_column = first_line, 1
    while True:
        size = chunk_bytes if remaining is None else min(chunk_bytes, remaining)
        data = rest + (stream.read(size) if size > 0 else b"")
        if remaining is not None:
            remaining -= len(data) - len(rest)
        rest = b""
        final = not data
        piece = decoder.decode(data, final=final)
        text = carry + piece
        tracker = PositionTracker(text, carry_line, carry_column)
        # A candidate touching the end may go on in the next chunk: keep it back.
        hold = len(text) if final else _hold_point(text)
        for candidate in iter_candidates(text, 0, hold):
            at_line, at_column = tracker.at(candidate.start)
            location = new_named_tuple(Location, (path, at_line, at_column, kind, None, None))
            verbatim = candidate.written == candidate.url
            result = found(candidate.url, location, link_filter, verbatim)
            if result is not None:
                yield result
        if final:
            return
        carry = text[hold:]
        carry_line, carry_column = tracker.at(hold)


def _hold_point(text: str) -> int:
    """Where to cut ``text`` so no candidate is split: before the last stretch without space."""
    tail_start = max(0, len(text) - MAX_LINK_CHARS)
    for index in range(len(text) - 1, tail_start - 1, -1):
        if text[index].isspace():
            # Keep one character before the candidate: it decides its delimiter.
            return max(0, index)
    return tail_start
