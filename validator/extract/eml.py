"""E-mail messages: every text and HTML part, transfer encodings undone.

The stdlib ``email`` package decodes quoted-printable (soft line breaks
joined) and base64, and the part's charset. ``Location.part`` names the part
(``part 2 text/html``). Where the part is written as it is (7bit, 8bit) the
line and column are those of the link in the file; where it is encoded
(quoted-printable, base64) they are those of the part's first body line, and
the part name adds where the link is in the decoded text
(``part 3 text/html, decoded line 2 column 13``). The message is split at its
boundaries as it is read, so one part at a time is in memory, at most
:data:`~validator.spec.MAX_EMAIL_PART_BYTES` of it. Images attached to the
message are read for QR codes when the ``qr`` extra is there.

Each part is read under the failure guard: an image part that is SVG or no
image at all, or a part whose charset is unknown, costs that part only, and
the file is noted as partly read. A ``multipart`` part without a boundary is
read as the text it is.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import BinaryIO

from validator.extract.budget import DEFAULT_BUDGET, BudgetExceeded, ReadBudget, describe_bytes
from validator.extract.candidates import LinkFilter
from validator.extract.guard import ReadLog, guarded
from validator.extract.model import ExtractedLink, SourceKind
from validator.extract.text import Found, decode_errors, scan_string

#: Transfer encodings that leave the text as it is in the file.
_AS_WRITTEN = frozenset({"7bit", "8bit", "binary"})


def scan_eml(
    data: bytes, *, path: str, link_filter: LinkFilter, log: ReadLog | None = None,
    budget: ReadBudget = DEFAULT_BUDGET,
) -> Iterator[Found]:
    """Links in an e-mail message held in memory."""
    yield from scan_eml_stream(io.BytesIO(data), path=path, link_filter=link_filter, log=log,
                               budget=budget)


def scan_eml_stream(
    stream: BinaryIO, *, path: str, link_filter: LinkFilter, log: ReadLog | None = None,
    budget: ReadBudget = DEFAULT_BUDGET,
) -> Iterator[Found]:
    """Links in an e-mail message read from ``stream``, one part in memory at a time.

    The message is split at its boundary lines as it is read; each leaf part
    (at most ``budget.email_part_bytes`` of its body) is then decoded by the
    stdlib ``email`` package. A part over the budget is read up to it (a text
    part) or not at all (an image), and noted in ``log``.
    """
    for leaf in _leaves(stream, budget.email_part_bytes):
        part = BytesParser(policy=policy.default).parsebytes(leaf.headers + b"\n" + leaf.body)
        label = f"part {leaf.number} {part.get_content_type()}"
        if leaf.dropped:
            whole = describe_bytes(len(leaf.body) + leaf.dropped)
            limit = describe_bytes(len(leaf.body))
            readable = part.get_content_maintype() in ("text", "multipart")
            problem = BudgetExceeded(
                f"body of {whole} is over the {limit} part budget; "
                + (f"the first {limit} read" if readable else "not read")
            )
            if log is None:
                raise problem
            log.record(label, str(problem))
            if not readable:
                continue  # a cut image or attachment decodes to nothing useful
        yield from guarded(_scan_part(part, label, leaf.body_line or None, path, link_filter,
                                      budget), log, part=label)


@dataclass(slots=True)
class _Leaf:
    """A part that holds content (not a multipart container), as read from the file."""

    number: int
    headers: bytes
    #: The file line its body starts on (0: it has none).
    body_line: int
    body: bytearray = field(default_factory=bytearray)
    #: Body bytes beyond the part budget, counted and not kept.
    dropped: int = 0


_HEADERS, _BODY, _BETWEEN = range(3)
#: Header bytes kept per part; the rest of an endless header block is dropped.
_MAX_HEADER_BYTES = 1 << 20
_BOUNDARY_LINE = re.compile(rb"--(.*?)(--)?[ \t]*\r?\n?")
#: Parts whose body is read: text, images (for QR codes) and a multipart without a boundary.
_READ_MAINTYPES = frozenset({"text", "image", "multipart"})
_BLOCK_BYTES = 1 << 20
_MAX_PIECE = 1 << 16


def _leaves(stream: BinaryIO, part_budget: int) -> Iterator[_Leaf]:
    """The leaf parts of a message in ``walk()`` order, numbered as ``walk()`` numbers parts.

    Containers (``multipart/*`` with a boundary, ``message/rfc822``) take a
    number and are not yielded. A boundary line of any enclosing multipart
    ends the part it is in, as mail clients read a message that forgot to
    close an inner multipart.
    """
    boundaries: list[bytes] = []
    state = _HEADERS
    headers = bytearray()
    leaf: _Leaf | None = None
    number = 0
    lines = _Lines(stream)
    for line, line_number, at_start in lines:
        if at_start and boundaries and line.startswith(b"--"):
            found = _boundary_of(line, boundaries)
            if found is not None:
                level, closes = found
                if leaf is not None:
                    yield _finished(leaf)
                    leaf = None
                elif state == _HEADERS and headers:
                    number += 1
                    yield _Leaf(number, bytes(headers), 0)
                del boundaries[level + 1 :]
                if closes:
                    boundaries.pop()
                state = _BETWEEN if closes else _HEADERS
                lines.skipping = closes  # an epilogue is not read
                headers = bytearray()
                continue
        if state == _HEADERS:
            if at_start and line in (b"\n", b"\r\n"):
                number += 1
                entity = BytesParser(policy=policy.default).parsebytes(bytes(headers),
                                                                       headersonly=True)
                boundary = entity.get_boundary()
                maintype = entity.get_content_maintype()
                if maintype == "multipart" and boundary:
                    boundaries.append(boundary.encode("utf-8", "surrogateescape"))
                    state = _BETWEEN  # the preamble, up to the first boundary
                    lines.skipping = True
                elif entity.get_content_type() in ("message/rfc822", "message/global") \
                        and _as_written(entity):
                    pass  # the enclosed message's headers follow
                elif maintype in _READ_MAINTYPES:
                    leaf = _Leaf(number, bytes(headers), line_number + 1)
                    state = _BODY
                else:
                    # An attachment holds no link this reader reads: its body is passed over.
                    state = _BETWEEN
                    lines.skipping = True
                headers = bytearray()
            elif len(headers) < _MAX_HEADER_BYTES:
                headers += line
        elif state == _BODY:
            assert leaf is not None
            room = max(part_budget - len(leaf.body), 0)
            if room >= len(line):
                leaf.body += line
            else:
                leaf.body += line[:room]
                leaf.dropped += len(line) - room
    if leaf is not None:
        yield _finished(leaf, at_end=True)
    elif state == _HEADERS and (headers or number == 0):
        # Headers and no body (or an empty file): a part of its own, as the parser reads it.
        yield _Leaf(number + 1, bytes(headers), 0)


def _finished(leaf: _Leaf, *, at_end: bool = False) -> _Leaf:
    """The leaf without the line end before its boundary (that belongs to the boundary)."""
    if not at_end and not leaf.dropped:
        if leaf.body.endswith(b"\r\n"):
            del leaf.body[-2:]
        elif leaf.body.endswith(b"\n"):
            del leaf.body[-1:]
    return leaf


def _boundary_of(line: bytes, boundaries: list[bytes]) -> tuple[int, bool] | None:
    """``(level, closes)`` when ``line`` is the boundary of an open multipart, innermost first."""
    match = _BOUNDARY_LINE.fullmatch(line)
    if match is None:
        return None
    name, dashes = match.group(1), match.group(2)
    for level in range(len(boundaries) - 1, -1, -1):
        boundary = boundaries[level]
        if name == boundary:
            return level, dashes is not None
        if dashes is not None and name + dashes == boundary:
            return level, False  # a boundary that itself ends in "--"
    return None


class _Lines:
    """``(piece, 1-based line number, starts a line)`` of a stream, long lines in 64 KiB pieces.

    While ``skipping`` is set, only lines that start with ``--`` (the only
    ones that can be boundaries) are yielded: the rest is passed over a block
    at a time, its newlines counted, so an attachment costs no Python loop.
    """

    __slots__ = ("at_start", "buffer", "number", "position", "skipping", "stream")

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.buffer = b""
        self.position = 0
        self.number = 1
        self.at_start = True
        self.skipping = False

    def __iter__(self) -> _Lines:
        return self

    def _fill(self) -> bool:
        block = self.stream.read(_BLOCK_BYTES)
        if not block:
            return False
        self.buffer = self.buffer[self.position :] + block
        self.position = 0
        return True

    def _skip(self) -> None:
        """Move to the next line that starts with ``--`` (or to the end of the stream)."""
        while True:
            buffer, start = self.buffer, self.position
            if self.at_start and buffer.startswith(b"--", start):
                return
            found = buffer.find(b"\n--", start)
            if found >= 0:
                self.number += buffer.count(b"\n", start, found + 1)
                self.position = found + 1
                self.at_start = True
                return
            # Keep the last two bytes: "\n-" may go on in the next block.
            keep = max(start, len(buffer) - 2)
            self.number += buffer.count(b"\n", start, keep)
            if keep > start:
                self.at_start = buffer[keep - 1 : keep] == b"\n"
            self.position = keep
            if not self._fill():
                return

    def __next__(self) -> tuple[bytes, int, bool]:
        if self.skipping:
            self._skip()
        while True:
            buffer, start = self.buffer, self.position
            end = buffer.find(b"\n", start, start + _MAX_PIECE)
            if end < 0 and len(buffer) - start < _MAX_PIECE and self._fill():
                continue
            if end < 0:
                piece = buffer[start : start + _MAX_PIECE]
                if not piece:
                    raise StopIteration
            else:
                piece = buffer[start : end + 1]
            break
        self.position = start + len(piece)
        result = (piece, self.number, self.at_start)
        self.at_start = piece.endswith(b"\n")
        if self.at_start:
            self.number += 1
        return result


def _as_written(entity: EmailMessage) -> bool:
    encoding = str(entity.get("Content-Transfer-Encoding", "7bit")).strip().lower()
    return encoding in _AS_WRITTEN


def _scan_part(
    part: EmailMessage, label: str, body_line: int | None, path: str, link_filter: LinkFilter,
    budget: ReadBudget,
) -> Iterator[Found]:
    content_type = part.get_content_type()
    maintype = part.get_content_maintype()
    # A multipart part without a boundary is not split by the parser: it is text.
    if maintype in ("text", "multipart"):
        text = _text_of(part)
        if content_type == "text/html":
            found = _scan_html(text, path=path, link_filter=link_filter, kind="eml",
                               part=label, budget=budget)
        else:
            found = scan_string(text, path=path, kind="eml", link_filter=link_filter,
                                part=label)
        yield from _placed(found, body_line, _as_written(part))
    elif maintype == "image":
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and payload:
            yield from _qr_links(payload, path, label, link_filter, budget)


def _placed(found: Iterable[Found], body_line: int | None, as_written: bool) -> Iterator[Found]:
    """Locations moved from the decoded part into the file (see the module's docstring)."""
    for item in found:
        location = item.location
        if body_line is None:
            yield item
        elif as_written:
            yield item._replace(location=location._replace(line=body_line + location.line - 1))
        else:
            part = f"{location.part}, decoded line {location.line} column {location.column}"
            moved = location._replace(line=body_line, column=1, part=part)
            if isinstance(item, ExtractedLink):
                yield item._replace(location=moved, verbatim=False)
            else:
                yield item._replace(location=moved)


def _scan_html(text: str, *, path: str, link_filter: LinkFilter, kind: SourceKind,
               part: str, budget: ReadBudget) -> Iterator[Found]:
    try:
        from validator.extract.html import scan_html
    except ImportError:  # html5lib (the audit extra) is not installed: read it as text
        yield from scan_string(text, path=path, kind=kind, link_filter=link_filter, part=part)
        return
    yield from scan_html(text, path=path, link_filter=link_filter, kind=kind, part=part,
                         max_depth=budget.html_depth)


def _text_of(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError, KeyError):
        # Unknown charset, or a multipart without a boundary: the raw bytes, decoded leniently.
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            raw = part.get_payload()
            return raw if isinstance(raw, str) else ""
        content = payload
    if isinstance(content, str):
        return content
    return content.decode("utf-8", decode_errors("utf-8")) if isinstance(content, bytes) else ""


def _qr_links(payload: bytes, path: str, label: str, link_filter: LinkFilter,
              budget: ReadBudget) -> Iterator[Found]:
    try:
        from validator.extract.qr import scan_image_bytes
    except ImportError:  # the qr extra is not installed
        return
    yield from scan_image_bytes(payload, path=path, link_filter=link_filter, kind="eml",
                                part_prefix=label + ", ", budget=budget)
