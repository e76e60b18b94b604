"""The audit on a Dask cluster: the local audit's work, spread over partitions, same result.

Four passes, each a Dask computation on the current client:

1. **survey** (one small task per file): size, binary or not, encoding; the
   driver then cuts plain-text files into blocks at newlines.
2. **check** (one task per block, whole file, bag partition or column
   partition; persisted on the workers): extract every link, check it
   exactly as the local audit does (:func:`validator.audit` helpers), keep
   the JSON records on the worker, send back only counts.
3. **batch rules across partitions**:

   * DL310 ``ranstr-reused``: every link's 64-bit ``ranstr`` hash goes into a
     Dask DataFrame; ``value_counts(split_out=...)`` shuffles the hashes by
     value, so no machine holds them all; only links whose hash repeats are
     fetched, and the batch rule runs over them in the local audit's order;
   * cross-link signature diagnosis (hypothesis ``other-link-values``): a
     mismatch no single-link hypothesis explains is sent to every partition,
     which tries the ``sbs``/``ranstr`` of each of its links; the first match
     in link order wins, as in one big batch.

4. **collect**: records come back one partition at a time (memory on the
   driver stays flat) with line numbers made absolute (each block counted
   its newlines: a prefix sum gives the line it starts on), into the same
   spool files and :class:`validator.audit.AuditResult` the local audit
   returns, so every report format works unchanged.

Secrets travel to workers only inside :class:`WorkerSettings`, whose
``Secret`` objects pickle but print masked, and whose Dask token is random:
a task key never carries a hash of a secret.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import dask
from dask.delayed import Delayed, delayed

from validator import audit as local
from validator.config import Config
from validator.diagnose import hypothesis
from validator.distributed import sources
from validator.distributed.sources import FileEntry, Survey, Unit, UnitLinks
from validator.extract.candidates import LinkFilter
from validator.extract.model import OpaqueLink, SourceKind
from validator.extract.walk import PathEntry
from validator.parse import parse
from validator.signature import Secret, sign

#: Mismatches of unknown cause tried against every link of the run; more are left as found.
MAX_CROSS_LINK_MISMATCHES = 1000
#: Hash partitions per check partition when DL310 shuffles the ranstr hashes.
PARTITIONS_PER_SHUFFLE_PARTITION = 8


@dataclass(frozen=True)
class WorkerSettings:
    """What every task needs: configuration and secrets (as :class:`Secret`), shipped once."""

    config: Config
    secret: Secret | None
    secrets: Mapping[str, Secret]
    #: A random token: Dask names tasks after a hash of their arguments, never of a secret.
    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __dask_tokenize__(self) -> tuple[str, str]:
        return ("directlink-worker-settings", self.token)

    def local(self) -> local._Settings:
        return local._Settings(self.config, self.secret, dict(self.secrets),
                               tuple(self.config.allowed_hosts))

    def secret_for(self, app_id: str | None) -> Secret | None:
        if app_id is not None and app_id in self.secrets:
            return self.secrets[app_id]
        return self.secret

    def link_filter(self) -> LinkFilter:
        return LinkFilter(tuple(self.config.allowed_hosts) or None)


@dataclass(frozen=True, slots=True)
class Source:
    """A place links come from, as the summary and the locations name it."""

    path: str
    kind: SourceKind


@dataclass(slots=True)
class UnitAudit:
    """One partition's checked links, kept on the worker until the driver collects them."""

    source: Source
    #: The local audit's per-task counts (links, findings, opaque links, ranstr hashes).
    counts: local._TaskResult
    #: One JSON-ready record per checked link; lines count from the unit's first line.
    records: list[dict[str, Any]]
    newlines: int = 0
    records_seen: int = 0
    #: For a bag: the record (0-based in the partition) of each checked link.
    record_numbers: tuple[int, ...] = ()
    #: Opaque links' record numbers, for a bag.
    opaque_record_numbers: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class UnitSummary:
    """What the driver needs of a unit before it collects the records."""

    source: Source
    counts: local._TaskResult
    newlines: int
    records_seen: int
    #: ``(record number, sbs, ranstr, sbs_mm, app id)`` of mismatches no hypothesis explains.
    unexplained: tuple[tuple[int, str, str, str, str | None], ...] = ()


# Worker side ------------------------------------------------------------------------


