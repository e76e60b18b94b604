"""Mailboxes, office documents and PDFs: which reader, which extra, which budget.

Each kind's reader lives in its own module and needs an extra (``office``
for the zip-packaged formats, ``pdf`` for PDF; mbox needs none). Without the
extra the file cannot be audited, and the error names the install command.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Callable, Iterator

from validator.extract.budget import DEFAULT_BUDGET, ReadBudget
from validator.extract.candidates import LinkFilter
from validator.extract.errors import DocumentError, MissingExtra
from validator.extract.guard import ReadLog
from validator.extract.model import ExtractedLink, SourceKind
from validator.extract.text import Found

#: Documents above this size are refused (they are read whole into memory).
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024

#: The extra each document kind's reader needs, and the modules that extra installs.
EXTRA_FOR: dict[str, str] = {
    "xlsx": "office", "docx": "office", "pptx": "office", "ods": "office", "odt": "office",
    "pdf": "pdf",
}
EXTRA_MODULES: dict[str, tuple[str, ...]] = {
    "office": ("defusedxml",),
    "pdf": ("pypdf", "PIL", "zxingcpp"),
}

Reader = Callable[..., Iterator[Found]]


def reader_for(kind: SourceKind) -> Reader:
    """The reader function of a document kind; :class:`MissingExtra` without its extra."""
    extra = EXTRA_FOR[kind]
    if any(importlib.util.find_spec(module) is None for module in EXTRA_MODULES[extra]):
        raise MissingExtra(kind, extra)
    if kind == "pdf":
        from validator.extract.pdf import scan_pdf

        return scan_pdf
    from validator.extract import office

    readers: dict[str, Reader] = {
        "xlsx": office.scan_xlsx, "docx": office.scan_docx, "pptx": office.scan_pptx,
        "ods": office.scan_ods, "odt": office.scan_odt,
    }
    return readers[kind]


#: The kinds read here.
DOCUMENT_KINDS = frozenset({"mbox", *EXTRA_FOR})


def scan_document(
    path: str, kind: SourceKind, link_filter: LinkFilter, *, log: ReadLog | None = None,
    budget: ReadBudget = DEFAULT_BUDGET,
) -> Iterator[Found]:
    """Every link in one mailbox, office document or PDF on the local disk.

    With ``log``, a mailbox's message that cannot be read is noted there and the
    next one is read.
    """
    if kind == "mbox":
        from validator.extract.mbox import scan_mbox

        yield from _not_verbatim(scan_mbox(path, link_filter=link_filter, log=log,
                                           budget=budget))
        return
    reader = reader_for(kind)
    size = os.path.getsize(path)
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentError(f"{kind}: {size} bytes, more than {MAX_DOCUMENT_BYTES}")
    with open(path, "rb") as stream:
        data = stream.read()
    yield from _not_verbatim(reader(data, path=path, link_filter=link_filter))


def _not_verbatim(found: Iterator[Found]) -> Iterator[Found]:
    """Links marked as not written as they are in the file: their line and column count in a
    cell, a paragraph, a page or a message, so nothing may edit the file at them."""
    for item in found:
        yield item._replace(verbatim=False) if isinstance(item, ExtractedLink) else item


def scan_document_bytes(data: bytes, *, path: str, kind: SourceKind,
                        link_filter: LinkFilter, log: ReadLog | None = None,
                        budget: ReadBudget = DEFAULT_BUDGET) -> Iterator[Found]:
    """The same for a document read from elsewhere (a remote file of the Dask audit)."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DocumentError(f"{kind}: {len(data)} bytes, more than {MAX_DOCUMENT_BYTES}")
    if kind != "mbox":
        yield from _not_verbatim(reader_for(kind)(data, path=path, link_filter=link_filter))
        return
    from validator.extract.mbox import scan_mbox

    # mailbox reads files: the bytes go to a temporary one, named back as the source.
    with tempfile.TemporaryDirectory(prefix="directlink-mbox-") as folder:
        local = os.path.join(folder, "mailbox")
        with open(local, "wb") as stream:
            stream.write(data)
        for item in scan_mbox(local, link_filter=link_filter, log=log, budget=budget):
            where = item.location
            named = where._replace(path=path + where.path[len(local):])
            yield item._replace(location=named, verbatim=False) \
                if isinstance(item, ExtractedLink) else item._replace(location=named)
