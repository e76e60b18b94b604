"""From positions inside a partition to positions in the whole source.

A text block counts lines from its own first line and a bag partition
counts records from its own first record; once every partition has said how
many newlines or records it holds, a prefix sum per file or bag gives each
partition its :class:`Shift`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

PartitionKind = Literal["block", "whole", "bag", "column"]


@dataclass(frozen=True, slots=True)
class Shift:
    """What to add to a partition's relative positions: lines, or records before it."""

    lines: int = 0
    records: int = 0
    is_bag: bool = False


def shifts(
    partitions: Sequence[tuple[PartitionKind, str]], sizes: Sequence[tuple[int, int]]
) -> list[Shift]:
    """One :class:`Shift` per partition, in order.

    ``partitions`` are ``(kind, path)``; ``sizes`` are ``(newlines, records)``
    of each partition. Blocks of one file and partitions of one bag are in
    source order, as the planner makes them.
    """
    result: list[Shift] = []
    lines_before: dict[str, int] = {}
    records_before: dict[str, int] = {}
    for (kind, path), (newlines, records) in zip(partitions, sizes, strict=True):
        if kind == "block":
            lines = lines_before.get(path, 0)
            lines_before[path] = lines + newlines
            result.append(Shift(lines=lines))
        elif kind == "bag":
            before = records_before.get(path, 0)
            records_before[path] = before + records
            result.append(Shift(records=before, is_bag=True))
        else:
            result.append(Shift())
    return result


def place(location: dict[str, Any], shift: Shift, record_number: int) -> dict[str, Any]:
    """A record's location dict made absolute (a bag's record named in ``part``, 1-based)."""
    placed = dict(location)
    placed["line"] = location["line"] + shift.lines
    if shift.is_bag:
        placed["part"] = f"record {shift.records + record_number + 1}"
    return placed