def audit_unit(found: UnitLinks, source: Source, settings: WorkerSettings) -> UnitAudit:
    """Check every link one unit found, as the local audit checks a task's links."""
    local_settings = settings.local()
    counts = local._TaskResult(0, source.path, source.kind)
    counts.error = found.error
    counts.skip_reason = found.skip_reason
    records: list[dict[str, Any]] = []
    numbers: list[int] = []
    opaque_numbers: list[int] = []
    hashes = array("q")
    window: list[str] = []
    record_numbers = found.record_numbers or (0,) * len(found.links)
    for item, number in zip(found.links, record_numbers, strict=True):
        if isinstance(item, OpaqueLink):
            counts.opaque.append({
                "url": item.url,
                "tracker": item.tracker,
                "location": local.location_to_dict(item.location),
            })
            opaque_numbers.append(number)
            continue
        record, report = local._check_record(item, local_settings, window)
        if len(window) < local.BATCH_WINDOW:
            window.append(item.url)
        ranstr = report.link.ranstr
        hashes.append(local.ranstr_hash(ranstr) if ranstr else 0)
        local._count(counts, report, record)
        records.append(record)
        numbers.append(number)
    counts.ranstr_hashes = hashes.tobytes()
    return UnitAudit(source, counts, records, found.newlines, found.records,
                     tuple(numbers) if found.record_numbers else (),
                     tuple(opaque_numbers) if found.record_numbers else ())


def read_and_audit(unit: Unit, settings: WorkerSettings) -> UnitAudit:
    entry = unit.entry
    found = sources.read_unit(unit, settings.link_filter())
    return audit_unit(found, Source(entry.path, entry.kind), settings)


def audit_bag_partition(records: Iterable[Any], label: str,
                        settings: WorkerSettings) -> UnitAudit:
    found = sources.scan_bag_partition(records, path=label, link_filter=settings.link_filter())
    return audit_unit(found, Source(label, "text"), settings)


def audit_column_partition(cells: Any, column: str, label: str,
                           settings: WorkerSettings) -> UnitAudit:
    found = sources.scan_column_partition(cells, column=column, path=label,
                                          link_filter=settings.link_filter())
    return audit_unit(found, Source(label, "text"), settings)


def summarise_unit(unit: UnitAudit) -> UnitSummary:
    unexplained = []
    for number, record in enumerate(unit.records):
        cause = record.get("signature_cause")
        if cause is None or cause["hypothesis"] != local.UNKNOWN_CAUSE:
            continue
        link = parse(record["url"])
        if link.sbs is not None and link.ranstr is not None and link.sbs_mm is not None:
            unexplained.append((number, link.sbs, link.ranstr, link.sbs_mm, link.app_id))
    return UnitSummary(unit.source, unit.counts, unit.newlines, unit.records_seen,
                       tuple(unexplained))


def ranstr_frame(unit: UnitAudit, index: int) -> Any:
    """``(hash, unit, record)`` rows for the links of a unit that have a ``ranstr``."""
    import pandas as pd

    hashes = array("q")
    hashes.frombytes(unit.counts.ranstr_hashes)
    rows = [(value, index, number) for number, value in enumerate(hashes) if value != 0]
    return pd.DataFrame(rows, columns=["hash", "unit", "record"]).astype("int64")


