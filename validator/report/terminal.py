"""The one rendering of user-controlled text for a terminal.

Links, decoded values, file names, JSON paths and messages that quote them can
hold anything: ESC starting an OSC sequence that sets the window title or
writes the clipboard, a CSI sequence that moves the cursor, CR or a newline
that forges a ``file:1:1`` finding line, a bidi override (U+202E) that shows
``evil.com/moc.elgoog`` the wrong way round, a zero-width space that hides a
difference. Every text renderer passes such text through :func:`terminal_text`,
TTY or not, so none of it reaches the terminal raw: each such character is
shown as a Python-style escape (``\\x1b``, ``\\n``, ``\\u202e``).

Machine formats (JSON, SARIF, JUnit, HTML) keep their own escaping.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from validator.patterns import lazy_pattern

#: Letters that render as nothing in most fonts (Hangul fillers, Mongolian
#: vowel separator): shown as escapes like the format characters.
INVISIBLE_LETTERS: Final = frozenset("\u115f\u1160\u3164\uffa0\u180e")

#: Unicode categories shown as escapes: controls (C0, DEL, C1), format
#: characters (bidi overrides and isolates, zero-width characters, soft
#: hyphen, BOM), line and paragraph separators, lone surrogates.
ESCAPED_CATEGORIES: Final = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})

_SHORT_ESCAPES: Final = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}

# Everything outside printable ASCII is a candidate; the category decides. Compiled when
# a text is not printable ASCII.
_CANDIDATE = lazy_pattern(r"[^\x20-\x7e]")


def is_unsafe(ch: str) -> bool:
    """Whether the single character ``ch`` must not reach a terminal as itself."""
    if " " <= ch <= "~":
        return False
    return ch in INVISIBLE_LETTERS or unicodedata.category(ch) in ESCAPED_CATEGORIES


def escape(ch: str) -> str:
    """The visible escape of one character (``\\x1b``, ``\\u202e``, ``\\U000e0001``)."""
    if ch in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[ch]
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def terminal_char(ch: str) -> str:
    """``ch`` itself when it is safe on a terminal, else its escape."""
    return escape(ch) if is_unsafe(ch) else ch


def _replace(match: re.Match[str]) -> str:
    return terminal_char(match.group())


def terminal_text(text: str) -> str:
    """``text`` with every control, bidi, zero-width and lone surrogate character escaped.

    The result holds no character a terminal acts on, so it can be printed
    whether or not the output is a TTY. Newlines are escaped too: callers
    render each user-controlled piece, never a whole multi-line block.
    """
    if text.isascii() and text.isprintable():
        return text
    return _CANDIDATE().sub(_replace, text)
