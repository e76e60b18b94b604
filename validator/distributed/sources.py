"""Where a Dask audit reads links from, cut into work units that keep every location exact.

Three kinds of source:

* files, folders and globs, local or any fsspec URL (``s3://logs/2025/*.log``):
  a plain-text file is cut into byte blocks at newlines (as
  :func:`dask.bytes.read_bytes` does), so one large log spreads over the
  cluster; structured files (HTML, e-mail, CSV, JSON, Markdown, QR images)
  are read whole, one task each;
* a Dask bag of strings: each element is one record;
* a Dask DataFrame column (a Dask Series): each cell is one record.

A block does not know on which line it starts: it reports its links with
lines counted from its own start and the number of newlines it holds, and
the driver adds the lines of the blocks before it (a prefix sum) once all
blocks are read. Each file or collection is accounted for: audited, skipped
(and why) or unreadable (and why).
"""

from __future__ import annotations

import functools
import io
import os
import posixpath
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO, cast

import fsspec
from fsspec.core import url_to_fs
from fsspec.utils import seek_delimiter

from validator.extract import MAX_STRUCTURED_BYTES, SkipFile, extract_path, extract_text
from validator.extract.candidates import LinkFilter
from validator.extract.documents import DOCUMENT_KINDS, scan_document_bytes
from validator.extract.model import SourceKind
from validator.extract.text import Found, decode_bytes, scan_stream, scan_string, sniff_encoding
from validator.extract.walk import (
    MAILDIR_TMP_REASON,
    SNIFF_BYTES,
    PathEntry,
    is_binary,
    kind_for,
    maildir_folder,
    walk,
)

#: Bytes of a plain-text file one task reads. Checking costs about 0.6 s per MB on one core
#: (some 5,000 links), so a block is a task of about 10 s: short enough to balance the load
#: and to redo cheaply when a worker dies, long enough to make Dask's ~1 ms per task nothing.
DEFAULT_BLOCK_BYTES = 16 * 1024 * 1024
#: ... and on this machine (Dask's local schedulers), as the local audit cuts its ranges: a
#: task there costs a few milliseconds, and a few processes finish together only when every
#: one has many small blocks rather than one or two large ones.
LOCAL_BLOCK_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class FileEntry:
    """A file to read: the name its locations carry and the URL fsspec opens."""

    path: str
    url: str
    kind: SourceKind
    #: True for files on this machine, read with the local extractor.
    local: bool


@dataclass(frozen=True, slots=True)
class Survey:
    """What a look at a file's head tells: size, binary or not, text encoding."""

    entry: FileEntry
    size: int
    binary: bool
    encoding: str
    #: Why the file cannot be read, where it cannot.
    error: str | None = None


@dataclass(frozen=True, slots=True)
class TextBlock:
    """Bytes ``offset`` to ``offset + length`` of a plain-text file, widened to whole lines."""

    entry: FileEntry
    encoding: str
    offset: int
    length: int
    #: Position of the block in its file (0 for the first).
    number: int


@dataclass(frozen=True, slots=True)
class WholeFile:
    """A file read in one task: a structured document, or a text that cannot be cut."""

    entry: FileEntry


Unit = TextBlock | WholeFile


@dataclass(slots=True)
class UnitLinks:
    """What one work unit holds: its links, produced lazily, and what is known beforehand.

    ``links`` yields ``(link, record number)`` with lines counted from the
    unit's start; the record number (0-based in the unit) matters for a bag
    and is 0 elsewhere. Iterating may raise :class:`SkipFile` (binary, not an
    image ...) or :class:`OSError`: the caller counts what came before.
    """

    links: Iterator[tuple[Found, int]]
    #: Newlines in the unit: the lines the next block of the same file starts after.
    newlines: int = 0
    #: Records (bag elements, column cells) in the unit.
    records: int = 0


def is_url(source: str) -> bool:
    """True for an fsspec URL (``s3://``, ``gcs://``, ``memory://`` ...), False for a local path."""
    protocol, _, rest = source.partition("://")
    return bool(rest) and protocol.isidentifier()


