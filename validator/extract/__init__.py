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

Every reader runs under one failure guard (``guard``): :func:`read_path` never
raises, and its :class:`ReadLog` says whether the file was read whole
(``audited``), partly (``partial``), not at all (``unreadable``) or is no
document (``skipped``), with a one-line reason. What one file may cost is its
:class:`ReadBudget` (``budget``). A new reader is a branch of
:func:`extract_path`; its parts (if it has any) go through
:func:`~validator.extract.guard.guarded` with ``part=``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from validator.extract.budget import DEFAULT_BUDGET, BudgetExceeded, ReadBudget
from validator.extract.candidates import LinkFilter
from validator.extract.documents import DOCUMENT_KINDS, scan_document
from validator.extract.errors import DocumentError, MissingExtra
from validator.extract.guard import ReadLog, SkipFile, describe_failure, guarded
from validator.extract.model import ExtractedLink, Location, OpaqueLink, PathStatus, SourceKind
from validator.extract.text import Found, decode_bytes, scan_stream, scan_string, sniff_encoding
from validator.extract.unwrap import Opaque, Unwrapped, unwrap
from validator.extract.walk import SNIFF_BYTES, PathEntry, is_binary, kind_for, shown_path, walk

#: Structured files above this size are scanned as text, which streams.
MAX_STRUCTURED_BYTES = 256 * 1024 * 1024


def read_path(
    path: str | os.PathLike[str],
    log: ReadLog,
    *,
    link_filter: LinkFilter | None = None,
    kind: SourceKind | None = None,
    budget: ReadBudget = DEFAULT_BUDGET,
) -> Iterator[Found]:
    """:func:`extract_path` under the failure guard: it never raises; ``log`` tells the rest.

        >>> log = ReadLog()
        >>> links = list(read_path("mail/welcome.eml", log))
        >>> log.status, log.reason, log.links
    """
    return guarded(extract_path(path, link_filter=link_filter, kind=kind, budget=budget,
                                log=log), log)


def extract_path(
    path: str | os.PathLike[str],
    *,
    link_filter: LinkFilter | None = None,
    kind: SourceKind | None = None,
    budget: ReadBudget = DEFAULT_BUDGET,
    log: ReadLog | None = None,
) -> Iterator[Found]:
    """Every direct link (and opaque tracker) in one file, in document order.

    Raises :class:`SkipFile` for a file that holds no document (binary),
    "BudgetExceeded",
    "DocumentError",
    """
    name = os.fspath(path)
    shown = shown_path(name)
    links = link_filter or LinkFilter()
    chosen = kind or kind_for(name) or "text"
    if chosen == "qr":
        yield from _extract_image(name, shown, links, budget)
        return
    if chosen in DOCUMENT_KINDS:
        yield from scan_document(name, chosen, links, log=log, budget=budget)
        return
    size = os.path.getsize(name)
    with open(name, "rb") as stream:
        head = stream.read(SNIFF_BYTES)
        if is_binary(head):
            raise SkipFile("binary file")
        stream.seek(0)
        if chosen == "text" or size > MAX_STRUCTURED_BYTES:
            yield from scan_stream(stream, path=shown, link_filter=links)
            return
        if chosen == "jsonl":
            from validator.extract.jsondoc import scan_jsonl

            yield from scan_jsonl(stream, path=shown, link_filter=links,
                                  encoding=sniff_encoding(head))
            return
        if chosen == "eml":
            from validator.extract.eml import scan_eml_stream

            yield from scan_eml_stream(stream, path=shown, link_filter=links, log=log,
                                       budget=budget)
            return
        data = stream.read()
    text, _ = decode_bytes(data)
    del data
    if text.startswith("\ufeff"):
        text = text[1:]
    yield from extract_text(text, path=shown, kind=chosen, link_filter=links, budget=budget,
                            log=log)


def extract_text(
    text: str, *, path: str = "<text>", kind: SourceKind = "text",
    link_filter: LinkFilter | None = None, budget: ReadBudget = DEFAULT_BUDGET,
    log: ReadLog | None = None,
) -> Iterator[Found]:
    """Every direct link in a document held in memory (``log`` as for :func:`extract_path`)."""
    links = link_filter or LinkFilter()
    if kind == "html":
        try:
            from validator.extract.html import scan_html
        except ImportError:  # html5lib (the audit extra) is not installed
            raise MissingExtra("HTML", "audit") from None
        yield from scan_html(text, path=path, link_filter=links, max_depth=budget.html_depth)
    elif kind in ("csv", "tsv"):
        from validator.extract.tabular import scan_table

        yield from scan_table(text, path=path, link_filter=links, kind=kind, log=log)
    elif kind in ("json", "jsonl"):
        from validator.extract.jsondoc import scan_json

        yield from scan_json(text, path=path, link_filter=links, kind=kind)
    elif kind == "markdown":
        from validator.extract.markdown import scan_markdown

        yield from scan_markdown(text, path=path, link_filter=links)
    elif kind == "eml":
        from validator.extract.eml import scan_eml

        yield from scan_eml(text.encode("utf-8", "surrogatepass"), path=path,
                            link_filter=links, log=log, budget=budget)
    else:
        yield from scan_string(text, path=path, kind=kind, link_filter=links)


def _extract_image(path: str, shown: str, links: LinkFilter,
                   budget: ReadBudget) -> Iterator[Found]:
    try:
        from validator.extract.qr import scan_image_file
    except ImportError:
        raise MissingExtra("QR code images", "qr") from None
    yield from scan_image_file(path, shown_path=shown, link_filter=links, budget=budget)


__all__ = [
    "BudgetExceeded",
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
    "ReadBudget",
    "ReadLog",
    "SkipFile",
    "SourceKind",
    "Unwrapped",
    "describe_failure",
    "extract_path",
    "extract_text",
    "guarded",
    "kind_for",
    "read_path",
    "shown_path",
    "unwrap",
    "walk",
]
