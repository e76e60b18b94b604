"""Batch rules across partitions: what one link's findings need from links on other workers.

* DL310 ``ranstr-reused``. Each partition gives the 64-bit hash of every
  link's ``ranstr`` (the local audit's :func:`~validator.audit.ranstr_hash`),
  counted and split into hash buckets; one task per bucket merges the
  partitions' counts, so no task ever holds them all; only the repeated
  values come back. Each partition then sends its links with a
  repeated hash, placed at their final locations, through a second shuffle
  keyed by hash; every group (all links that may share one ``ranstr``, in
  link order) runs the local audit's :class:`~validator.audit.BatchIndex`
  on the worker that holds it. The findings a link gets depend only on the
  links of its group, so they are those of one audit over every link.
* Cross-link signature diagnosis (hypothesis ``other-link-values``). A
  mismatch that no single-link hypothesis explains (and the local audit's
  window of earlier links in the same task did not either) is sent, without
  any secret, to every partition; each tries the ``sbs``/``ranstr`` of its
  links with the secret it already holds. The first match in link order
  wins, as in one batch of every link.
"""

from __future__ import annotations

import heapq
import itertools
import operator
import uuid
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import dask
from dask.delayed import delayed

from validator.audit import BatchIndex, RanstrGroup, first_param, reuse_template
from validator.config import Config
from validator.diagnose import hypothesis
from validator.distributed.partition import PartitionAudit, PartitionSummary, WorkerSettings
from validator.distributed.placement import Shift, place
from validator.parse import parse
from validator.record import cause_to_json
from validator.report import jsonio
from validator.signature import sign

#: Mismatches of unknown cause tried against every link of the run; more keep their cause.
MAX_CROSS_LINK_MISMATCHES = 1000
#: At most this many (mismatch, link) pairs are tried (up to 3 signatures each, ~3 us apiece:
#: about an hour of one core); on larger runs only the first mismatches are tried.
MAX_CROSS_LINK_PAIRS = 2_000_000_000
#: Check partitions per hash bucket when the ranstr hashes are shuffled ...
PARTITIONS_PER_BUCKET = 64
#: ... and at most this many buckets: a shuffle makes one small task per partition and bucket.
MAX_BUCKETS = 64

Key = tuple[int, int]
Member = tuple[int, Key, dict[str, Any]]


# DL310 ------------------------------------------------------------------------------


def count_hashes(partition: PartitionAudit, buckets: int) -> list[tuple[array[int], array[int]]]:
    """The partition's distinct ranstr hashes, ascending, and their counts, split into hash
    buckets (8 bytes a hash and 8 a count, as arrays)."""
    split = [(array("q"), array("q")) for _ in range(buckets)]
    for value, run in itertools.groupby(sorted(_hashes(partition))):
        values, counts = split[value % buckets]
        values.append(value)
        counts.append(sum(1 for _ in run))
    return split


def _hashes(partition: PartitionAudit) -> Iterator[int]:
    hashes = array("q")
    hashes.frombytes(partition.counts.ranstr_hashes)
    return (value for value in hashes if value)  # 0: the link has no ranstr


def repeated_in_bucket(pieces: Sequence[tuple[array[int], array[int]]]) -> list[int]:
    """Hashes of one bucket seen more than once over every partition (each piece ascending:
    they are merged as they come, never all held at once)."""
    merged = heapq.merge(*[zip(values, counts, strict=True) for values, counts in pieces])
    return [value for value, run in itertools.groupby(merged, key=operator.itemgetter(0))
            if sum(count for _, count in run) > 1]


def placed_members(
    partition: PartitionAudit, index: int, shift: Shift, repeated: frozenset[int],
    buckets: int,
) -> list[list[Member]]:
    """``(hash, (partition, record), record placed)`` of links whose hash repeats, by bucket."""
    hashes = array("q")
    hashes.frombytes(partition.counts.ranstr_hashes)
    members: list[list[Member]] = [[] for _ in range(buckets)]
    if not repeated.intersection(hashes):
        return members
    for number, (value, line) in enumerate(zip(hashes, partition.iter_lines(), strict=True)):
        if value in repeated:
            record = jsonio.loads(line.decode("utf-8"))
            record["location"] = place(record["location"], shift,
                                       partition.record_number(number))
            members[value % buckets].append((value, (index, number), record))
    return members


def bucket_groups(pieces: Sequence[list[Member]]) -> dict[str, RanstrGroup]:
    """The links of one bucket grouped by ``ranstr``, each group filled in link order.

    A group keeps what the DL310 finding says: how many links share the
    ``ranstr``, the first places, whether two different links do.
    """
    members = sorted((member for piece in pieces for member in piece),
                     key=lambda member: member[1])
    groups: dict[str, RanstrGroup] = {}
    for _, key, record in members:
        param = first_param(record, "ranstr")
        if param is not None:
            groups.setdefault(param[0], RanstrGroup(param[0])).add(key, record)
    return groups


