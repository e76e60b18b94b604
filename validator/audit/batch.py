"""The batch rules: DL310 ``ranstr-reused`` looks across every link of an audit.

The tasks send a 64-bit hash of each ``ranstr`` (:func:`ranstr_hash`), and only
links whose hash repeats are read back from the spool and compared. The
finding's name and severity come from the rules engine (config applied), and
its message from the rule, naming the other links' locations.

Suppressions (inline comments, per-file ignores, the baseline) apply to DL310
as to any finding: once the reused ``ranstr`` values are known, their links
are read back once more and each finding the suppressions silence is left
out of the records and the counts; the comments that silenced one are used.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import Any

from validator.audit.spool import read_records
from validator.audit.tasks import Task
from validator.audit.worker import TaskResult, ranstr_hash
from validator.check import check_many
from validator.config import Config
from validator.report import jsonio
from validator.rules import BatchRule
from validator.rules.batch import RANSTR_REUSED
from validator.rules.selection import selected_rules
from validator.serialize import finding_to_dict
from validator.suppression import FileSuppressions, Suppressions

#: Other links' locations a DL310 message names.
SHOWN_LOCATIONS = RANSTR_REUSED.shown_places


@dataclass(slots=True)
class RanstrGroup:
    """The links sharing one ``ranstr``: how many, a few places, whether they differ."""

    ranstr: str
    count: int = 0
    texts: list[str] = field(default_factory=list)
    places: list[tuple[tuple[int, int], str]] = field(default_factory=list)
    clean_members: int = 0

    def add(self, key: tuple[int, int], record: Mapping[str, Any]) -> None:
        self.count += 1
        if len(self.texts) < 2 and record["url"] not in self.texts:
            self.texts.append(record["url"])
        if len(self.places) <= SHOWN_LOCATIONS:
            self.places.append((key, _where(record)))
        if not record["report"]["findings"]:
            self.clean_members += 1

    @property
    def reused(self) -> bool:
        """Two different links share it (the same link twice does not count)."""
        return len(self.texts) > 1


class BatchIndex:
    """Batch findings (DL310 ``ranstr-reused``) computed per record as records are read.

    Holds a 64-bit hash per link and a small summary per reused ``ranstr``, never
    the records themselves, so memory stays flat however many links share one.
    """

    def __init__(self, hashes: Mapping[int, array[int]], groups: Mapping[str, RanstrGroup],
                 template: dict[str, Any] | None) -> None:
        self._hashes = hashes
        self._groups = groups
        self._template = template
        self._reused_hashes = {ranstr_hash(ranstr) for ranstr, group in groups.items()
                               if group.reused} if template is not None else set()
        #: Links whose DL310 finding is suppressed, and how many of them had no other finding.
        self._silenced: set[tuple[int, int]] = set()
        self._silenced_clean = 0
        #: ``(path, line)`` of the suppression comments that silenced a DL310 finding.
        self.used_comments: set[tuple[str, int]] = set()

    @property
    def suppressed(self) -> int:
        """DL310 findings the suppressions left out."""
        return len(self._silenced)

    def apply(self, tasks: Sequence[Task], offsets: Mapping[int, bytes],
              suppressions: Suppressions) -> None:
        """Read the links of reused ``ranstr`` values back and note whose DL310 is suppressed."""
        if self._template is None or not self._reused_hashes:
            return
        for task, records in read_back(tasks, self._hashes, self._reused_hashes, offsets):
            rules: FileSuppressions | None = None
            for number, record in records:
                key = (task.index, number)
                if not self.findings_for(key, record):
                    continue
                if rules is None:
                    rules = suppressions.for_file(task.path, task.kind,
                                                  whole_file=task.end is None)
                if rules.silences(record, self._template):
                    self._silenced.add(key)
                    if not record["report"]["findings"]:
                        self._silenced_clean += 1
            if rules is not None:
                self.used_comments.update(rules.used_comments(task.path))

    def concerns(self, key: tuple[int, int]) -> bool:
        hashes = self._hashes.get(key[0])
        return hashes is not None and key[1] < len(hashes) and hashes[key[1]] in self._reused_hashes

    def findings_for(self, key: tuple[int, int], record: Mapping[str, Any]) -> list[dict[str, Any]]:
        if self._template is None or not self.concerns(key) or key in self._silenced:
            return []
        param = first_param(record, "ranstr")
        if param is None:
            return []
        ranstr, span = param
        group = self._groups.get(ranstr)
        if group is None or not group.reused:
            return []
        others = [where for place, where in group.places if place != key]
        finding = dict(self._template)
        finding["message"] = RANSTR_REUSED.message(ranstr, others, group.count - 1)
        finding["span"] = list(span)
        return [finding]

    def totals(self) -> tuple[int, int, str | None]:
        """(findings, links that had no finding before, severity)."""
        if self._template is None:
            return 0, 0, None
        reused = [group for group in self._groups.values() if group.reused]
        return (sum(group.count for group in reused) - len(self._silenced),
                sum(group.clean_members for group in reused) - self._silenced_clean,
                self._template["severity"])


def first_param(record: Mapping[str, Any], name: str) -> tuple[str, tuple[int, int]] | None:
    """The first parameter ``name`` of a record: its value and the span of the value."""
    for param in record["report"]["link"]["params"]:
        if param["name"] == name:
            start, end = param["span"]
            raw = param["raw"]
            equals = raw.find("=")
            value_start = start + equals + 1 if equals >= 0 else end
            return param["value"], (value_start, end)
    return None


def read_back(
    tasks: Sequence[Task], hashes: Mapping[int, array[int]], wanted: Set[int],
    offsets: Mapping[int, bytes],
) -> Iterator[tuple[Task, Iterator[tuple[int, dict[str, Any]]]]]:
    """Each task holding a link whose ranstr hash is in ``wanted``, with those records
    (number, record) read back from its spool; nothing is read for the others."""
    if not wanted:
        return
    for task in tasks:
        task_hashes = hashes.get(task.index)
        if task_hashes is None:
            continue
        numbers = [number for number, value in enumerate(task_hashes) if value in wanted]
        if numbers:
            lines = read_records(task.spool, numbers, offsets.get(task.index, b""))
            yield task, ((number, jsonio.loads(line)) for number, line in lines)


def batch_index(tasks: Sequence[Task], results: Sequence[TaskResult],
                 config: Config, suppressions: Suppressions | None = None) -> BatchIndex:
    """Find the links whose ``ranstr`` repeats (by hash), read only those back, group them;
    then leave out the DL310 findings ``suppressions`` silence."""
    hashes: dict[int, array[int]] = {}
    for result in results:
        values = array("q")
        values.frombytes(result.ranstr_hashes)
        hashes[result.index] = values
    repeated = repeated_hashes(results)
    offsets = {result.index: result.record_offsets for result in results}
    groups: dict[str, RanstrGroup] = {}
    for task, records in read_back(tasks, hashes, repeated, offsets):
        for number, record in records:
            param = first_param(record, "ranstr")
            if param is None:
                continue
            group = groups.setdefault(param[0], RanstrGroup(param[0]))
            group.add((task.index, number), record)
    template = reuse_template(groups, config)
    index = BatchIndex(hashes, groups, template)
    if suppressions is not None:
        index.apply(tasks, offsets, suppressions)
    return index


def reuse_template(groups: Mapping[str, RanstrGroup], config: Config) -> dict[str, Any] | None:
    """The rules engine's DL310 finding for one reused ``ranstr``: its name and severity
    (config overrides applied), or None where the configuration leaves the rule out."""
    sample = next((group for group in groups.values() if group.reused), None)
    if sample is None or not _batch_rules(config):
        return None
    reports = check_many(sample.texts, config=config)
    for finding in reports[0].findings:
        if finding.code == "DL310":
            return finding_to_dict(finding)
    return None


def _batch_rules(config: Config) -> tuple[BatchRule, ...]:
    return selected_rules(config)[1]


def _where(record: Mapping[str, Any]) -> str:
    location = record["location"]
    return f"{location['path']}:{location['line']}:{location['column']}"


def repeated_hashes(results: Sequence[TaskResult]) -> set[int]:
    every = array("q")
    for result in results:
        every.frombytes(result.ranstr_hashes)
    ordered = sorted(every)
    del every
    repeated: set[int] = set()
    for previous, current in itertools.pairwise(ordered):
        if previous == current and current != 0:
            repeated.add(current)
    return repeated