def plan_files(
    sources: Iterable[str | os.PathLike[str]],
    *,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
) -> Iterator[FileEntry | PathEntry]:
    """Files to read, in a stable order, and every path skipped with its reason.

    Local paths are walked exactly as the local audit walks them (same
    order, same default exclusions); fsspec URLs are globbed or listed
    recursively by their file system.
    """
    includes = tuple(include)
    excludes = tuple(exclude)
    for source in sources:
        name = os.fspath(source)
        if is_url(name):
            yield from _plan_remote(name)
            continue
        for entry in walk([name], include=includes, exclude=excludes):
            if entry.kind is None:
                yield entry
            else:
                yield FileEntry(entry.path, entry.path, entry.kind, local=True)


def _plan_remote(url: str) -> Iterator[FileEntry | PathEntry]:
    try:
        fs, root = url_to_fs(url)
        if any(char in root for char in "*?["):
            found = sorted(fs.glob(root))
        elif fs.isdir(root):
            found = sorted(fs.find(root))
        elif fs.exists(root):
            found = [root]
        else:
            yield PathEntry(url, None, "does not exist")
            return
    except (OSError, ValueError, ImportError) as error:
        yield PathEntry(url, None, None, str(error) or type(error).__name__)
        return
    if not found:
        yield PathEntry(url, None, "no file matches")
    isdir = functools.cache(fs.isdir)
    for path in found:
        full = fs.unstrip_protocol(path)
        # A Maildir's messages are read as .eml, as the local walk reads them.
        maildir = maildir_folder(path, isdir, posixpath)
        if maildir == "tmp":
            yield PathEntry(full, None, MAILDIR_TMP_REASON)
            continue
        kind = "eml" if maildir else kind_for(posixpath.basename(path)) or "text"
        yield FileEntry(full, full, kind, local=False)


def survey(entry: FileEntry) -> Survey:
    """Size and head of one file (run on a worker: remote heads are read near the data)."""
    try:
        with fsspec.open(entry.url, "rb") as stream:
            head = stream.read(SNIFF_BYTES)
            size = stream.size if hasattr(stream, "size") else None
        if size is None:
            size = _size(entry.url)
    except OSError as error:
        return Survey(entry, 0, False, "utf-8", error.strerror or str(error))
    return Survey(entry, int(size), is_binary(head), sniff_encoding(head))


def _size(url: str) -> int:
    fs, path = url_to_fs(url)
    return int(fs.size(path))


def plan_units(surveyed: Survey, block_bytes: int = DEFAULT_BLOCK_BYTES) -> list[Unit]:
    """Cut a surveyed file into work units: blocks for a large UTF-8 text, else the whole file."""
    entry = surveyed.entry
    streamed = entry.kind == "text" or surveyed.size > MAX_STRUCTURED_BYTES
    # Newlines are single bytes only in ASCII-compatible encodings; UTF-16/32 files stay whole.
    cuttable = streamed and surveyed.encoding in ("utf-8", "utf-8-sig")
    if surveyed.error or surveyed.binary or not cuttable or surveyed.size <= block_bytes:
        return [WholeFile(entry)]
    return [
        TextBlock(entry, surveyed.encoding, offset, block_bytes, number)
        for number, offset in enumerate(range(0, surveyed.size, block_bytes))
    ]


def read_unit(unit: Unit, link_filter: LinkFilter) -> UnitLinks:
    """The links of one unit, streamed: a block a chunk at a time from its first whole
    line to the end of its last, a whole file as the local audit reads it."""
    if isinstance(unit, TextBlock):
        return _read_block(unit, link_filter)
    return UnitLinks(_numbered(_read_whole(unit.entry, link_filter)))


def _numbered(links: Iterator[Found]) -> Iterator[tuple[Found, int]]:
    for link in links:
        yield link, 0


def _read_block(block: TextBlock, link_filter: LinkFilter) -> UnitLinks:
    found = UnitLinks(iter(()))
    found.links = _numbered(_block_links(block, link_filter, found))
    return found


