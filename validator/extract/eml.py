"""E-mail messages: every text and HTML part, transfer encodings undone.

The stdlib ``email`` package decodes quoted-printable (soft line breaks
joined) and base64, and the part's charset. ``Location.part`` names the part
(``part 2 text/html``). Where the part is written as it is (7bit, 8bit) the
line and column are those of the link in the file; where it is encoded
(quoted-printable, base64) they are those of the part's first body line, and
the part name adds where the link is in the decoded text
(``part 3 text/html, decoded line 2 column 13``). Images attached to the
message are read for QR codes when the ``qr`` extra is there.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from validator.extract.candidates import LinkFilter
from validator.extract.model import ExtractedLink, SourceKind
from validator.extract.text import Found, scan_string

#: Transfer encodings that leave the text as it is in the file.
_AS_WRITTEN = frozenset({"7bit", "8bit", "binary"})


def scan_eml(data: bytes, *, path: str, link_filter: LinkFilter) -> Iterator[Found]:
    message = BytesParser(policy=policy.default).parsebytes(data)
    body_lines = _body_start_lines(data, message)
    for number, part in enumerate(message.walk(), start=1):
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        label = f"part {number} {content_type}"
        maintype = part.get_content_maintype()
        if maintype == "text":
            text = _text_of(part)
            if content_type == "text/html":
                found = _scan_html(text, path=path, link_filter=link_filter, kind="eml",
                                   part=label)
            else:
                found = scan_string(text, path=path, kind="eml", link_filter=link_filter,
                                    part=label)
            encoding = str(part.get("Content-Transfer-Encoding", "7bit")).strip().lower()
            yield from _placed(found, body_lines.get(number), encoding in _AS_WRITTEN)
        elif maintype == "image":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload:
                yield from _qr_links(payload, path, label, link_filter)


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


def _body_start_lines(data: bytes, message: EmailMessage) -> dict[int, int]:
    """The file line each part's body starts on, by the part's number in ``walk()`` order.

    Parts start after a boundary line of their parent, in the order ``walk()``
    visits them; each body begins after the blank line that ends its headers.
    Where the count does not add up (a malformed message) nothing is placed.
    """
    parts = list(message.walk())
    boundaries = {
        b"--" + boundary.encode("ascii", "replace")
        for part in parts
        if part.is_multipart() and (boundary := part.get_boundary()) is not None
    }
    lines = [line.rstrip(b"\r") for line in data.split(b"\n")]
    section_starts = [0]
    section_starts.extend(index + 1 for index, line in enumerate(lines) if line in boundaries)
    if len(section_starts) != len(parts):
        return {}
    result: dict[int, int] = {}
    for number, start in enumerate(section_starts, start=1):
        blank = start
        while blank < len(lines) and lines[blank] != b"":
            blank += 1
        result[number] = blank + 2  # 1-based number of the line after the blank one
    return result


def _scan_html(text: str, *, path: str, link_filter: LinkFilter, kind: SourceKind,
               part: str) -> Iterator[Found]:
    try:
        from validator.extract.html import scan_html
    except ImportError:  # html5lib (the audit extra) is not installed: read it as text
        yield from scan_string(text, path=path, kind=kind, link_filter=link_filter, part=part)
        return
    yield from scan_html(text, path=path, link_filter=link_filter, kind=kind, part=part)


def _text_of(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError):
        # Unknown charset: the raw bytes, decoded leniently.
        payload = part.get_payload(decode=True)
        return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else content.decode("utf-8", "replace")


def _qr_links(payload: bytes, path: str, label: str, link_filter: LinkFilter) -> Iterator[Found]:
    try:
        from validator.extract.qr import scan_image_bytes
    except ImportError:  # the qr extra is not installed
        return
    yield from scan_image_bytes(payload, path=path, link_filter=link_filter, kind="eml",
                                part_prefix=label + ", ")