def ranstr_reuse(
    persisted: Sequence[Any],
    summaries: Sequence[PartitionSummary],
    shifts: Sequence[Shift],
    config: Config,
) -> BatchIndex:
    """DL310 over every partition, as the local audit's :class:`~validator.audit.BatchIndex`.

    Two hash-partitioned shuffles made of plain tasks: every partition splits
    its distinct hashes into buckets (hash modulo the bucket count) and one
    task per bucket finds the repeated ones; then every partition splits its
    links with a repeated hash the same way and one task per bucket groups
    them by ``ranstr``. No task sees more than its bucket; the driver gets one
    small group per repeated ``ranstr``.
    """
    with_ranstr = [
        index for index, summary in enumerate(summaries)
        if any(array("q", summary.counts.ranstr_hashes))
    ]
    groups: dict[str, RanstrGroup] = {}
    hashes: dict[int, array[int]] = {}
    if with_ranstr:
        buckets = min(MAX_BUCKETS, max(1, len(with_ranstr) // PARTITIONS_PER_BUCKET))
        counted = [delayed(count_hashes)(persisted[index], buckets) for index in with_ranstr]
        repeated_lists = dask.compute(*[
            delayed(repeated_in_bucket)([split[bucket] for split in counted])
            for bucket in range(buckets)
        ])
        repeated = frozenset(value for values in repeated_lists for value in values)
        if repeated:
            shared = delayed(repeated, name=f"repeated-ranstr-hashes-{uuid.uuid4().hex}")
            split_members = [
                delayed(placed_members)(persisted[index], index, shifts[index], shared, buckets)
                for index in with_ranstr
            ]
            for found in dask.compute(*[
                delayed(bucket_groups)([split[bucket] for split in split_members])
                for bucket in range(buckets)
            ]):
                groups.update(found)
            for index in with_ranstr:
                values = array("q", summaries[index].counts.ranstr_hashes)
                if repeated.intersection(values):
                    hashes[index] = values
    return BatchIndex(hashes, groups, reuse_template(groups, config))


# Cross-link signature diagnosis --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A signature mismatch of unknown cause, sent to every partition (no secret in it)."""

    partition: int
    record: int
    sbs: str
    ranstr: str
    given: str
    app_id: str | None


_WHAT = ("the sbs", "the ranstr", "the sbs and ranstr")


def cross_link_matches(
    partition: PartitionAudit, index: int, shift: Shift, mismatches: Sequence[Mismatch],
    settings: WorkerSettings,
) -> list[tuple[int, int, int, str]]:
    """``(mismatch, record, option, where)`` where a link's values reproduce a mismatch.

    Options are those of the ``other-link-values`` hypothesis, in its order:
    0 the other link's ``sbs``, 1 its ``ranstr``, 2 both; the first link of
    the partition that matches is kept.
    """
    keyed: list[tuple[int, Mismatch, str, set[str], Any]] = []
    for position, mismatch in enumerate(mismatches):
        secret = settings.keyring.for_app(mismatch.app_id)
        if secret is not None:
            given = mismatch.given.strip()
            keyed.append((position, mismatch, sign(mismatch.sbs, mismatch.ranstr, secret),
                          {given, given.lower()}, secret))
    # One link at a time, each tried against the mismatches not matched yet: the first link
    # that matches a mismatch is the one an outer loop over mismatches would find, and the
    # partition's records are never all in memory.
    hits: list[tuple[int, int, int, str]] = []
    for number, record in enumerate(partition.records()):
        if not keyed:
            break
        link = parse(record["url"])
        unmatched = []
        for item in keyed:
            position, mismatch, expected, accepted, secret = item
            option = None
            if (index, number) != (mismatch.partition, mismatch.record):
                option = _matching_option(mismatch, link.sbs, link.ranstr, expected, accepted,
                                          secret)
            if option is None:
                unmatched.append(item)
                continue
            location = place(record["location"], shift, partition.record_number(number))
            where = f"{location['path']}:{location['line']}:{location['column']}"
            if location.get("part"):
                where += f" ({location['part']})"
            hits.append((position, number, option, where))
        keyed = unmatched
    return sorted(hits)


def _matching_option(mismatch: Mismatch, other_sbs: str | None, other_ranstr: str | None,
                     expected: str, accepted: set[str], secret: Any) -> int | None:
    options: list[tuple[int, str, str]] = []
    if other_sbs is not None and other_sbs != mismatch.sbs:
        options.append((0, other_sbs, mismatch.ranstr))
    if other_ranstr is not None and other_ranstr != mismatch.ranstr:
        options.append((1, mismatch.sbs, other_ranstr))
    if (other_sbs is not None and other_ranstr is not None and other_sbs != mismatch.sbs
            and other_ranstr != mismatch.ranstr):
        options.append((2, other_sbs, other_ranstr))
    for option, sbs, ranstr in options:
        digest = sign(sbs, ranstr, secret)
        if digest != expected and digest in accepted:
            return option
    return None


def cross_link_causes(
    persisted: Sequence[Any],
    summaries: Sequence[PartitionSummary],
    shifts: Sequence[Shift],
    settings: WorkerSettings,
) -> dict[Key, dict[str, str]]:
    """``signature_cause`` for mismatches another link of any partition explains."""
    links = sum(summary.counts.links for summary in summaries)
    budget = min(MAX_CROSS_LINK_MISMATCHES, MAX_CROSS_LINK_PAIRS // max(1, links))
    mismatches = [
        Mismatch(index, number, sbs, ranstr, given, app_id)
        for index, summary in enumerate(summaries)
        for number, sbs, ranstr, given, app_id in summary.unexplained
    ][:budget]
    if not mismatches:
        return {}
    hits_per_partition = dask.compute(*[
        delayed(cross_link_matches)(partition, index, shifts[index], mismatches, settings)
        for index, partition in enumerate(persisted)
    ])
    described = hypothesis("other-link-values").description
    causes: dict[Key, dict[str, str]] = {}
    for hits in hits_per_partition:
        for position, _number, option, where in hits:
            mismatch = mismatches[position]
            key = (mismatch.partition, mismatch.record)
            if key in causes:
                continue  # partitions are in link order: the first match wins
            causes[key] = cause_to_json(
                "other-link-values",
                f"{described[0].upper()}{described[1:]} ({_WHAT[option]} of the link at {where}).",
            )
    return causes
