"""The spool: one file of JSON lines per task, the checked links in order.

A task writes each record as one line and remembers where it starts, so the
batch rules read back only the lines they need (:func:`read_records`), and
:class:`~validator.audit.result.AuditResult` streams them all in order
(:func:`numbered_lines`) without holding them in memory.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterator, Sequence


def spool_path(spool_dir: str, index: int) -> str:
    """Where task ``index`` writes its records."""
    return os.path.join(spool_dir, f"{index:08d}.jsonl")


def numbered_lines(spool: str) -> Iterator[tuple[int, str]]:
    """``(number, line)`` for every record of a spool (none where it was never written)."""
    if not os.path.exists(spool):
        return
    with open(spool, encoding="utf-8") as stream:
        yield from enumerate(stream)


def read_records(spool: str, numbers: Sequence[int],
                  offsets_bytes: bytes) -> Iterator[tuple[int, bytes]]:
    """The spool lines ``numbers`` (ascending): by their offsets where known, else by reading on."""
    offsets = array("q")
    offsets.frombytes(offsets_bytes)
    with open(spool, "rb") as stream:
        if offsets:
            for number in numbers:
                stream.seek(offsets[number])
                yield number, stream.readline()
            return
        wanted = set(numbers)
        for number, line in enumerate(stream):
            if number in wanted:
                yield number, line
