"""HTML: attribute URLs, meta refresh, link text and Outlook conditional comments.

Parsed with html5lib, a complete HTML5 parser, so character references decode
as a browser decodes them: ``&amp;`` is ``&``, while a bare ``&lang=`` or
``&copy=`` inside an attribute stays as written (the "historical reasons"
rule), though in text ``&copy`` is ``©``. Each token's end position is taken
from the tokenizer as the tree builder drives it (so ``<script>`` and
``<textarea>`` switch the tokenizer as in a browser) and mapped back to the
source, so every link has its exact line and column.

Tree building costs time in the depth of open elements (html5lib's scope
checks walk the stack), so a document nested deeper than
:data:`~validator.spec.MAX_HTML_DEPTH` elements is built only that deep: the
rest is tokenized flat, still switching to raw text inside ``<script>``,
``<style>``, ``<textarea>`` and the like as the tree builder would, and read
in linear time. Chromium's parser caps its tree at the same depth.
"""

from __future__ import annotations

import bisect
import html as html_entities
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from html5lib import HTMLParser
from html5lib._tokenizer import HTMLTokenizer
from html5lib.constants import tokenTypes

from validator import spec
from validator.extract.candidates import LinkFilter, iter_candidates
from validator.extract.model import Location, SourceKind
from validator.extract.text import Found, found

#: Attributes whose whole value is one URL.
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "poster", "cite", "data"})
_REFRESH_URL = re.compile(r"^\s*\d*(?:\.\d*)?\s*[;,]?\s*(?:url\s*=\s*)?['\"]?", re.IGNORECASE)
_NEWLINE = re.compile("\n")
_ATTRIBUTE = re.compile(
    r"""([^\s/>=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""",
)
_CHARACTERS = tokenTypes["Characters"]
_SPACES = tokenTypes["SpaceCharacters"]
_START_TAG = tokenTypes["StartTag"]
_END_TAG = tokenTypes["EndTag"]
_COMMENT = tokenTypes["Comment"]
_PARSE_ERROR = tokenTypes["ParseError"]

#: The tokenizer state each raw-text element switches to, as the tree builder switches it.
_TEXT_STATES = {
    "title": "rcdataState",
    "textarea": "rcdataState",
    "style": "rawtextState",
    "xmp": "rawtextState",
    "iframe": "rawtextState",
    "noembed": "rawtextState",
    "noframes": "rawtextState",
    "script": "scriptDataState",
    "plaintext": "plaintextState",
}


