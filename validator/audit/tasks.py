"""Planning an audit: one task per file, or per byte range of a large text file."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from validator.audit.spool import spool_path
from validator.extract.model import PathStatus, SourceKind
from validator.extract.text import sniff_encoding
from validator.extract.walk import SNIFF_BYTES, is_binary, shown_path, walk

#: Text files above this size are split into ranges of about this size, checked in
#: parallel. Small enough that the jobs finish together (a job is idle for at most one
#: range at the end), large enough that a range's fixed costs do not count.
SPLIT_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class PathResult:
    """What became of one path (see :mod:`validator.extract.guard`), why, and its links."""

    path: str
    status: PathStatus
    kind: SourceKind | None = None
    reason: str | None = None
    links: int = 0
    opaque: int = 0



@dataclass(frozen=True, slots=True)
class Task:
    """One unit of work: a file, or a byte range of a large text file, and its spool."""

    index: int
    path: str
    kind: SourceKind
    spool: str
    #: Byte range of a split text file, and the line its first byte is on.
    start: int = 0
    end: int | None = None
    first_line: int = 1
    encoding: str | None = None



def plan(
    paths: Iterable[str | os.PathLike[str]],
    include: Sequence[str],
    exclude: Sequence[str],
    spool_dir: str,
    *,
    respect_ignore_files: bool = True,
) -> tuple[list[Task], list[PathResult]]:
    """Tasks to run, and the paths already settled (skipped, unreadable)."""
    tasks: list[Task] = []
    settled: list[PathResult] = []
    for entry in walk(paths, include=include, exclude=exclude,
                      respect_ignore_files=respect_ignore_files):
        if entry.error is not None:
            settled.append(PathResult(shown_path(entry.path), "unreadable", None, entry.error))
            continue
        if entry.kind is None:
            settled.append(PathResult(shown_path(entry.path), "skipped", None,
                                      entry.skip_reason))
            continue
        for task in split(entry.path, entry.kind, len(tasks), spool_dir):
            tasks.append(task)
    return tasks, settled


def split(path: str, kind: SourceKind, first_index: int, spool_dir: str) -> Iterator[Task]:
    """One task for the file, or one per range of a large text file, cut after a newline."""

    def spool(index: int) -> str:
        return spool_path(spool_dir, index)

    try:
        size = os.path.getsize(path)
    except OSError:
        size = 0
    if kind != "text" or size <= SPLIT_BYTES:
        yield Task(first_index, path, kind, spool(first_index))
        return
    try:
        with open(path, "rb") as stream:
            head = stream.read(SNIFF_BYTES)
            encoding = sniff_encoding(head)
            if is_binary(head) or encoding not in ("utf-8", "utf-8-sig"):
                yield Task(first_index, path, kind, spool(first_index))
                return
            stream.seek(0)
            start, line, index = 0, 1, first_index
            while start < size:
                end = _cut_after_newline(stream, start + SPLIT_BYTES, size)
                yield Task(index, path, kind, spool(index), start, end, line,
                            "utf-8-sig" if start == 0 else "utf-8")
                line += _count_newlines(stream, start, end)
                start, index = end, index + 1
    except OSError:
        yield Task(first_index, path, kind, spool(first_index))


def _cut_after_newline(stream: BinaryIO, nominal: int, size: int) -> int:
    if nominal >= size:
        return size
    stream.seek(nominal)
    probe = stream.read(1 << 20)
    newline = probe.find(b"\n")
    if newline < 0:
        # No line end near: cut at a space (links have none), else do not cut.
        space = probe.find(b" ")
        return nominal + space + 1 if space >= 0 else size
    return nominal + newline + 1


def _count_newlines(stream: BinaryIO, start: int, end: int) -> int:
    stream.seek(start)
    count = 0
    remaining = end - start
    while remaining > 0:
        block = stream.read(min(1 << 22, remaining))
        if not block:
            break
        count += block.count(b"\n")
        remaining -= len(block)
    return count

