"""What extraction yields: links as the document means them, and where they were found.

Named tuples, like the parser's model: a million links are made cheaply.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from validator.model import DirectLink

SourceKind = Literal["text", "html", "eml", "csv", "tsv", "json", "jsonl", "markdown", "qr",
                     "mbox", "xlsx", "docx", "pptx", "ods", "odt", "pdf"]
#: What became of a path (see :mod:`validator.extract.guard`).
PathStatus = Literal["audited", "partial", "unreadable", "unsupported", "skipped"]


class Location(NamedTuple):
    """Where a link starts: 1-based line and column (in characters) of its first character.

    ``json_path`` is set for JSON and JSON Lines (``$.items[2].url``);
    ``part`` names the place inside a container the line counts from: the
    MIME part of an e-mail (``part 2 text/html``), the CSV cell
    (``row 4, column "link"``), the QR symbol (``QR code 1 of 2``), the
    spreadsheet cell (``Sheet1!B3``), the paragraph (``body paragraph 4``,
    ``slide 2 paragraph 1``) or the PDF page (``page 2 link annotation 1``).
    A message of an mbox file has ``path`` ``campaign.mbox#message-3``.
    For an e-mail part, line and column count in the decoded part.
    """

    path: str
    line: int
    column: int
    kind: SourceKind
    json_path: str | None = None
    part: str | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.part or "", self.json_path or "")

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        extra = [item for item in (self.part, self.json_path) if item]
        return where + (f" ({', '.join(extra)})" if extra else "")


class ExtractedLink(NamedTuple):
    """A direct link found in a document.

    ``url`` is the link the document means (entities, JSON escapes and
    redirect wrappers undone); ``wrappers`` names the redirectors it was
    wrapped in, outermost first, and ``wrapped_url`` is the URL as written
    when there was at least one.
    """

    url: str
    location: Location
    wrappers: tuple[str, ...] = ()
    wrapped_url: str | None = None
    #: True where ``url`` is written as it is at the location, so a character
    #: offset into it is a column offset in the source line.
    verbatim: bool = False
    #: The link as parsed while deciding it counts (saves parsing it again).
    parsed: DirectLink | None = None


class OpaqueLink(NamedTuple):
    """A click-tracking link whose target cannot be known without following it."""

    url: str
    location: Location
    tracker: str