class _RecordingTokenizer(HTMLTokenizer):  # type: ignore[misc]
    """The html5lib tokenizer, noting where each token ends in the source.

    Once the tree is ``max_depth`` open elements deep, the parser is given no
    more tokens: the rest are recorded flat (see the module's docstring).
    """

    def __init__(self, *args: Any, max_depth: int = spec.MAX_HTML_DEPTH, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recorded: list[tuple[dict[str, Any], tuple[int, int]]] = []
        self.max_depth = max_depth
        self.flattened = False

    def __iter__(self) -> Iterator[dict[str, Any]]:
        tokens = super().__iter__()
        tree = self.parser.tree if self.parser is not None else None
        for token in tokens:
            self.recorded.append((token, self.stream.position()))
            yield token
            if tree is not None and len(tree.openElements) >= self.max_depth:
                break
        else:
            return
        self.flattened = True
        for token in tokens:
            self.recorded.append((token, self.stream.position()))
            if token["type"] == _START_TAG and not token.get("selfClosing"):
                state = _TEXT_STATES.get(token["name"])
                if state is not None:
                    self.state = getattr(self, state)


class _RecordingParser(HTMLParser):  # type: ignore[misc]
    def __init__(self, *args: Any, max_depth: int = spec.MAX_HTML_DEPTH, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_depth = max_depth

    def _parse(self, stream: Any, innerHTML: bool = False, container: str = "div",
               scripting: bool = False, **kwargs: Any) -> None:
        # html5lib's own _parse, with the recording tokenizer.
        self.innerHTMLMode = innerHTML
        self.container = container
        self.scripting = scripting
        self.tokenizer = _RecordingTokenizer(stream, parser=self, max_depth=self.max_depth,
                                             **kwargs)
        self.reset()
        self.mainLoop()


@dataclass(slots=True)
class _Piece:
    decoded: str
    raw_start: int
    raw_end: int


def normalize_newlines(text: str) -> str:
    """Newlines as the HTML input stream sees them (line numbers unchanged)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def scan_html(
    text: str,
    *,
    path: str,
    link_filter: LinkFilter,
    kind: SourceKind = "html",
    part: str | None = None,
    max_depth: int = spec.MAX_HTML_DEPTH,
) -> Iterator[Found]:
    """Every direct link in an HTML document held in ``text``, in document order."""
    source = normalize_newlines(text)
    line_starts = [0]
    line_starts.extend(match.end() for match in _NEWLINE.finditer(source))
    parser = _RecordingParser(namespaceHTMLElements=False, max_depth=max_depth)
    parser.parse(source)
    tokenizer: _RecordingTokenizer = parser.tokenizer

    def offset_of(position: tuple[int, int]) -> int:
        line, column = position
        return line_starts[min(line, len(line_starts)) - 1] + column

    def location(offset: int) -> Location:
        line = bisect.bisect_right(line_starts, offset)
        return Location(path, line, offset - line_starts[line - 1] + 1, kind, None, part)

    results: list[tuple[int, Found]] = []
    run: list[_Piece] = []
    anchor_hrefs: list[str] = []
    previous_end = 0

    def flush_text() -> None:
        if not run:
            return
        decoded = "".join(piece.decoded for piece in run)
        starts: list[int] = []
        position = 0
        for piece in run:
            starts.append(position)
            position += len(piece.decoded)
        for candidate in iter_candidates(decoded):
            if anchor_hrefs and candidate.url in anchor_hrefs:
                continue  # the text of <a href=X> repeating X: one link, reported once
            index = bisect.bisect_right(starts, candidate.start) - 1
            piece = run[index]
            literal = piece.raw_end - piece.raw_start == len(piece.decoded)
            offset = piece.raw_start + (candidate.start - starts[index] if literal else 0)
            verbatim = source.startswith(candidate.url, offset)
            item = found(candidate.url, location(offset), link_filter, verbatim)
            if item is not None:
                results.append((offset, item))
        run.clear()

    for token, position in tokenizer.recorded:
        end = offset_of(position)
        kind_of = token["type"]
        if kind_of == _PARSE_ERROR:
            continue
        if kind_of in (_CHARACTERS, _SPACES):
            run.append(_Piece(token["data"], previous_end, end))
        elif kind_of == _START_TAG:
            flush_text()
            tag_start = _tag_start(source, token["name"], end)
            for offset, url in _attribute_links(source, tag_start, end, token):
                item = found(url, location(offset), link_filter, source.startswith(url, offset))
                if item is not None:
                    results.append((offset, item))
            if token["name"] == "a":
                href = token["data"].get("href")
                anchor_hrefs.append(href.strip() if isinstance(href, str) else "")
        elif kind_of == _END_TAG:
            flush_text()
            if token["name"] == "a" and anchor_hrefs:
                anchor_hrefs.pop()
        elif kind_of == _COMMENT:
            flush_text()
            results.extend(_comment_links(source, end, token["data"], location, link_filter))
        else:
            flush_text()
        previous_end = end
    flush_text()
    results.sort(key=lambda pair: pair[0])
    for _, item in results:
        yield item


def _tag_start(source: str, name: str, end: int) -> int:
    pattern = re.compile("<" + re.escape(name), re.IGNORECASE)
    start = source.rfind("<", 0, end)
    while start > 0 and not pattern.match(source, start):
        start = source.rfind("<", 0, start)
    return max(start, 0)


def _attribute_links(
    source: str, tag_start: int, tag_end: int, token: dict[str, Any]
) -> Iterator[tuple[int, str]]:
    """``(source offset, url)`` for each link in the tag's attributes."""
    values: dict[str, str] = token["data"]
    raw_offsets: dict[str, int] = {}
    name_end = tag_start + 1 + len(token["name"])
    for match in _ATTRIBUTE.finditer(source, name_end, tag_end):
        name = match.group(1).lower()
        if name in raw_offsets or match.group(2) is None:
            continue
        value_start = match.start(2)
        if source[value_start] in "\"'":
            value_start += 1
        raw_offsets[name] = value_start
    is_refresh = (
        token["name"] == "meta" and values.get("http-equiv", "").strip().lower() == "refresh"
    )
    for name, value in values.items():
        raw_start = raw_offsets.get(name, tag_start)
        if name in URL_ATTRIBUTES:
            stripped = value.strip()
            if stripped:
                lead = len(value) - len(value.lstrip())
                yield raw_start + lead, stripped
        elif is_refresh and name == "content":
            prefix = _REFRESH_URL.match(value)
            url = value[prefix.end() if prefix else 0 :].strip().rstrip("'\"")
            if url:
                yield _find_raw(source, raw_start, tag_end, url), url
        else:
            for candidate in iter_candidates(value):
                yield _find_raw(source, raw_start, tag_end, candidate.url), candidate.url


def _find_raw(source: str, start: int, end: int, url: str) -> int:
    """Where a decoded URL starts in raw source: its scheme is never entity-encoded in practice."""
    head = url[: url.find(":") + 1] if ":" in url else url[:8]
    found_at = source.find(head, start, end)
    return found_at if found_at >= 0 else start


def _comment_links(
    source: str,
    end: int,
    data: str,
    location: Any,
    link_filter: LinkFilter,
) -> Iterator[tuple[int, Found]]:
    """Links in comments: Outlook renders ``<!--[if mso]>`` blocks as HTML, entities and all."""
    start = source.rfind("<!--", 0, end)
    content_start = start + 4 if start >= 0 else end - len(data)
    for candidate in iter_candidates(data):
        url = html_entities.unescape(candidate.url) if "&" in candidate.url else candidate.url
        offset = content_start + candidate.start
        item = found(url, location(offset), link_filter, source.startswith(url, offset))
        if item is not None:
            yield offset, item
