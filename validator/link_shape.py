"""The everyday shape of a direct link's head, recognised without a parse.

``https://host[/base...]/direct/<app_id>?``: a lower-case host that is no IPv4
address (it ends in a letter, and no ``0x`` label could make it a number), no
``xn--`` label (the parser checks its Punycode), no port, user info, dot
segment, escape or trailing slash in the path. Such a head always parses as a
URL with that host and app id (``tests/test_link_shape.py`` holds it to the
parser), so the screen and the audit's link filter read both from the text.
"""

from __future__ import annotations

import re

#: Each path segment is matched possessively (a segment ends where a ``/`` or ``?`` starts,
#: which no segment holds), so finding ``/direct/`` never hands back characters one by one.
_HEAD = re.compile(r"https://[a-z0-9.-]*[a-z](?:/[A-Za-z0-9_-]++)*/direct/[A-Za-z0-9_-]++\?")
_SCHEME_END = len("https://")


def plain_head_end(text: str) -> int:
    """Where the query of ``text`` starts (just past the ``?``) if its head has the everyday
    shape, else -1."""
    head = _HEAD.match(text)
    if head is None:
        return -1
    end = head.end()
    # A 0x label may make the host an IPv4 address; an xn-- label must be valid Punycode.
    if "0x" in text[_SCHEME_END:end] or "xn--" in text[_SCHEME_END:end]:
        return -1
    return end


def head_host(text: str) -> str:
    """The host of a link whose head has the everyday shape (as the parser serialises it)."""
    return text[_SCHEME_END : text.index("/", _SCHEME_END)]


def head_app_id(text: str, query_start: int) -> str:
    """The app id of a link whose head has the everyday shape and ends at ``query_start``."""
    return text[text.rindex("/", 0, query_start) + 1 : query_start - 1]
