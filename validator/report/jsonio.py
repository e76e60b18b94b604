"""JSON lines for the audit spool and the streamed formats: orjson where installed.

orjson (the ``audit`` extra) encodes a link record several times faster than
the standard library, which matters at a million links; the standard library
is the fallback, and takes over for text orjson refuses (lone surrogates from
a ``\\ud800`` escape in a scanned document).
"""

from __future__ import annotations

import json
from typing import Any

try:
    import orjson

    HAVE_ORJSON = True
except ImportError:  # pragma: no cover - the audit extra is not installed
    HAVE_ORJSON = False


def dumps(value: Any) -> str:
    """Compact JSON on one line (non-ASCII as it is with orjson, escaped without it)."""
    if HAVE_ORJSON:
        try:
            return orjson.dumps(value).decode("utf-8")
        except TypeError:
            pass
    return _stdlib_dumps(value)


def dumps_as_written(value: Any) -> str:
    """Compact JSON on one line with non-ASCII text as it is, whichever encoder writes it
    (the standard library's ``ensure_ascii=False`` where orjson is not installed or refuses
    the text): the same line either way."""
    if HAVE_ORJSON:
        try:
            return orjson.dumps(value).decode("utf-8")
        except TypeError:
            pass
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _stdlib_dumps(value: Any) -> str:
    # ASCII with \u escapes: a lone surrogate (which orjson refuses) stays valid JSON
    # that any UTF-8 reader can take.
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def dumps_bytes(value: Any) -> bytes:
    """:func:`dumps` as UTF-8 bytes (what a spool file holds)."""
    if HAVE_ORJSON:
        try:
            return orjson.dumps(value)
        except TypeError:
            pass
    return _stdlib_dumps(value).encode("ascii")


def loads(text: str | bytes) -> Any:
    if HAVE_ORJSON:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)
