"""Find every direct link in files, folders and QR images, with where it was found.

    >>> from validator.extract import extract_path, LinkFilter
    >>> for item in extract_path("templates/welcome.html"):
    ...     print(item.location, item.url)

One module per kind of source (``text``, ``html``, ``eml``, ``mbox``,
``tabular``, ``jsondoc``, ``markdown``, ``qr``, ``office``, ``pdf``;
``container`` opens zip packages under budgets); ``walk`` decides which files to read and
``unwrap`` undoes redirect wrappers. Extraction is per file (or per byte
range of a large text file), so it runs in worker processes or partitions
without shared state.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from validator.extract.candidates import LinkFilter
from validator.extract.documents import (
    DOCUMENT_KINDS,
    DocumentError,
    MissingExtra,
    scan_document,
)
from validator.extract.model import ExtractedLink, Location, OpaqueLink, PathStatus, SourceKind
from validator.extract.text import Found, decode_bytes, scan_stream, scan_string, sniff_encoding
from validator.extract.unwrap import Opaque, Unwrapped, unwrap
from validator.extract.walk import SNIFF_BYTES, PathEntry, is_binary, kind_for, walk

#: Structured files above this size are scanned as text, which streams.
MAX_STRUCTURED_BYTES = 256 * 1024 * 1024


class SkipFile(Exception):
    """The file is not a document to audit (binary, not an image ...): the reason."""


def extract_path(
    path: str | os.PathLike[str],
    *,
    link_filter: LinkFilter | None = None,
    kind: SourceKind | None = None,
) -> Iterator[Found]:
    """Every direct link (and opaque tracker) in one file, in document order.

    Raises :class:`SkipFile` for a file that holds no document (binary),
    :class:`OSError` for one that cannot be read and :class:`DocumentError`
    for a mailbox, office document or PDF that is broken, encrypted or over
    a budget.
    """
    name = os.fspath(path)
    links = link_filter or LinkFilter()
    chosen = kind or kind_for(name) or "text"
    if chosen == "qr":
        yield from _extract_image(name, links)
        return
    if chosen in DOCUMENT_KINDS:
        yield from scan_document(name, chosen, links)
        return
    size = os.path.getsize(name)
    with open(name, "rb") as stream:
        head = stream.read(SNIFF_BYTES)
        if is_binary(head):
            raise SkipFile("binary file")
        stream.seek(0)
        if chosen == "text" or size > MAX_STRUCTURED_BYTES:
            yield from scan_stream(stream, path=name, link_filter=links)
            return
        if chosen == "jsonl":
            from validator.extract.jsondoc import scan_jsonl

            yield from scan_jsonl(stream, path=name, link_filter=links,
                                  encoding=sniff_encoding(head))
            return
        data = stream.read()
    if chosen == "eml":
        from validator.extract.eml import scan_eml

        yield from scan_eml(data, path=name, link_filter=links)
        return
    text, _ = decode_bytes(data)
    if text.startswith("\ufeff"):
        text = text[1:]
    yield from extract_text(text, path=name, kind=chosen, link_filter=links)


def extract_text(
    text: str, *, path: str = "<text>", kind: SourceKind = "text",
    link_filter: LinkFilter | None = None,
) -> Iterator[Found]:
    """Every direct link in a document held in memory."""
    links = link_filter or LinkFilter()
    if kind == "html":
        try:
            from validator.extract.html import scan_html
        except ImportError:  # html5lib (the audit extra) is not installed
            raise SkipFile("HTML: install directlink-validator[audit] to read HTML") from None
        yield from scan_html(text, path=path, link_filter=links)
    elif kind in ("csv", "tsv"):
        from validator.extract.tabular import scan_table

        yield from scan_table(text, path=path, link_filter=links, kind=kind)
    elif kind in ("json", "jsonl"):
        from validator.extract.jsondoc import scan_json

        yield from scan_json(text, path=path, link_filter=links, kind=kind)
    elif kind == "markdown":
        from validator.extract.markdown import scan_markdown

        yield from scan_markdown(text, path=path, link_filter=links)
    elif kind == "eml":
        from validator.extract.eml import scan_eml

        yield from scan_eml(text.encode("utf-8"), path=path, link_filter=links)
    else:
        yield from scan_string(text, path=path, kind=kind, link_filter=links)


def _extract_image(path: str, links: LinkFilter) -> Iterator[Found]:
    try:
        from validator.extract.qr import ImageError, scan_image_bytes
    except ImportError:
        raise SkipFile("image: install the qr extra to read QR codes") from None
    data = Path(path).read_bytes()
    try:
        yield from scan_image_bytes(data, path=path, link_filter=links)
    except ImageError as error:
        raise SkipFile(str(error)) from None


__all__ = [
    "DocumentError",
    "ExtractedLink",
    "Found",
    "LinkFilter",
    "Location",
    "MissingExtra",
    "Opaque",
    "OpaqueLink",
    "PathEntry",
    "PathStatus",
    "SkipFile",
    "SourceKind",
    "Unwrapped",
    "extract_path",
    "extract_text",
    "kind_for",
    "unwrap",
    "walk",
]