def _block_links(block: TextBlock, link_filter: LinkFilter, found: UnitLinks) -> Iterator[Found]:
    """The block's links; once they are read, ``found.newlines`` holds the block's newlines.

    The block starts after the first newline at or after its offset (at the
    file's start for the first block) and ends after the first newline at or
    after its nominal end, as :func:`fsspec.utils.read_block` cuts it, but is
    read a chunk at a time rather than whole.
    """
    encoding = block.encoding if block.number == 0 else "utf-8"
    with fsspec.open(block.entry.url, "rb") as stream:
        stream.seek(block.offset)
        seek_delimiter(stream, b"\n", 1 << 16)
        start = stream.tell()
        stream.seek(block.offset + block.length)
        seek_delimiter(stream, b"\n", 1 << 16)
        end = stream.tell()
        stream.seek(start)
        counted = _CountedRange(stream, end - start)
        try:
            yield from scan_stream(cast(BinaryIO, counted), path=block.entry.path,
                                   link_filter=link_filter, encoding=encoding)
        finally:
            # The lines after a failure still count: the next block's lines start after them.
            counted.drain()
            found.newlines = counted.newlines


class _CountedRange:
    """The next ``size`` bytes of a stream, read as a stream, counting their newlines."""

    def __init__(self, stream: BinaryIO, size: int) -> None:
        self._stream = stream
        self._left = size
        self.newlines = 0

    def read(self, size: int = -1) -> bytes:
        wanted = self._left if size < 0 else min(size, self._left)
        data = self._stream.read(wanted) if wanted > 0 else b""
        self._left -= len(data)
        if not data:
            self._left = 0
        self.newlines += data.count(b"\n")
        return data

    def drain(self) -> None:
        while self.read(1 << 20):
            pass


def _read_whole(entry: FileEntry, link_filter: LinkFilter) -> Iterator[Found]:
    if entry.local:
        yield from extract_path(entry.path, link_filter=link_filter, kind=entry.kind)
        return
    with fsspec.open(entry.url, "rb") as stream:
        data = stream.read()
    yield from _extract_bytes(data, entry, link_filter)


def _extract_bytes(data: bytes, entry: FileEntry, link_filter: LinkFilter) -> Iterator[Found]:
    """Links in a remote file's bytes, read the way :func:`extract_path` reads a local file."""
    if entry.kind == "qr":
        try:
            from validator.extract.qr import scan_image_bytes
        except ImportError:
            raise SkipFile("image: install the qr extra to read QR codes") from None
        yield from scan_image_bytes(data, path=entry.path, link_filter=link_filter)
        return
    if entry.kind in DOCUMENT_KINDS:
        yield from scan_document_bytes(data, path=entry.path, kind=entry.kind,
                                       link_filter=link_filter)
        return
    if is_binary(data[:SNIFF_BYTES]):
        raise SkipFile("binary file")
    if entry.kind == "eml":
        from validator.extract.eml import scan_eml

        yield from scan_eml(data, path=entry.path, link_filter=link_filter)
        return
    if entry.kind == "text" or len(data) > MAX_STRUCTURED_BYTES:
        yield from scan_stream(io.BytesIO(data), path=entry.path, link_filter=link_filter)
        return
    text, _ = decode_bytes(data)
    if text.startswith("\ufeff"):
        text = text[1:]
    yield from extract_text(text, path=entry.path, kind=entry.kind, link_filter=link_filter)


def scan_bag_partition(
    records: Sequence[Any], *, path: str, link_filter: LinkFilter
) -> UnitLinks:
    """Links in one partition of a bag of strings; each element is one record.

    Lines and columns count inside the record, as they do inside an e-mail
    part; the driver names the record (``part``) once it knows how many
    records the partitions before hold. A missing value (None) holds no link.
    """

    def links() -> Iterator[tuple[Found, int]]:
        for number, record in enumerate(records):
            if isinstance(record, str):
                for link in scan_string(record, path=path, kind="text",
                                        link_filter=link_filter):
                    yield link, number

    return UnitLinks(links(), records=len(records))


def scan_column_partition(
    cells: Any, *, column: str, path: str, link_filter: LinkFilter
) -> UnitLinks:
    """Links in one partition of a DataFrame column (a pandas Series): each cell is one record.

    ``Location.part`` names the cell by its index label, as a CSV cell is named.
    """

    def links() -> Iterator[tuple[Found, int]]:
        for label, cell in cells.items():
            if isinstance(cell, str):
                where = f"row {label}, column {column!r}"
                for link in scan_string(cell, path=path, kind="text", link_filter=link_filter,
                                        part=where):
                    yield link, 0

    return UnitLinks(links(), records=len(cells))
