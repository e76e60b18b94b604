"""Findings a project chose not to see: inline comments, per-file ignores, a baseline.

- An inline comment ``directlink: ignore[DL313]`` (codes, prefixes or rule names,
  comma-separated; bare ``directlink: ignore`` means every rule) on the link's
  line or the line before, written in the file kind's own comment syntax:
  ``<!-- … -->`` in HTML, Markdown and e-mail, ``#``, ``//``, ``/* */``,
  ``--``, ``;`` or a template comment (``{# #}``, ``{{! }}``) in text, a
  ``#`` line in CSV/TSV, and in JSON (which has no comments) a string member
  such as ``"_comment": "directlink: ignore[DL202]"`` on that line.
- A file-level comment ``directlink: ignore-file[DL313]`` (or bare
  ``directlink: ignore-file``) anywhere in the file.
- ``per-file-ignores`` in the configuration: glob -> rules.
- A baseline: fingerprints of findings adopted as they are (``--baseline``);
  each fingerprint silences as many findings as it was recorded for.

A comment that silences nothing is reported as an unused suppression, as
ruff's RUF100 does, so stale comments do not pile up.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, BinaryIO

import pathspec

from validator.report.fingerprint import fingerprint

MARKER_BYTES = b"directlink:"
_MARKER = re.compile(
    r"directlink:\s*(?P<scope>ignore-file|ignore)\b(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE
)
#: What may stand before the marker, per kind of file: the opening of a comment.
_COMMENT_OPENERS: dict[str, re.Pattern[str]] = {
    "html": re.compile(r"<!--[^>]*$"),
    "markdown": re.compile(r"<!--[^>]*$"),
    "eml": re.compile(r"<!--[^>]*$|^\s*#\s*$"),
    "text": re.compile(r"(?:#|//|/\*|--|;|<!--|\{#|\{\{!|<%#|\{\*)[^\n]*$"),
    "csv": re.compile(r"^\s*#|\"?[^,\"]*$"),
    "tsv": re.compile(r"^\s*#|[^\t]*$"),
    "json": re.compile(r"\"[^\"]*$"),
    "jsonl": re.compile(r"\"[^\"]*$"),
}

BASELINE_VERSION = 1


class BaselineError(ValueError):
    """A baseline file that cannot be read or is not one."""


@dataclass(frozen=True)
class Marker:
    """One suppression comment: where, which selectors (empty: every rule), file-wide or not."""

    line: int
    selectors: tuple[str, ...]
    file_level: bool
    text: str


def find_markers(lines: Iterable[tuple[int, str]], kind: str) -> list[Marker]:
    """The suppression comments in ``(line number, text)`` pairs of a file of ``kind``."""
    opener = _COMMENT_OPENERS.get(kind, _COMMENT_OPENERS["text"])
    found: list[Marker] = []
    for number, text in lines:
        for match in _MARKER.finditer(text):
            if not opener.search(text[: match.start()]):
                continue  # not in a comment: "directlink: ignore" in a link's text does nothing
            selectors = tuple(item.strip() for item in (match.group("codes") or "").split(",")
                              if item.strip())
            found.append(Marker(number, selectors, match.group("scope").lower() == "ignore-file",
                                match.group(0)))
    return found


def read_markers(path: str, kind: str) -> list[Marker]:
    """The suppression comments of the file at ``path`` (read as bytes, a block at a time).

    A process reads a file once, however many ranges of it it checks (a split
    file's every range needs the file-level comments): the file's size and
    modification time are part of what is remembered.
    """
    if kind == "qr":
        return []
    try:
        status = os.stat(path)
    except OSError:
        return []
    return list(_markers_of(path, kind, status.st_size, status.st_mtime_ns))


@lru_cache(maxsize=16)
def _markers_of(path: str, kind: str, size: int, mtime_ns: int) -> tuple[Marker, ...]:
    try:
        with open(path, "rb") as stream:
            found = list(marker_lines(stream))
    except OSError:
        return ()
    return tuple(find_markers(found, kind))


def marker_lines(stream: BinaryIO, block_bytes: int = 1 << 20) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of each line of ``stream`` that holds :data:`MARKER_BYTES`
    in any ASCII case (``bytes.lower``), its line end included, as iterating over the
    lines would give.

    Blocks of whole lines are searched at once: looking at every line of a large log
    cost an audit more than the suppressions it found.
    """
    number = 1
    rest = b""
    while True:
        data = stream.read(block_bytes)
        chunk = rest + data
        cut = len(chunk) if not data else chunk.rfind(b"\n") + 1
        lines, rest = chunk[:cut], chunk[cut:]
        lowered = lines.lower()
        at = lowered.find(MARKER_BYTES)
        while at >= 0:
            start = lines.rfind(b"\n", 0, at) + 1
            end = lines.find(b"\n", at)
            after = len(lines) if end < 0 else end + 1
            yield number + lines.count(b"\n", 0, start), lines[start:after].decode(
                "utf-8", "replace")
            at = lowered.find(MARKER_BYTES, after)  # a line is given once
        number += lines.count(b"\n")
        if not data:
            return


@dataclass(frozen=True)
class Suppressions:
    """What a run suppresses: per-file ignores, a baseline, and whether comments count."""

    #: (glob, codes) pairs; globs are gitignore-style, relative to ``root``.
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    root: str = "."
    baseline: Mapping[str, int] = field(default_factory=dict)
    inline: bool = True

    def for_file(self, path: str, kind: str, *, whole_file: bool = True) -> FileSuppressions:
        """The suppressions of one file (``whole_file``: unused comments can be told)."""
        relative = os.path.relpath(path, self.root).replace(os.sep, "/")
        ignored: set[str] = set()
        for pattern, codes in self.per_file_ignores:
            if pathspec.GitIgnoreSpec.from_lines([pattern]).match_file(relative):
                ignored |= codes
        markers = read_markers(path, kind) if self.inline else []
        return FileSuppressions(frozenset(ignored), markers, Counter(self.baseline), whole_file)


@dataclass
class FileSuppressions:
    """Applies the suppressions to one file's records, remembering which comments were used."""

    ignored_codes: frozenset[str]
    markers: list[Marker]
    baseline: Counter[str]
    whole_file: bool
    used: set[int] = field(default_factory=set)
    suppressed: int = 0

    @property
    def can_suppress(self) -> bool:
        """False where no ignore, comment or baseline entry applies to the file at all."""
        return bool(self.ignored_codes or self.markers or self.baseline)

    def apply(self, record: dict[str, Any]) -> dict[str, Any]:
        """``record`` without its suppressed findings (the same dict where none is)."""
        findings = record["report"]["findings"]
        if not findings:
            return record
        line = int(record["location"]["line"])
        kept = [finding for finding in findings if not self._suppresses(record, finding, line)]
        if len(kept) == len(findings):
            return record
        self.suppressed += len(findings) - len(kept)
        changed = {**record, "report": {**record["report"], "findings": kept}}
        changed.pop("text", None)  # the pre-rendered text showed the suppressed findings
        return changed

    def silences(self, record: Mapping[str, Any], finding: Mapping[str, Any]) -> bool:
        """Whether ``finding``, added to ``record`` later (a batch rule's), is suppressed."""
        if self._suppresses(record, finding, int(record["location"]["line"])):
            self.suppressed += 1
            return True
        return False

    def used_comments(self, path: str) -> list[tuple[str, int]]:
        """``(path, line)`` of each comment that silenced something."""
        return [(path, self.markers[index].line) for index in sorted(self.used)]

    def _suppresses(self, record: Mapping[str, Any], finding: Mapping[str, Any],
                    line: int) -> bool:
        code = finding["code"]
        if code in self.ignored_codes:
            return True
        for index, marker in enumerate(self.markers):
            applies = marker.file_level or marker.line in (line, line - 1)
            if applies and _selects(marker.selectors, code, finding.get("name", "")):
                self.used.add(index)
                return True
        if not self.baseline:
            return False  # no baseline: no fingerprint to compute (a digest per finding)
        key = fingerprint(str(record["location"]["path"]), code, str(record["url"]))
        if self.baseline.get(key, 0) > 0:
            self.baseline[key] -= 1
            return True
        return False

    def unused(self, path: str) -> list[dict[str, Any]]:
        """The comments that silenced nothing (none are told for part of a split file)."""
        if not self.whole_file:
            return []
        return [{"path": path, "line": marker.line, "comment": marker.text}
                for index, marker in enumerate(self.markers) if index not in self.used]


def _selects(selectors: tuple[str, ...], code: str, name: str) -> bool:
    if not selectors:
        return True
    for selector in selectors:
        text = selector.strip()
        if text.upper() == "ALL" or code.startswith(text.upper()) or text.lower() == name:
            return True
    return False


# Baseline files ------------------------------------------------------------------------------


def baseline_counts(records: Iterable[Mapping[str, Any]]) -> Counter[str]:
    """The fingerprint of every finding in ``records``, with how often it occurs."""
    counts: Counter[str] = Counter()
    for record in records:
        for finding in record["report"]["findings"]:
            counts[fingerprint(str(record["location"]["path"]), finding["code"],
                               str(record["url"]))] += 1
    return counts


def write_baseline(path: str, counts: Mapping[str, int]) -> None:
    """Write a baseline file: fingerprints only, so it holds no link and no customer data."""
    document = {"version": BASELINE_VERSION, "tool": "directlink",
                "fingerprints": dict(sorted(counts.items()))}
    with open(path, "w", encoding="utf-8", newline="\n") as stream:
        json.dump(document, stream, indent=2)
        stream.write("\n")


def read_baseline(path: str) -> dict[str, int]:
    """The fingerprints of a baseline file; :class:`BaselineError` for anything else."""
    try:
        with open(path, encoding="utf-8") as stream:
            document = json.load(stream)
    except FileNotFoundError:
        raise BaselineError(f"baseline {path}: file does not exist "
                            "(write one with --write-baseline)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(f"baseline {path}: cannot be read: {error}") from None
    except json.JSONDecodeError as error:
        raise BaselineError(f"baseline {path}:{error.lineno}:{error.colno}: not valid JSON: "
                            f"{error.msg}") from None
    fingerprints = document.get("fingerprints") if isinstance(document, dict) else None
    if (not isinstance(document, dict) or document.get("version") != BASELINE_VERSION
            or not isinstance(fingerprints, dict)
            or not all(isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
                       and v > 0 for k, v in fingerprints.items())):
        raise BaselineError(f"baseline {path}: not a directlink baseline (version "
                            f"{BASELINE_VERSION}, fingerprints: counts)")
    return dict(fingerprints)
