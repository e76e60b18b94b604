"""CSV and TSV exports: every cell of every row, quoting undone by the csv module.

A row the csv module refuses (a cell over its 128 KiB limit, say) ends the
tabular reading there: the rest of the file is scanned as plain text, so its
links are still found, and the file is noted as partly read.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

from validator.extract.candidates import Candidate, LinkFilter, iter_candidates
from validator.extract.guard import ReadLog, describe_failure
from validator.extract.model import Location, SourceKind
from validator.extract.text import Found, found, scan_string

_WHOLE_URL = re.compile(r"(?i:https?)://\S+")


def scan_table(
    text: str, *, path: str, link_filter: LinkFilter, kind: SourceKind = "csv",
    log: ReadLog | None = None,
) -> Iterator[Found]:
    """Links in a delimited table; ``Location.part`` names the row and column."""
    lines = text.splitlines(keepends=True)
    done = [0, 0]
    try:
        yield from _scan_rows(lines, text, path, link_filter, kind, done)
    except csv.Error as error:
        rows, consumed = done
        if log is not None:
            log.record(f"row {rows + 1}", f"{describe_failure(error)}; the rest read as text")
        yield from scan_string("".join(lines[consumed:]), path=path, kind=kind,
                               link_filter=link_filter, line=consumed + 1)


def _scan_rows(
    lines: list[str], text: str, path: str, link_filter: LinkFilter, kind: SourceKind,
    done: list[int],
) -> Iterator[Found]:
    """Each link of each row; ``done`` is kept at [rows read, lines they took]."""
    delimiter = "\t" if kind == "tsv" else _sniff_delimiter(text)
    reader = csv.reader(lines, delimiter=delimiter, strict=False)
    header: list[str] | None = None
    consumed = 0
    for row_number, row in enumerate(reader, start=1):
        first_line = consumed + 1
        consumed = reader.line_num
        record = "".join(lines[first_line - 1 : consumed])
        if row_number == 1 and not any("://" in cell for cell in row):
            header = row
        search_from = 0
        for column_number, cell in enumerate(row, start=1):
            for candidate in _cell_candidates(cell):
                offset = _raw_offset(record, candidate.written, search_from)
                search_from = max(search_from, offset + 1)
                line = first_line + record.count("\n", 0, offset)
                column = offset - (record.rfind("\n", 0, offset) + 1) + 1
                name = header[column_number - 1] if header and column_number <= len(header) else ""
                label = f"row {row_number}, column {column_number}" + (f" {name!r}" if name else "")
                verbatim = record.startswith(candidate.written, offset)
                item = found(candidate.url, Location(path, line, column, kind, None, label),
                             link_filter, verbatim)
                if item is not None:
                    yield item
        done[:] = [row_number, consumed]


def _cell_candidates(cell: str) -> list[Candidate]:
    """A cell holding only a URL is that URL, quotes and all; else the URLs in its text."""
    stripped = cell.strip()
    if _WHOLE_URL.fullmatch(stripped):
        start = cell.index(stripped)
        return [Candidate(start, start + len(stripped), stripped, stripped)]
    return list(iter_candidates(cell))


def _sniff_delimiter(text: str) -> str:
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _raw_offset(record: str, written: str, start: int) -> int:
    """Where a cell's link starts in the raw record (a quoted ``""`` shortens the match)."""
    for probe in (written, written.split('"', 1)[0], written[:8]):
        index = record.find(probe, start)
        if index >= 0:
            return index
    return start
