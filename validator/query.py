"""Query strings as browsers read them, and as the canonical builder writes them.

Decoding follows the WHATWG ``application/x-www-form-urlencoded`` parser that
``URLSearchParams`` uses: split on ``&``, drop empty pieces, split each on the
first ``=``, turn ``+`` into a space, percent-decode (a ``%`` not followed by
two hex digits stays as it is) and decode the bytes as UTF-8 with U+FFFD for
every invalid sequence.
"""

from __future__ import annotations

import re
from binascii import a2b_qp
from urllib.parse import quote, unquote_to_bytes

_PERCENT_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def unescape_bytes(text: str) -> bytes:
    """``text``'s bytes with every valid ``%XX`` escape decoded, the rest kept as written
    (what ``urllib.parse.unquote_to_bytes`` returns).

    ASCII text whose every ``%`` opens a valid escape (nearly every link) goes through
    binascii's C quoted-printable decoder, several times faster: it reads ``=XX`` as a
    percent decoder reads ``%XX``, and once every ``=`` of the text is itself written
    ``=3D``, no other ``=`` sequence (a soft line break, ``==``) can occur.
    """
    if _BAD_PERCENT.search(text) is None:
        return _unescape_valid(text)
    return unquote_to_bytes(text)


def _unescape_valid(text: str) -> bytes:
    """:func:`unescape_bytes` of text whose every ``%`` opens a valid escape."""
    if text.isascii():
        return a2b_qp(text.replace("=", "=3D").replace("%", "="))
    return unquote_to_bytes(text)


def form_decode(text: str) -> str:
    """Decode one name or value exactly as ``URLSearchParams`` does."""
    if "+" in text:
        text = text.replace("+", " ")
    if "%" not in text:
        return text
    # Malformed escapes stay as they are, as WHATWG does; the caller has already
    # replaced lone surrogates, so encoding cannot fail.
    return unescape_bytes(text).decode("utf-8", "replace")


def percent_decode_strict(text: str) -> str | None:
    """Decode as the native SDK does: ``+`` stays, bad escapes or bytes fail.

    Returns ``None`` where the SDK rejects the text.
    """
    if "%" not in text:
        return text
    if _BAD_PERCENT.search(text):
        return None
    try:
        return _unescape_valid(text).decode("utf-8")
    except UnicodeDecodeError:
        return None


def has_invalid_percent(text: str) -> bool:
    """True where a ``%`` is not followed by two hex digits."""
    return "%" in text and _BAD_PERCENT.search(text) is not None


def has_percent_escape(text: str) -> bool:
    """True where the text holds a ``%XX`` escape."""
    return "%" in text and _PERCENT_ESCAPE.search(text) is not None


def decodes_to_valid_utf8(text: str) -> bool:
    """True where the percent-decoded bytes of ``text`` are valid UTF-8."""
    if "%" not in text:
        return True
    try:
        unescape_bytes(text).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_pairs(query: str) -> list[tuple[str, str]]:
    """All name/value pairs of a query, as ``URLSearchParams`` lists them.

    The parser splits the same way while also keeping offsets (``parse``).
    """
    pairs: list[tuple[str, str]] = []
    for piece in query.split("&"):
        if piece:
            name, _, value = piece.partition("=")
            pairs.append((form_decode(name), form_decode(value)))
    return pairs


def encode_component(value: str) -> str:
    """Percent-encode as UTF-8, leaving only RFC 3986 unreserved characters bare.

    This is what the native SDK writes (upper-case hex), so browsers, the SDK
    and every common decoder read the same value back.
    """
    return quote(value.encode("utf-8"), safe="")


def encode_query(pairs: list[tuple[str, str]]) -> str:
    """Join pairs into a canonical query string."""
    return "&".join(f"{encode_component(name)}={encode_component(value)}" for name, value in pairs)
