"""E-mail messages: every text and HTML part, transfer encodings undone.

The stdlib ``email`` package decodes quoted-printable (soft line breaks
joined) and base64, and the part's charset. Lines and columns count in the
decoded part, which ``Location.part`` names (``part 2 text/html``). Images
attached to the message are read for QR codes when the ``qr`` extra is there.
"""

from __future__ import annotations

from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from validator.extract.candidates import LinkFilter
from validator.extract.model import SourceKind
from validator.extract.text import Found, scan_string


def scan_eml(data: bytes, *, path: str, link_filter: LinkFilter) -> Iterator[Found]:
    message = BytesParser(policy=policy.default).parsebytes(data)
    for number, part in enumerate(message.walk(), start=1):
        if part.is_multipart():
            continue
        content_type = part.get_content_type()
        label = f"part {number} {content_type}"
        maintype = part.get_content_maintype()
        if maintype == "text":
            text = _text_of(part)
            if content_type == "text/html":
                yield from _scan_html(text, path=path, link_filter=link_filter, kind="eml",
                                     part=label)
            else:
                yield from scan_string(text, path=path, kind="eml", link_filter=link_filter,
                                       part=label)
        elif maintype == "image":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload:
                yield from _qr_links(payload, path, label, link_filter)


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
