"""What one Dask task does: check every link of one partition, as the local audit checks a task.

The records stay on the worker (the task's result is persisted there); the
driver first asks only for a :class:`PartitionSummary`. Tasks log one line
per partition under ``distributed.worker.directlink``, so
``client.get_worker_logs()`` shows which worker read what (never a secret:
only paths, block numbers and counts).
"""

from __future__ import annotations

import logging
import uuid
import zlib
from array import array
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from validator import audit as local
from validator.config import Config
from validator.distributed import sources
from validator.distributed.placement import Shift, place
from validator.distributed.sources import Unit, UnitLinks
from validator.extract.candidates import LinkFilter
from validator.extract.model import OpaqueLink, SourceKind
from validator.model import DirectLink
from validator.report import jsonio
from validator.signature import Secret

#: A child of the worker's logger: its lines land in ``client.get_worker_logs()``.
logger = logging.getLogger("distributed.worker.directlink")


@dataclass(frozen=True)
class WorkerSettings:
    """What every task needs: configuration and secrets (as :class:`Secret`), shipped once."""

    config: Config
    secret: Secret | None
    secrets: Mapping[str, Secret]
    render_text: bool = False
    color: bool = False
    #: A random token: Dask names tasks after a hash of their arguments, never of a secret.
    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __dask_tokenize__(self) -> tuple[str, str]:
        return ("directlink-worker-settings", self.token)

    def local(self) -> local._Settings:
        return local._Settings(self.config, self.secret, dict(self.secrets),
                               tuple(self.config.allowed_hosts), self.render_text, self.color)

    def secret_for(self, app_id: str | None) -> Secret | None:
        if app_id is not None and app_id in self.secrets:
            return self.secrets[app_id]
        return self.secret

    def link_filter(self) -> LinkFilter:
        return LinkFilter(tuple(self.config.allowed_hosts) or None)


@dataclass(frozen=True, slots=True)
class Source:
    """Where a partition's links come from, as the summary and the locations name it."""

    path: str
    kind: SourceKind


@dataclass(slots=True)
class PartitionAudit:
    """One partition's checked links, kept on the worker until the driver collects them.

    The records are the local audit's JSON lines, zlib-compressed (a tenth of
    their size), with lines counted from the partition's first line; Dask
    spills them to the worker's disk under memory pressure.
    """

    source: Source
    #: The local audit's per-task counts (links, findings, opaque links, ranstr hashes).
    counts: local._TaskResult
    compressed: bytes
    newlines: int = 0
    records_seen: int = 0
    #: For a bag: the record (0-based in the partition) of each checked link.
    record_numbers: tuple[int, ...] = ()
    #: For a bag: the record of each opaque link.
    opaque_record_numbers: tuple[int, ...] = ()
    #: ``(record, sbs, ranstr, sbs_mm, app id)`` of mismatches no hypothesis explained.
    unexplained: tuple[tuple[int, str, str, str, str | None], ...] = ()

    def record_number(self, number: int) -> int:
        return self.record_numbers[number] if self.record_numbers else 0

    def lines(self) -> list[bytes]:
        return zlib.decompress(self.compressed).splitlines()

    def records(self) -> Iterator[dict[str, Any]]:
        for line in self.lines():
            record: dict[str, Any] = jsonio.loads(line.decode("utf-8"))
            yield record

    def render(self, shift: Shift, causes: Mapping[int, Mapping[str, str]]) -> bytes:
        """The records as JSON lines at their absolute places, compressed for the trip."""
        lines = self.lines()
        if shift != Shift() or causes:
            for number, line in enumerate(lines):
                cause = causes.get(number)
                if shift == Shift() and cause is None:
                    continue
                record = jsonio.loads(line.decode("utf-8"))
                record["location"] = place(record["location"], shift, self.record_number(number))
                if cause is not None:
                    record["signature_cause"] = dict(cause)
                lines[number] = _dumps(record).encode("utf-8")
        return zlib.compress(b"".join(line + b"\n" for line in lines), 1)


@dataclass(frozen=True, slots=True)
class PartitionSummary:
    """What the driver needs of a partition before it collects the records."""

    source: Source
    counts: local._TaskResult
    newlines: int
    records_seen: int
    unexplained: tuple[tuple[int, str, str, str, str | None], ...] = ()


def _dumps(record: Mapping[str, Any]) -> str:
    # As the local audit writes its spool, so both engines give the same bytes.
    return jsonio.dumps(record)


def audit_links(found: UnitLinks, source: Source, settings: WorkerSettings) -> PartitionAudit:
    """Check every link a partition holds, as the local audit checks a task's links."""
    local_settings = settings.local()
    counts = local._TaskResult(0, source.path, source.kind)
    counts.error = found.error
    counts.skip_reason = found.skip_reason
    packer = zlib.compressobj(1)
    chunks: list[bytes] = []
    written = 0
    unexplained: list[tuple[int, str, str, str, str | None]] = []
    numbers: list[int] = []
    opaque_numbers: list[int] = []
    hashes = array("q")
    # The local audit's window: a mismatch is first tried against the links just before it.
    window: deque[DirectLink] = deque(maxlen=local.BATCH_WINDOW)
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
        window.append(report.link)
        ranstr = report.link.ranstr
        hashes.append(local.ranstr_hash(ranstr) if ranstr else 0)
        local._count(counts, report, record)
        cause = record.get("signature_cause")
        link = report.link
        if (cause is not None and cause["hypothesis"] == local.UNKNOWN_CAUSE
                and link.sbs is not None and link.ranstr is not None and link.sbs_mm is not None):
            unexplained.append((written, link.sbs, link.ranstr, link.sbs_mm, link.app_id))
        # Compressed as they come: a block's records never sit uncompressed all at once.
        chunks.append(packer.compress((_dumps(record) + "\n").encode("utf-8")))
        written += 1
        numbers.append(number)
    counts.ranstr_hashes = hashes.tobytes()
    bag = bool(found.record_numbers)
    chunks.append(packer.flush())
    compressed = b"".join(chunks)
    return PartitionAudit(source, counts, compressed, found.newlines, found.records,
                          tuple(numbers) if bag else (), tuple(opaque_numbers) if bag else (),
                          tuple(unexplained))


def read_and_audit(unit: Unit, settings: WorkerSettings) -> PartitionAudit:
    entry = unit.entry
    found = sources.read_unit(unit, settings.link_filter())
    block = unit.number if isinstance(unit, sources.TextBlock) else 0
    logger.info("directlink: read %s block %d: %d links", entry.path, block, len(found.links))
    return audit_links(found, Source(entry.path, entry.kind), settings)


def audit_bag_partition(records: Iterable[Any], label: str,
                        settings: WorkerSettings) -> PartitionAudit:
    found = sources.scan_bag_partition(records, path=label, link_filter=settings.link_filter())
    logger.info("directlink: read a partition of %s: %d links", label, len(found.links))
    return audit_links(found, Source(label, "text"), settings)


def audit_column_partition(cells: Any, column: str, label: str,
                           settings: WorkerSettings) -> PartitionAudit:
    found = sources.scan_column_partition(cells, column=column, path=label,
                                          link_filter=settings.link_filter())
    logger.info("directlink: read a partition of %s: %d links", label, len(found.links))
    return audit_links(found, Source(label, "text"), settings)


def summarise(partition: PartitionAudit) -> PartitionSummary:
    return PartitionSummary(partition.source, partition.counts, partition.newlines,
                            partition.records_seen, partition.unexplained)


def render(partition: PartitionAudit, shift: Shift,
           causes: Mapping[int, Mapping[str, str]]) -> bytes:
    return partition.render(shift, causes)
