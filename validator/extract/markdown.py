"""Markdown: inline links, reference definitions, autolinks and bare URLs.

A link destination is decoded as CommonMark decodes it: backslash escapes of
ASCII punctuation are undone and entity references (``&amp;``, with their
semicolon) are decoded. Bare URLs in running text are taken as written.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from validator.extract.candidates import LinkFilter, iter_candidates
from validator.extract.model import Location
from validator.extract.text import Found, PositionTracker, found

_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_DESTINATION_BEFORE = re.compile(r"(?:\]\(\s*<?|\]:[ \t]*<?|^\s*<)$")


def commonmark_destination(text: str) -> str:
    """A link destination as CommonMark reads it."""
    if "\\" in text:
        text = _BACKSLASH_ESCAPE.sub(r"\1", text)
    if "&" in text:
        text = _ENTITY.sub(lambda match: html.unescape(match.group()), text)
    return text


def scan_markdown(text: str, *, path: str, link_filter: LinkFilter) -> Iterator[Found]:
    tracker = PositionTracker(text)
    for candidate in iter_candidates(text):
        before = text[max(0, candidate.start - 40) : candidate.start]
        is_destination = _DESTINATION_BEFORE.search(before) is not None or before.endswith("<")
        url = commonmark_destination(candidate.url) if is_destination else candidate.url
        line, column = tracker.at(candidate.start)
        item = found(url, Location(path, line, column, "markdown"), link_filter,
                     url == candidate.written)
        if item is not None:
            yield item
