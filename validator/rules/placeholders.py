"""Unexpanded template placeholders: ``{SESSION_ID}``, ``{{sbs}}``, ``${sbs}``, ``<sbs>`` ...

Shared by DL511 (which reports them) and the rules that would otherwise
report the same text a second time (DL004 for the app id).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

from validator.patterns import lazy_pattern

# The two patterns are compiled on first use: verbose alternations take milliseconds to
# compile, and most runs meet no text that could hold a placeholder. Each ends on its
# last token, not on a comment or blank, so that no edit of its end goes unseen.
_PLACEHOLDER = lazy_pattern(
    r"""
      \{\{\s*[A-Za-z_][\w.\-]*\s*\}\}     # {{sbs}}, {{ user.id }}
    | \$\{\s*[A-Za-z_][\w.\-]*\s*\}       # ${sbs}
    | \{[A-Za-z_][\w.\-]*\}               # {SESSION_ID}
    | <[A-Za-z_][\w.\-]*>                 # <sbs>
    | %%[A-Za-z_]\w*%%                    # %%SBS%%
    | \bYOUR_[A-Z0-9_]*[A-Z0-9]           # YOUR_APP_ID
    # :chatid, a route parameter left as is:
    | ^:[A-Za-z_]\w*$""",
    re.VERBOSE,
)


def find_placeholder(text: str) -> str | None:
    """The first placeholder in ``text`` (also when it is still percent-encoded), or None."""
    if not text or not (
        "{" in text or "<" in text or "%" in text or "YOUR_" in text or text[0] == ":"
    ):
        return None
    return _find_placeholder(text)


@lru_cache(maxsize=4096)
def _find_placeholder(text: str) -> str | None:
    pattern = _PLACEHOLDER()
    match = pattern.search(text)
    if match is None and "%" in text:
        match = pattern.search(unquote(text))
    return None if match is None else match.group(0)


def is_placeholder(text: str) -> bool:
    return find_placeholder(text) is not None


_RAW_PLACEHOLDER = lazy_pattern(
    r"""
      \{\{\s*[A-Za-z_][\w.\-]*\s*\}\}
    | \$\{\s*[A-Za-z_][\w.\-]*\s*\}
    | \{[A-Za-z_][\w.\-]*\}
    | %7B%7B[A-Za-z_][\w.\-]*%7D%7D
    | %7B[A-Za-z_][\w.\-]*%7D
    | <[A-Za-z_][\w.\-]*>
    | %3C[A-Za-z_][\w.\-]*%3E
    | %%[A-Za-z_]\w*%%
    | \bYOUR_[A-Z0-9_]*[A-Z0-9]""",
    re.VERBOSE | re.IGNORECASE,
)


_HINTS = ("{", "<", "%%", "%7B", "%7b", "%3C", "%3c", "YOUR_", "your_")


#: ``%%`` or an escaped ``%``, ``:``, ``<``, ``{``, ``_`` or letter of ``YOUR``/``your``:
#: a placeholder whose tell-tale characters are written as escapes (``%59OUR_NAME``,
#: ``%7Bsbs}``) reads as one once decoded.
_PERCENT_HINT = lazy_pattern(r"%(?:%|25|3[AaCc]|4[Ff]|5[259Ff]|6[Ff]|7[259Bb])")


def may_hold_placeholder(text: str) -> bool:
    """False where no placeholder can be in ``text``, raw or after decoding (a cheap test).

    Placeholders need ``{``, ``<``, ``YOUR``, ``%%`` or a ``:`` opening a value or
    path segment, written as such or with any of those characters percent-encoded.
    """
    return (
        "{" in text
        or "<" in text
        or "YOUR" in text
        or "your" in text
        or "=:" in text
        or "/:" in text
        or ("%" in text and _PERCENT_HINT().search(text) is not None)
    )


def find_raw_placeholders(text: str) -> list[tuple[int, int]]:
    """Spans of placeholders written anywhere in raw URL text (percent-encoded or not)."""
    if not any(hint in text for hint in _HINTS):
        return []
    return [match.span() for match in _RAW_PLACEHOLDER().finditer(text)]
