"""JSON and JSON Lines: every string value, with its JSON path.

A small tokenizer walks the document and keeps the path to each string, so
the location has both the line and column of the string in the file and the
JSON path (``$.items[2].url``). Escapes inside strings (``\\/``, ``\\u0026``)
are decoded by the candidate scanner. Malformed JSON is read as far as it
goes: a broken file still gets its links reported.

A path is written only for a string that holds a link, and at most
:data:`~validator.spec.MAX_JSON_PATH_STEPS` steps of it: a string 100,000
levels deep is placed as ``$[0][0]…(99,952 levels)…[0].url``, and a key keeps
at most :data:`~validator.spec.MAX_JSON_KEY_CHARS` characters, so neither time
nor memory grows with depth or key length times links.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import BinaryIO

from validator import spec
from validator.extract.candidates import LinkFilter, iter_candidates
from validator.extract.model import Location, SourceKind
from validator.extract.text import Found, PositionTracker, decode_errors, found

#: Steps kept from the top of a path that is too deep to write whole.
_HEAD_STEPS = 8

_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"?|[{}\[\],:]|[^\s{}\[\],:"]+')
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _key_step(key: str) -> str:
    if len(key) > spec.MAX_JSON_KEY_CHARS:
        hidden = len(key) - spec.MAX_JSON_KEY_CHARS
        key = f"{key[:spec.MAX_JSON_KEY_CHARS]}…(+{hidden:,} characters)"
    elif _IDENTIFIER.fullmatch(key):
        return "." + key
    escaped = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"['{escaped}']"


def _decode_key(token: str) -> str:
    import json

    try:
        value = json.loads(token)
    except ValueError:
        return token.strip('"')
    return value if isinstance(value, str) else token.strip('"')


def scan_json(
    text: str,
    *,
    path: str,
    link_filter: LinkFilter,
    kind: SourceKind = "json",
    first_line: int = 1,
) -> Iterator[Found]:
    """Links in string values of one or more JSON documents in ``text``."""
    tracker = PositionTracker(text, first_line)
    # Each frame: [is_object, path so far, current key step or index, expecting a key].
    stack: list[list[object]] = []

    def steps(frames: list[list[object]]) -> str:
        parts = []
        for is_object, _, step, _ in frames:
            if is_object:
                if isinstance(step, str):
                    parts.append(step)
            else:
                parts.append(f"[{step}]")
        return "".join(parts)

    def current_path() -> str:
        depth = len(stack)
        if depth <= spec.MAX_JSON_PATH_STEPS:
            return "$" + steps(stack)
        tail = spec.MAX_JSON_PATH_STEPS - _HEAD_STEPS
        hidden = depth - _HEAD_STEPS - tail
        return f"${steps(stack[:_HEAD_STEPS])}…({hidden:,} levels)…{steps(stack[-tail:])}"

    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first == "{":
            stack.append([True, None, None, True])
        elif first == "[":
            stack.append([False, None, 0, False])
        elif first in "}]":
            if stack:
                stack.pop()
        elif first == ",":
            if stack:
                frame = stack[-1]
                if frame[0]:
                    frame[3] = True
                elif isinstance(frame[2], int):
                    frame[2] += 1
        elif first == ":":
            if stack:
                stack[-1][3] = False
        elif first == '"':
            if stack and stack[-1][0] and stack[-1][3]:
                stack[-1][2] = _key_step(_decode_key(token))
                continue
            for candidate in iter_candidates(token, 1):
                line, column = tracker.at(match.start() + candidate.start)
                location = Location(path, line, column, kind, current_path())
                item = found(candidate.url, location, link_filter,
                             candidate.written == candidate.url)
                if item is not None:
                    yield item


def scan_jsonl(
    stream: BinaryIO, *, path: str, link_filter: LinkFilter, encoding: str = "utf-8"
) -> Iterator[Found]:
    """JSON Lines, one record at a time: the file is never read whole."""
    lines: Iterator[str]
    if encoding.startswith("utf-8"):
        errors = decode_errors(encoding)
        lines = (raw_line.decode(encoding, errors) for raw_line in stream)
    else:
        # UTF-16/32: a newline is more than one byte, so split decoded text.
        lines = io.TextIOWrapper(stream, encoding, errors="replace", newline="")
    for number, line in enumerate(lines, start=1):
        if "://" not in line:
            continue
        yield from scan_json(line, path=path, link_filter=link_filter, kind="jsonl",
                             first_line=number)