def records_with_hashes(
    unit: UnitAudit, repeated: frozenset[int]
) -> list[tuple[int, int, dict[str, Any]]]:
    """``(record, record number in a bag partition, record)`` of links whose hash repeats."""
    hashes = array("q")
    hashes.frombytes(unit.counts.ranstr_hashes)
    numbers = unit.record_numbers or (0,) * len(unit.records)
    return [(number, numbers[number], unit.records[number])
            for number, value in enumerate(hashes) if value in repeated]


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A signature mismatch of unknown cause, sent to every partition (no secret in it)."""

    unit: int
    record: int
    sbs: str
    ranstr: str
    given: str
    app_id: str | None


def cross_link_matches(
    unit: UnitAudit, index: int, mismatches: Sequence[Mismatch], settings: WorkerSettings
) -> list[tuple[int, int, int, str]]:
    """``(mismatch number, record, option, link text)`` where another link's values sign it.

    Options are those of the ``other-link-values`` hypothesis, in its order:
    0 the other link's ``sbs``, 1 its ``ranstr``, 2 both.
    """
    hits: list[tuple[int, int, int, str]] = []
    links = [parse(record["url"]) for record in unit.records]
    for position, mismatch in enumerate(mismatches):
        secret = settings.secret_for(mismatch.app_id)
        if secret is None:
            continue
        expected = sign(mismatch.sbs, mismatch.ranstr, secret)
        given = mismatch.given.strip()
        folded = given.lower()
        for number, link in enumerate(links):
            if index == mismatch.unit and number == mismatch.record:
                continue
            for option, sbs, ranstr in _options(mismatch, link.sbs, link.ranstr):
                digest = sign(sbs, ranstr, secret)
                if digest != expected and digest in (given, folded):
                    hits.append((position, number, option, link.text))
                    break
            else:
                continue
            break
    return hits


def _options(mismatch: Mismatch, other_sbs: str | None,
             other_ranstr: str | None) -> Iterator[tuple[int, str, str]]:
    if other_sbs is not None and other_sbs != mismatch.sbs:
        yield 0, other_sbs, mismatch.ranstr
    if other_ranstr is not None and other_ranstr != mismatch.ranstr:
        yield 1, mismatch.sbs, other_ranstr
    if (other_sbs is not None and other_ranstr is not None and other_sbs != mismatch.sbs
            and other_ranstr != mismatch.ranstr):
        yield 2, other_sbs, other_ranstr


# Driver side ------------------------------------------------------------------------


@dataclass(slots=True)
class _Plan:
    units: list[Delayed] = field(default_factory=list)
    settled: list[local.PathResult] = field(default_factory=list)
    #: For each unit: the file and block it reads (None for a bag or column partition).
    blocks: list[tuple[str, int] | None] = field(default_factory=list)
    is_bag: list[bool] = field(default_factory=list)


def plan_paths(
    paths: Iterable[str | os.PathLike[str]],
    settings: WorkerSettings,
    plan: _Plan,
    *,
    include: Sequence[str],
    exclude: Sequence[str],
    block_bytes: int,
) -> None:
    entries: list[FileEntry] = []
    for entry in sources.plan_files(paths, include=include, exclude=exclude):
        if isinstance(entry, PathEntry):
            status = "unreadable" if entry.error is not None else "skipped"
            plan.settled.append(
                local.PathResult(entry.path, status, None, entry.error or entry.skip_reason)
            )
        else:
            entries.append(entry)
    surveyed: Sequence[Survey] = dask.compute(*[delayed(sources.survey)(e) for e in entries])
    for survey in surveyed:
        for unit in sources.plan_units(survey, block_bytes):
            number = unit.number if isinstance(unit, sources.TextBlock) else 0
            plan.units.append(delayed(read_and_audit)(unit, settings))
            plan.blocks.append((unit.entry.path, number))
            plan.is_bag.append(False)


def plan_bag(bag: Any, label: str, settings: WorkerSettings, plan: _Plan) -> None:
    for partition in bag.to_delayed():
        plan.units.append(delayed(audit_bag_partition)(partition, label, settings))
        plan.blocks.append(None)
        plan.is_bag.append(True)


def plan_column(series: Any, label: str, settings: WorkerSettings, plan: _Plan) -> None:
    column = str(series.name)
    for partition in series.to_delayed():
        plan.units.append(delayed(audit_column_partition)(partition, column, label, settings))
        plan.blocks.append(None)
        plan.is_bag.append(False)


def dask_audit(
    paths: Iterable[str | os.PathLike[str]] = (),
    *,
    bags: Mapping[str, Any] | None = None,
    columns: Mapping[str, Any] | None = None,
    secret: Secret | None = None,
    secrets: Mapping[str, Secret] | None = None,
    config: Config | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    block_bytes: int = sources.DEFAULT_BLOCK_BYTES,
) -> local.AuditResult:
    """Audit files, globs or fsspec URLs (``paths``), Dask bags of strings and Dask
    DataFrame columns on the current Dask client (or Dask's default scheduler).

    ``bags`` and ``columns`` map a label (the ``path`` their locations carry)
    to a ``dask.bag.Bag`` of strings or a ``dask.dataframe.Series``. The
    result is the local audit's :class:`~validator.audit.AuditResult`.
    """
    config = config or Config()
    settings = WorkerSettings(config, secret, dict(secrets or {}))
    plan = _Plan()
    plan_paths(paths, settings, plan, include=include, exclude=exclude, block_bytes=block_bytes)
    for label, bag in (bags or {}).items():
        plan_bag(bag, label, settings, plan)
    for label, series in (columns or {}).items():
        plan_column(series, label, settings, plan)
    (persisted,) = dask.persist(plan.units) if plan.units else ([],)
    summaries: Sequence[UnitSummary] = dask.compute(
        *[delayed(summarise_unit)(unit) for unit in persisted]
    )
    shifts = _shifts(plan, summaries)
    spool_dir = tempfile.mkdtemp(prefix="directlink-dask-audit-")
    try:
        causes = _cross_link_causes(persisted, summaries, shifts, settings)
        batch, members = _ranstr_reuse(persisted, summaries, shifts, config)
        spools, opaque = _collect(persisted, shifts, causes, spool_dir)
    except BaseException:
        shutil.rmtree(spool_dir, ignore_errors=True)
        raise
    results = [
        _final_counts(index, summary, causes, opaque[index])
        for index, summary in enumerate(summaries)
    ]
    paths_out, summary = local._summarise([], results, plan.settled)
    for findings in batch.values():
        for finding in findings:
            summary.by_severity[finding["severity"]] += 1
            summary.by_code[finding["code"]] += 1
            summary.by_code_severity[(finding["code"], finding["severity"])] += 1
    summary.links_with_findings += sum(
        1 for key, record in members if batch.get(key) and not record["report"]["findings"]
    )
    return local.AuditResult(paths_out, summary, spools, batch, spool_dir, config)


@dataclass(frozen=True, slots=True)
class _Shift:
    """How a unit's relative positions become absolute: lines to add, records before it."""

    lines: int = 0
    records: int = 0
    is_bag: bool = False


def _shifts(plan: _Plan, summaries: Sequence[UnitSummary]) -> list[_Shift]:
    shifts: list[_Shift] = []
    lines_before: dict[str, int] = {}
    records_before: dict[str, int] = {}
    for block, is_bag, summary in zip(plan.blocks, plan.is_bag, summaries, strict=True):
        path = summary.source.path
        if block is not None:
            lines = lines_before.get(path, 0)
            lines_before[path] = lines + summary.newlines
            shifts.append(_Shift(lines=lines))
        elif is_bag:
            records = records_before.get(path, 0)
            records_before[path] = records + summary.records_seen
            shifts.append(_Shift(records=records, is_bag=True))
        else:
            shifts.append(_Shift())
    return shifts


def _place(location: dict[str, Any], shift: _Shift, record_number: int) -> dict[str, Any]:
    placed = dict(location)
    placed["line"] = location["line"] + shift.lines
    if shift.is_bag:
        placed["part"] = f"record {shift.records + record_number + 1}"
    return placed


def _cross_link_causes(
    persisted: Sequence[Any],
    summaries: Sequence[UnitSummary],
    shifts: Sequence[_Shift],
    settings: WorkerSettings,
) -> dict[tuple[int, int], dict[str, str]]:
    mismatches = [
        Mismatch(index, number, sbs, ranstr, given, app_id)
        for index, summary in enumerate(summaries)
        for number, sbs, ranstr, given, app_id in summary.unexplained
    ][:MAX_CROSS_LINK_MISMATCHES]
    if not mismatches:
        return {}
    hits_per_unit = dask.compute(*[
        delayed(cross_link_matches)(unit, index, mismatches, settings)
        for index, unit in enumerate(persisted)
    ])
    described = hypothesis("other-link-values").description
    what = ("the sbs", "the ranstr", "the sbs and ranstr")
    causes: dict[tuple[int, int], dict[str, str]] = {}
    for index, hits in enumerate(hits_per_unit):
        for position, number, option, text in hits:
            mismatch = mismatches[position]
            key = (mismatch.unit, mismatch.record)
            if key in causes:
                continue  # the first matching link in link order wins
            short = text if len(text) <= 80 else text[:77] + "…"
            causes[key] = {
                "hypothesis": "other-link-values",
                "headline": f"{described[0].upper()}{described[1:]} "
                f"({what[option]} of the link {short}).",
                "other_unit": str(index),
                "other_record": str(number),
            }
    return causes


def _ranstr_reuse(
    persisted: Sequence[Any],
    summaries: Sequence[UnitSummary],
    shifts: Sequence[_Shift],
    config: Config,
) -> tuple[local.BatchFindings, list[tuple[tuple[int, int], dict[str, Any]]]]:
    """DL310 across partitions: shuffle the ranstr hashes, fetch only the repeated ones."""
    import dask.dataframe as dd
    import pandas as pd

    with_ranstr = [
        index for index, summary in enumerate(summaries)
        if any(array("q", summary.counts.ranstr_hashes))
    ]
    if len(with_ranstr) == 0:
        return {}, []
    meta = pd.DataFrame({"hash": pd.Series([], dtype="int64"),
                         "unit": pd.Series([], dtype="int64"),
                         "record": pd.Series([], dtype="int64")})
    frame = dd.from_delayed(
        [delayed(ranstr_frame)(persisted[index], index) for index in with_ranstr], meta=meta,
        verify_meta=False,
    )
    split = max(1, len(with_ranstr) // PARTITIONS_PER_SHUFFLE_PARTITION)
    # A task-based shuffle: hashes are small, and it logs nothing at the default level.
    with dask.config.set({"dataframe.shuffle.method": "tasks"}):
        counts = frame["hash"].value_counts(split_out=split)
        repeated = frozenset(int(value) for value in counts[counts > 1].index.compute())
    if not repeated:
        return {}, []
    fetched = dask.compute(*[
        delayed(records_with_hashes)(persisted[index], repeated) for index in with_ranstr
    ])
    members: list[tuple[tuple[int, int], dict[str, Any]]] = []
    for index, found in zip(with_ranstr, fetched, strict=True):
        for number, in_unit, record in found:
            placed = dict(record)
            placed["location"] = _place(record["location"], shifts[index], in_unit)
            members.append(((index, number), placed))
    return local.batch_rule_findings(members, config), members


def _collect(
    persisted: Sequence[Any],
    shifts: Sequence[_Shift],
    causes: Mapping[tuple[int, int], Mapping[str, str]],
    spool_dir: str,
) -> tuple[list[str], dict[int, list[dict[str, Any]]]]:
    """Write each unit's records, placed, into its spool file; one unit in memory at a time.

    Returns the spool files and each unit's opaque links, placed.
    """
    spools: list[str] = []
    opaque: dict[int, list[dict[str, Any]]] = {}
    for index, (unit_delayed, shift) in enumerate(zip(persisted, shifts, strict=True)):
        (unit,) = dask.compute(unit_delayed)
        spool = os.path.join(spool_dir, f"{index:08d}.jsonl")
        spools.append(spool)
        numbers = unit.record_numbers or (0,) * len(unit.records)
        with open(spool, "w", encoding="utf-8") as stream:
            for number, (record, in_unit) in enumerate(zip(unit.records, numbers, strict=True)):
                placed = dict(record)
                placed["location"] = _place(record["location"], shift, in_unit)
                cause = causes.get((index, number))
                if cause is not None:
                    placed["signature_cause"] = {"hypothesis": cause["hypothesis"],
                                                 "headline": cause["headline"]}
                stream.write(json.dumps(placed, ensure_ascii=False, separators=(",", ":")))
                stream.write("\n")
        opaque_numbers = unit.opaque_record_numbers or (0,) * len(unit.counts.opaque)
        opaque[index] = [
            {**item, "location": _place(item["location"], shift, in_unit)}
            for item, in_unit in zip(unit.counts.opaque, opaque_numbers, strict=True)
        ]
    return spools, opaque


def _final_counts(
    index: int,
    summary: UnitSummary,
    causes: Mapping[tuple[int, int], Mapping[str, str]],
    opaque: Sequence[dict[str, Any]],
) -> local._TaskResult:
    """The unit's counts with placed opaque links and the causes the cross-link pass found."""
    counts = summary.counts
    counts.index = index
    counts.opaque = list(opaque)
    explained = [
        (cause["hypothesis"], cause["headline"])
        for (unit, _), cause in sorted(causes.items()) if unit == index
    ]
    if explained:
        signature = list(counts.signature)
        for item in explained:
            signature.remove(next(s for s in signature if s[0] == local.UNKNOWN_CAUSE))
            signature.append(item)
        counts.signature = signature
    return counts
