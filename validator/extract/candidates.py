"""Find URL-shaped text in a string, decode it as the document means it, and decide what counts.

A candidate starts at ``http://`` or ``https://`` (also JSON-escaped as
``https:\\/\\/``) and runs to the first character that cannot be part of a
link in running text. The character before it decides the delimiter: a link
after a quote ends at the same quote, after ``(`` at the unbalanced ``)``,
after ``<`` at ``>``. Trailing punctuation a sentence puts after a link is
not part of it, as mail clients and chat apps decide too.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from typing import NamedTuple

from validator import spec
from validator.extract.unwrap import Opaque, unwrap
from validator.link_shape import plain_head_end
from validator.model import DirectLink, new_named_tuple
from validator.parse import parse

#: A link longer than this is cut: no browser or mail client keeps more.
MAX_LINK_CHARS = spec.MAX_LINK_CHARS

# Runs of ordinary characters at once; "=" alone or opening a "<placeholder>". Possessive
# (nothing follows the body, so it never gives back characters): no backtracking state.
_BODY = r"(?:[^\s\"'<>`\\=]++|=(?:<[A-Za-z_][\w-]{0,40}>)?|\\/|\\u[0-9A-Fa-f]{4}|')*+"
_SEPARATOR = r":(?://|\\/\\/)"
#: A candidate with its scheme spelt in any case (``HTTPS``, ``Http``, also ``httpſ``:
#: under IGNORECASE ``s`` matches U+017F LONG S, and h, t, p only their capitals).
CANDIDATE = re.compile(r"(?i:https?)" + _SEPARATOR + _BODY)
# Two patterns for speed: the case-insensitive scheme gives re no literal prefix to skip
# ahead to, so CANDIDATE tries a match at every character of the text. This one starts
# with the literal "http", which re finds by a fast string search; it finds the same
# candidates as CANDIDATE in any text where _OTHER_CASE_SCHEME finds nothing.
_LOWER_CASE_CANDIDATE = re.compile(r"https?" + _SEPARATOR + _BODY)
# A separator right after a scheme CANDIDATE takes that is not "http" or "https" as written
# (re skips to each ":", a literal). Where there is none, every candidate's scheme is one of
# those two: a candidate's separator follows its scheme, four or five letters before.
_OTHER_CASE_SCHEME = re.compile(
    r":(?=//|\\/\\/)(?<!http:)(?<!https:)(?:(?<=(?i:http):)|(?<=(?i:https):))"
)
_JSON_ESCAPE = re.compile(r"\\(?:/|u([0-9A-Fa-f]{4})(?:\\u([0-9A-Fa-f]{4}))?)")
_TRAILING = ".,;:!?'*"
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_QUOTES = {'"': '"', "'": "'", "(": ")", "<": ">", "[": "]", "`": "`"}


class Candidate(NamedTuple):
    """A URL-shaped piece of text: its offset in the scanned string, as written and as meant."""

    start: int
    end: int
    written: str
    url: str


def _decode_json_escapes(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return "/"
        high = int(match.group(1), 16)
        if match.group(2) is not None:
            low = int(match.group(2), 16)
            if 0xD800 <= high < 0xDC00 and 0xDC00 <= low < 0xE000:
                return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            return chr(high) + chr(low)
        return chr(high)

    return _JSON_ESCAPE.sub(replace, text)


def _trim(text: str, opener: str | None) -> str:
    closer = _QUOTES.get(opener) if opener else None
    if closer is not None:
        cut = text.find(closer)
        if closer == ")":
            cut = _unbalanced_close(text)
        if cut >= 0:
            text = text[:cut]
    elif "'" in text:
        # Without an opening quote, a quote ends the link only at its end.
        text = text.rstrip("'")
    while text:
        last = text[-1]
        unbalanced = last in _CLOSERS and text.count(last) > text.count(_CLOSERS[last])
        if last in _TRAILING or unbalanced:
            text = text[:-1]
        else:
            break
    return text


def _unbalanced_close(text: str) -> int:
    depth = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return index
            depth -= 1
    return -1


def iter_candidates(text: str, start: int = 0, end: int | None = None) -> Iterator[Candidate]:
    """Every URL-shaped candidate in ``text[start:end]``."""
    stop = len(text) if end is None else end
    other_case = _OTHER_CASE_SCHEME.search(text, start, stop) is not None
    pattern = CANDIDATE if other_case else _LOWER_CASE_CANDIDATE
    for match in pattern.finditer(text, start, stop):
        begin = match.start()
        opener = text[begin - 1] if begin > 0 else None
        written = _trim(match.group()[:MAX_LINK_CHARS], opener)
        if len(written) <= len("https://"):
            continue
        url = _decode_json_escapes(written) if "\\" in written else written
        yield new_named_tuple(Candidate, (begin, begin + len(written), written, url))


class Accepted(NamedTuple):
    url: str
    wrappers: tuple[str, ...]
    wrapped_url: str | None


class LinkFilter:
    """Decides which URLs are direct links: configured hosts, else a ``/direct/<id>`` path."""

    __slots__ = ("hosts", "last", "suffixes")

    def __init__(self, hosts: Collection[str] | None = None) -> None:
        """``hosts`` as the config's ``allowed-hosts``: ``*.example.com`` takes sub-domains."""
        names = [host.lower() for host in hosts or ()]
        self.hosts = frozenset(name for name in names if not name.startswith("*.")) or None
        self.suffixes = tuple(name[1:] for name in names if name.startswith("*."))
        if self.hosts is None and self.suffixes:
            self.hosts = frozenset()
        #: The last URL parsed and its parse, so a caller checking it need not parse again.
        self.last: tuple[str, DirectLink] | None = None

    def parsed(self, url: str) -> DirectLink | None:
        """The parse of ``url`` where it was the last URL this filter looked at."""
        last = self.last
        return last[1] if last is not None and last[0] == url else None

    def host_allowed(self, host: str) -> bool:
        assert self.hosts is not None
        return host in self.hosts or any(host.endswith(suffix) for suffix in self.suffixes)

    def counts(self, url: str) -> bool:
        if self.hosts is None:
            if plain_head_end(url) >= 0:
                # A head of the everyday shape parses as a URL with an app id: no parse
                # here (the check reads such a link from its text).
                self.last = None
                return True
            if "direct" not in url.lower():
                return False
        link = parse(url)
        self.last = (url, link)
        if not link.is_url:
            return False
        if self.hosts is not None:
            return self.host_allowed(link.host or "")
        return link.app_id is not None

    def classify(self, url: str) -> Accepted | Opaque | None:
        """The direct link ``url`` means (unwrapped), an opaque tracker, or None."""
        if self.counts(url):
            return new_named_tuple(Accepted, (url, (), None))
        result = unwrap(url)
        if isinstance(result, Opaque):
            return result
        if result.wrappers and self.counts(result.url):
            return Accepted(result.url, result.wrappers, url)
        return None
