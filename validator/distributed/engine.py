"""The audit on a Dask cluster: the local audit's work spread over partitions, the same result.

Four passes, each a Dask computation on the current client (or Dask's
default scheduler when there is none):

1. **survey**: one small task per file reads its head (size, binary or
   not, encoding); the driver cuts plain-text files into blocks at newlines;
2. **check**: one task per block, whole file, bag partition or column
   partition, persisted on the workers: extract every link and check it
   exactly as the local audit does; only counts come back;
3. **batch rules across partitions** (:mod:`validator.distributed.batch`):
   DL310 through two shuffles keyed by the ``ranstr`` hash, and the
   cross-link signature diagnosis by sending unexplained mismatches to every
   partition;
4. **collect**: records come back one segment of a partition at a time
   (the driver's memory stays flat), placed at their absolute lines, into the same spool
   files and :class:`validator.audit.AuditResult` the local audit returns,
   so every report format works unchanged.

Secrets travel to workers only inside :class:`~validator.distributed.partition.WorkerSettings`:
``Secret`` objects pickle but print masked, and the Dask token is random,
so no task key carries a hash of a secret.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import dask
from dask.delayed import Delayed, delayed

from validator.audit import UNKNOWN_CAUSE, AuditResult, PathResult, TaskResult, summarise
from validator.check import keyring_of
from validator.config import Config
from validator.distributed import batch, partition, sources
from validator.distributed.partition import PartitionAudit, PartitionSummary, WorkerSettings
from validator.distributed.placement import PartitionKind, Shift, place, shifts
from validator.extract.model import PathStatus
from validator.extract.walk import PathEntry
from validator.keyring import Keyring
from validator.signature import Secret


@dataclass(slots=True)
class _Plan:
    tasks: list[Delayed] = field(default_factory=list)
    #: ``(kind, path)`` of each task, for the line and record shifts.
    partitions: list[tuple[PartitionKind, str]] = field(default_factory=list)
    settled: list[PathResult] = field(default_factory=list)

    def add(self, task: Delayed, kind: PartitionKind, path: str) -> None:
        self.tasks.append(task)
        self.partitions.append((kind, path))


def _plan_paths(
    paths: Iterable[str | os.PathLike[str]],
    settings: WorkerSettings,
    plan: _Plan,
    *,
    include: Sequence[str],
    exclude: Sequence[str],
    block_bytes: int,
) -> None:
    entries: list[sources.FileEntry] = []
    for entry in sources.plan_files(paths, include=include, exclude=exclude):
        if isinstance(entry, PathEntry):
            status: PathStatus = "unreadable" if entry.error is not None else "skipped"
            plan.settled.append(
                PathResult(entry.path, status, None, entry.error or entry.skip_reason)
            )
        else:
            entries.append(entry)
    surveyed: Sequence[sources.Survey] = dask.compute(
        *[delayed(sources.survey)(entry) for entry in entries]
    )
    for survey in surveyed:
        for unit in sources.plan_units(survey, block_bytes):
            kind: PartitionKind = "block" if isinstance(unit, sources.TextBlock) else "whole"
            plan.add(delayed(partition.read_and_audit)(unit, settings), kind, unit.entry.path)


def _plan_bag(bag: Any, label: str, settings: WorkerSettings, plan: _Plan) -> None:
    for part in bag.to_delayed():
        plan.add(delayed(partition.audit_bag_partition)(part, label, settings), "bag", label)


def _plan_column(series: Any, label: str, settings: WorkerSettings, plan: _Plan) -> None:
    column = str(series.name)
    for part in series.to_delayed():
        plan.add(delayed(partition.audit_column_partition)(part, column, label, settings),
                 "column", label)


def dask_audit(
    paths: Iterable[str | os.PathLike[str]] = (),
    *,
    bags: Mapping[str, Any] | None = None,
    columns: Mapping[str, Any] | None = None,
    secret: Secret | str | None = None,
    secrets: Mapping[str, Secret | str] | None = None,
    config: Config | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    block_bytes: int | None = None,
    render_text: bool = False,
    color: bool = False,
    on_pass: Callable[[str], None] | None = None,
    keyring: Keyring | None = None,
) -> AuditResult:
    """Audit on the current Dask client: files, folders, globs and fsspec URLs (``paths``),
    Dask bags of strings (``bags``) and Dask DataFrame columns (``columns``).

    ``bags`` and ``columns`` map a label (the ``path`` their locations carry)
    to a ``dask.bag.Bag`` of strings or a ``dask.dataframe.Series``; a bag
    element or a cell is one record, named in ``Location.part``. Plain-text
    files are read in blocks of ``block_bytes`` (default: 16 MB on a
    ``distributed`` cluster, 2 MB on Dask's local schedulers). The result is the local
    audit's :class:`~validator.audit.AuditResult` (use it as a context
    manager: it removes its spool files on exit). ``on_pass`` is called with
    the name of each pass as it starts: ``survey``, ``check``, ``batch``,
    ``collect``.
    """
    announce = on_pass or (lambda name: None)
    config = config or Config()
    spool_dir = tempfile.mkdtemp(prefix="directlink-dask-audit-")
    # On Dask's local schedulers every task runs on this machine: the checked records wait in
    # files next to the spool, not in the tasks' results, which those schedulers send through
    # this process.
    records_folder = os.path.join(spool_dir, "records") if _client() is None else None
    if block_bytes is None:
        block_bytes = (sources.DEFAULT_BLOCK_BYTES if records_folder is None
                       else sources.LOCAL_BLOCK_BYTES)
    try:
        if records_folder is not None:
            os.mkdir(records_folder)
        # Secrets travel to the workers as Secret objects only, whatever the caller gave.
        settings = WorkerSettings(config, keyring_of(keyring, secret, secrets, ()),
                                  render_text, color, records_folder)
        plan = _Plan()
        announce("survey")
        _plan_paths(paths, settings, plan, include=include, exclude=exclude,
                    block_bytes=block_bytes)
        for label, bag in (bags or {}).items():
            _plan_bag(bag, label, settings, plan)
        for label, series in (columns or {}).items():
            _plan_column(series, label, settings, plan)
        announce("check")
        persisted: list[Any] = list(dask.persist(*plan.tasks)) if plan.tasks else []
        summaries: Sequence[PartitionSummary] = dask.compute(
            *[delayed(partition.summarise)(task) for task in persisted]
        )
        placed = shifts(plan.partitions,
                        [(summary.newlines, summary.records_seen) for summary in summaries])
        announce("batch")
        causes = batch.cross_link_causes(persisted, summaries, placed, settings)
        reuse = batch.ranstr_reuse(persisted, summaries, placed, config)
        announce("collect")
        spools, opaque = _collect(persisted, summaries, placed, causes, spool_dir,
                                  in_workers=records_folder is not None)
        del persisted
        if records_folder is not None:
            shutil.rmtree(records_folder)
    except BaseException:
        shutil.rmtree(spool_dir, ignore_errors=True)
        raise
    results = [
        _final_counts(index, summary, causes, opaque[index])
        for index, summary in enumerate(summaries)
    ]
    paths_out, summary = summarise(results, plan.settled)
    # As the local audit counts the batch findings into its summary.
    findings, newly_flagged, severity = reuse.totals()
    if findings and severity is not None:
        summary.by_severity[severity] += findings
        summary.by_code["DL310"] += findings
        summary.by_code_severity[("DL310", severity)] += findings
    summary.links_with_findings += newly_flagged
    return AuditResult(paths_out, summary, spools, reuse, spool_dir, config)


def _collect(
    persisted: Sequence[Any],
    summaries: Sequence[PartitionSummary],
    placed: Sequence[Shift],
    causes: Mapping[tuple[int, int], Mapping[str, str]],
    spool_dir: str,
    *,
    in_workers: bool,
) -> tuple[list[str], list[list[dict[str, Any]]]]:
    """Write each partition's records, placed by the workers, into its spool file.

    ``in_workers``: the workers share this machine's disk, and each writes its
    partitions' spool files itself. Otherwise segments come in order, the next
    already on its way while one is written, so the driver holds at most two
    (about a megabyte each). Returns the spool files and each partition's
    opaque links, placed.
    """
    by_partition: dict[int, dict[int, Mapping[str, str]]] = {}
    for (owner, record), cause in causes.items():
        by_partition.setdefault(owner, {})[record] = cause
    spools = [os.path.join(spool_dir, f"{index:08d}.jsonl") for index in range(len(summaries))]
    if in_workers:
        dask.compute(*[
            delayed(partition.write_spool)(task, spool, placed[index],
                                           by_partition.get(index, {}))
            for index, (task, spool) in enumerate(zip(persisted, spools, strict=True))
        ])
    else:
        _fetch_spools(persisted, summaries, placed, by_partition, spools)
    opaque_lists = dask.compute(*[delayed(_opaque)(task) for task in persisted])
    opaque: list[list[dict[str, Any]]] = []
    for index, (items, numbers) in enumerate(opaque_lists):
        opaque.append([
            {**item, "location": place(item["location"], placed[index], number)}
            for item, number in zip(items, numbers or (0,) * len(items), strict=True)
        ])
    return spools, opaque


def _fetch_spools(
    persisted: Sequence[Any],
    summaries: Sequence[PartitionSummary],
    placed: Sequence[Shift],
    by_partition: Mapping[int, Mapping[int, Mapping[str, str]]],
    spools: Sequence[str],
) -> None:
    """Fetch every segment, rendered where its partition is, into the spool files, in order."""
    segments = [(index, segment) for index, summary in enumerate(summaries)
                for segment in range(summary.segments)]
    rendered = _fetch_in_order(
        [delayed(partition.render)(persisted[index], segment, placed[index],
                                   by_partition.get(index, {}))
         for index, segment in segments],
        [persisted[index] for index, _ in segments],
    )
    for summary, spool in zip(summaries, spools, strict=True):
        with open(spool, "wb") as stream:
            for _ in range(summary.segments):
                _write_decompressed(stream, next(rendered))


#: Compressed bytes decompressed at a time while a spool file is written (about ten times
#: as many come out).
_WRITE_CHUNK = 1 << 16


def _write_decompressed(stream: BinaryIO, data: bytes) -> None:
    unpacker = zlib.decompressobj()
    for start in range(0, len(data), _WRITE_CHUNK):
        stream.write(unpacker.decompress(data[start:start + _WRITE_CHUNK]))
    stream.write(unpacker.flush())


def _opaque(part: PartitionAudit) -> tuple[list[dict[str, Any]], tuple[int, ...]]:
    return part.counts.opaque, part.opaque_record_numbers


def _fetch_in_order(tasks: Sequence[Any], inputs: Sequence[Any]) -> Iterator[bytes]:
    """The computed tasks' values in order, with the next one already on its way.

    Each task runs, where it can, on a worker that holds its persisted input
    (``inputs``, one per task). Dask takes many small tasks on few inputs for
    the first of a graph and places them anywhere, which would copy a whole
    partition to another worker to render one segment; the restriction is
    loose, so a task still runs elsewhere when those workers are gone.
    """
    client = _client()
    if client is None:
        for task in tasks:
            (value,) = dask.compute(task)
            yield value
        return
    holders = client.who_has(list(inputs)) if inputs else {}

    def start(index: int) -> Any:
        workers = list(holders.get(inputs[index].key, ()))
        return client.compute(tasks[index], workers=workers or None,
                              allow_other_workers=bool(workers))

    pending = start(0) if tasks else None
    for index in range(len(tasks)):
        current = pending
        pending = start(index + 1) if index + 1 < len(tasks) else None
        assert current is not None
        data: bytes = current.result()
        current.release()
        yield data


def _client() -> Any:
    """The distributed client Dask computes with now, or None (a local scheduler is set)."""
    from dask.base import get_scheduler

    if "distributed" not in sys.modules:
        return None  # no client can exist, and importing distributed costs some 30 MB
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - the dask extra brings distributed
        return None
    owner = getattr(get_scheduler(), "__self__", None)
    return owner if isinstance(owner, Client) else None


def _final_counts(
    index: int,
    summary: PartitionSummary,
    causes: Mapping[tuple[int, int], Mapping[str, str]],
    opaque: Sequence[dict[str, Any]],
) -> TaskResult:
    """The partition's counts with placed opaque links and causes the cross-link pass found."""
    counts = summary.counts
    counts.index = index
    counts.opaque = list(opaque)
    explained = [
        (cause["hypothesis"], cause["headline"])
        for (owner, _), cause in sorted(causes.items()) if owner == index
    ]
    if explained:
        signature = list(counts.signature)
        for item in explained:
            unknown = next(i for i, (cause, _) in enumerate(signature)
                           if cause == UNKNOWN_CAUSE)
            del signature[unknown]
            signature.append(item)
        counts.signature = signature
    return counts
