"""What one Dask task does: check every link of one partition, as the local audit checks a task.

The records stay on the worker (the task's result is persisted there); the
driver first asks only for a :class:`PartitionSummary`. Tasks log one line
per partition under ``distributed.worker.directlink``, so
``client.get_worker_logs()`` shows which worker read what (never a secret:
only paths, block numbers and counts).
"""

from __future__ import annotations

import logging
import os
import sys
import uuid
import zlib
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from validator import spec
from validator.audit import (
    UNKNOWN_CAUSE,
    AuditSettings,
    LinkWindow,
    TaskResult,
    checked_record,
    count_link,
    opaque_record,
    ranstr_hash,
    settle,
)
from validator.config import Config
from validator.distributed import sources
from validator.distributed.placement import Shift, place
from validator.distributed.sources import Unit, UnitLinks
from validator.extract import ReadLog, guarded
from validator.extract.candidates import LinkFilter
from validator.extract.model import OpaqueLink, SourceKind
from validator.keyring import Keyring
from validator.record import LOCATION_KEY
from validator.report import jsonio

#: A child of the worker's logger: its lines land in ``client.get_worker_logs()``.
logger = logging.getLogger("distributed.worker.directlink")


@dataclass(frozen=True)
class WorkerSettings:
    """What every task needs: configuration and the keyring, shipped once."""

    config: Config
    keyring: Keyring
    render_text: bool = False
    color: bool = False
    #: Where the checked records are kept, in files, when every worker shares this machine's
    #: disk (Dask's local schedulers); None keeps them in the task's result, for Dask to hold.
    records_folder: str | None = None
    #: A random token: Dask names tasks after a hash of their arguments, never of a secret.
    token: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __dask_tokenize__(self) -> tuple[str, str]:
        return ("directlink-worker-settings", self.token)

    def local(self) -> AuditSettings:
        return AuditSettings(self.config, self.keyring, tuple(self.config.allowed_hosts),
                             self.render_text, self.color)

    def link_filter(self) -> LinkFilter:
        return LinkFilter(tuple(self.config.allowed_hosts) or None)


@dataclass(frozen=True, slots=True)
class Source:
    """Where a partition's links come from, as the summary and the locations name it."""

    path: str
    kind: SourceKind


#: Bytes of JSON lines (uncompressed) in one segment of a partition's records: the most the
#: driver receives in one message when it collects them (about a tenth of it, compressed).
SEGMENT_BYTES = 8 << 20


@dataclass(frozen=True, slots=True)
class Stored:
    """Compressed bytes a worker wrote to a file on this machine's disk, and where."""

    path: str
    offset: int
    length: int


#: A compressed stream: in memory, or in a file.
Compressed = bytes | Stored


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of a partition's records, compressed on its own so it can be sent on its own."""

    #: The partition's number (0-based) of the segment's first record.
    first: int
    locations: Compressed
    rests: Compressed


def _held(data: Compressed) -> int:
    return len(data) if isinstance(data, bytes) else 0


@dataclass(slots=True)
class PartitionAudit:
    """One partition's checked links, kept on the worker until the driver collects them.

    Each record is the local audit's JSON line, kept in two zlib-compressed
    streams (a tenth of the size; Dask spills them to the worker's disk under
    memory pressure): its ``location`` (lines counted from the partition's
    first line) and the rest of the line. Placing a record at its absolute
    line then rewrites only the small location, never the whole record. The
    streams are cut into segments of about :data:`SEGMENT_BYTES` of lines,
    which the driver fetches one at a time. Where the workers share this
    machine's disk, the streams are in files of
    :attr:`WorkerSettings.records_folder` and the partition holds only where
    they are (:class:`Stored`).
    """

    source: Source
    #: The local audit's per-task counts (links, findings, opaque links, ranstr hashes).
    counts: TaskResult
    segments: tuple[Segment, ...]
    newlines: int = 0
    records_seen: int = 0
    #: For a bag: the record (0-based in the partition) of each checked link.
    record_numbers: tuple[int, ...] = ()
    #: For a bag: the record of each opaque link.
    opaque_record_numbers: tuple[int, ...] = ()
    #: ``(record, sbs, ranstr, sbs_mm, app id)`` of mismatches no hypothesis explained.
    unexplained: tuple[tuple[int, str, str, str, str | None], ...] = ()

    def __sizeof__(self) -> int:
        """The bytes the partition holds, as Dask's ``sizeof`` reads them: the scheduler
        weighs moving a partition to another worker against running its tasks where it is,
        and the worker's memory manager counts it, by this size."""
        held = sum(_held(segment.locations) + _held(segment.rests) for segment in self.segments)
        numbers = 8 * (len(self.record_numbers) + len(self.opaque_record_numbers))
        return object.__sizeof__(self) + held + len(self.counts.ranstr_hashes) + numbers

    def record_number(self, number: int) -> int:
        return self.record_numbers[number] if self.record_numbers else 0

    def iter_lines(self) -> Iterator[bytes]:
        """Every record's JSON line, as written (lines relative to the partition), in order."""
        for segment in self.segments:
            for location, rest in _parts(segment):
                yield LOCATION_KEY + location + rest

    def lines(self) -> list[bytes]:
        """:meth:`iter_lines` as a list."""
        return list(self.iter_lines())

    def records(self) -> Iterator[dict[str, Any]]:
        for line in self.iter_lines():
            record: dict[str, Any] = jsonio.loads(line.decode("utf-8"))
            yield record

    def placed_lines(self, segment: int, shift: Shift,
                     causes: Mapping[int, Mapping[str, str]]) -> Iterator[bytes]:
        """One segment's records as JSON lines (newline included) at their absolute places
        (``causes`` are by record number in the partition), one at a time."""
        moved = shift != Shift()
        part = self.segments[segment]
        for number, (location, rest) in enumerate(_parts(part), start=part.first):
            if moved:
                placed = place(jsonio.loads(location.decode("utf-8")), shift,
                               self.record_number(number))
                location = _dumps(placed).encode("utf-8")
            line = LOCATION_KEY + location + rest
            cause = causes.get(number)
            if cause is not None:
                record = jsonio.loads(line.decode("utf-8"))
                record["signature_cause"] = dict(cause)
                line = _dumps(record).encode("utf-8")
            yield line + b"\n"

    def render(self, segment: int, shift: Shift,
               causes: Mapping[int, Mapping[str, str]]) -> bytes:
        """:meth:`placed_lines` compressed for the trip to the driver, line by line as they
        are placed: no uncompressed copy of the segment is made."""
        packer = zlib.compressobj(1)
        chunks = [packer.compress(line) for line in self.placed_lines(segment, shift, causes)]
        chunks.append(packer.flush())
        return b"".join(chunks)

    def write_spool(self, spool: str, shift: Shift,
                    causes: Mapping[int, Mapping[str, str]]) -> None:
        """Every record at its absolute place into the spool file ``spool``, where the
        worker shares the driver's disk: the records never travel to the driver."""
        with open(spool, "wb") as stream:
            for segment in range(len(self.segments)):
                stream.writelines(self.placed_lines(segment, shift, causes))


#: Compressed bytes decompressed at a time when a partition's records are read.
_READ_CHUNK = 1 << 16


def _parts(segment: Segment) -> Iterator[tuple[bytes, bytes]]:
    """Each record's location and rest, decompressed a piece at a time: a segment's records
    are never all in memory at once (they are ten times their compressed size)."""
    return zip(_lines(segment.locations), _lines(segment.rests), strict=True)


def _lines(compressed: Compressed) -> Iterator[bytes]:
    """The newline-terminated lines of a zlib stream, decompressed a chunk at a time
    (as ``zlib.decompress(compressed).split(b"\\n")[:-1]``, without the whole text)."""
    unpacker = zlib.decompressobj()
    pending = b""
    for chunk in _chunks(compressed):
        *complete, pending = (pending + unpacker.decompress(chunk)).split(b"\n")
        yield from complete
    *complete, pending = (pending + unpacker.flush()).split(b"\n")
    yield from complete


def _chunks(compressed: Compressed) -> Iterator[bytes]:
    """The stream :data:`_READ_CHUNK` bytes at a time, from memory or from its file."""
    if isinstance(compressed, bytes):
        for start in range(0, len(compressed), _READ_CHUNK):
            yield compressed[start:start + _READ_CHUNK]
        return
    with open(compressed.path, "rb") as stream:
        stream.seek(compressed.offset)
        left = compressed.length
        while left > 0:
            chunk = stream.read(min(_READ_CHUNK, left))
            if not chunk:
                raise OSError(f"the records in {compressed.path} are cut short")
            left -= len(chunk)
            yield chunk


class _Sink:
    """Where a compressed stream goes as it is made: a list of chunks, or a file."""

    def __init__(self, path: str | None) -> None:
        self._path = path
        self._file = open(path, "wb") if path is not None else None  # noqa: SIM115
        self._chunks: list[bytes] = []
        self._start = self._end = 0

    def write(self, chunk: bytes) -> None:
        if self._file is None:
            self._chunks.append(chunk)
        else:
            self._file.write(chunk)
        self._end += len(chunk)

    def take(self) -> Compressed:
        """What was written since the last call."""
        data: Compressed
        if self._path is None:
            data = b"".join(self._chunks)
            self._chunks = []
        else:
            data = Stored(self._path, self._start, self._end - self._start)
        self._start = self._end
        return data

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


class _RecordPacker:
    """Splits records into location and rest as they come, and compresses both streams,
    a segment of :data:`SEGMENT_BYTES` at a time, into memory or into two files of
    ``folder``."""

    def __init__(self, folder: str | None) -> None:
        self._segments: list[Segment] = []
        self.count = 0
        stem = os.path.join(folder, uuid.uuid4().hex) if folder is not None else None
        self._location_sink = _Sink(None if stem is None else stem + ".locations")
        self._rest_sink = _Sink(None if stem is None else stem + ".rests")
        self._start_segment()

    def _start_segment(self) -> None:
        self._locations = zlib.compressobj(1)
        self._rests = zlib.compressobj(1)
        self._first = self.count
        self._size = 0

    def _close_segment(self) -> None:
        self._location_sink.write(self._locations.flush())
        self._rest_sink.write(self._rests.flush())
        self._segments.append(Segment(self._first, self._location_sink.take(),
                                      self._rest_sink.take()))

    def add(self, record: Mapping[str, Any]) -> None:
        line = _dumps(record).encode("utf-8")
        location = _dumps(record["location"]).encode("utf-8")
        prefix = LOCATION_KEY + location
        if not line.startswith(prefix):  # pragma: no cover - records start with their location
            raise ValueError("a link record does not start with its location")
        self._location_sink.write(self._locations.compress(location + b"\n"))
        self._rest_sink.write(self._rests.compress(line[len(prefix):] + b"\n"))
        self.count += 1
        self._size += len(line) + 1
        if self._size >= SEGMENT_BYTES:
            self._close_segment()
            self._start_segment()

    def finish(self) -> tuple[Segment, ...]:
        """The segments; none where there was no record."""
        if self.count > self._first:
            self._close_segment()
        self.close()
        return tuple(self._segments)

    def close(self) -> None:
        self._location_sink.close()
        self._rest_sink.close()


@dataclass(frozen=True, slots=True)
class PartitionSummary:
    """What the driver needs of a partition before it collects the records."""

    source: Source
    counts: TaskResult
    newlines: int
    records_seen: int
    unexplained: tuple[tuple[int, str, str, str, str | None], ...] = ()
    #: How many segments the partition's records are in (see :meth:`PartitionAudit.render`).
    segments: int = 0


def _dumps(record: Mapping[str, Any]) -> str:
    # As the local audit writes its spool, so both engines give the same bytes.
    return jsonio.dumps(record)


def audit_links(found: UnitLinks, source: Source, settings: WorkerSettings) -> PartitionAudit:
    """Check every link a partition holds, as the local audit checks a task's links.

    The links are checked as they are extracted: a partition never holds more
    than one link's objects at once, besides the compressed records.
    """
    local_settings = settings.local()
    counts = TaskResult(0, source.path, source.kind)
    packer = _RecordPacker(settings.records_folder)
    unexplained: list[tuple[int, str, str, str, str | None]] = []
    numbers: list[int] = []
    opaque_numbers: list[int] = []
    hashes = array("q")
    # The local audit's window: a mismatch is first tried against the links just before it.
    window = LinkWindow()
    log = ReadLog()
    try:
        for item, number in guarded(found.links, log):
            if isinstance(item, OpaqueLink):
                counts.opaque.append(opaque_record(item, settings.keyring))
                opaque_numbers.append(number)
                continue
            record, report = checked_record(item, local_settings, window)
            window.append(report)
            ranstr = report.value(spec.RANSTR)
            hashes.append(ranstr_hash(ranstr) if ranstr else 0)
            count_link(counts, report, record)
            cause = record.get("signature_cause")
            if cause is not None and cause["hypothesis"] == UNKNOWN_CAUSE:
                link = report.link
                if link.sbs is not None and link.ranstr is not None and link.sbs_mm is not None:
                    unexplained.append((packer.count, link.sbs, link.ranstr, link.sbs_mm,
                                        link.app_id))
            packer.add(record)
            numbers.append(number)
        segments = packer.finish()
    finally:
        packer.close()
    settle(counts, log)
    counts.ranstr_hashes = hashes.tobytes()
    # Record numbers only vary in a bag partition; elsewhere they are all 0 and not kept.
    numbered = any(numbers) or any(opaque_numbers)
    return PartitionAudit(source, counts, segments, found.newlines, found.records,
                          tuple(numbers) if numbered else (),
                          tuple(opaque_numbers) if numbered else (), tuple(unexplained))


def read_and_audit(unit: Unit, settings: WorkerSettings) -> PartitionAudit:
    entry = unit.entry
    found = sources.read_unit(unit, settings.link_filter())
    block = unit.number if isinstance(unit, sources.TextBlock) else 0
    audited = audit_links(found, Source(entry.path, entry.kind), settings)
    _log("directlink: read %s block %d: %d links", entry.path, block, audited.counts.links)
    return audited


def audit_bag_partition(records: Iterable[Any], label: str,
                        settings: WorkerSettings) -> PartitionAudit:
    # A bag partition may be any iterable (a lazy map): it is counted, so it is listed.
    listed = records if isinstance(records, list) else list(records)
    found = sources.scan_bag_partition(listed, path=label, link_filter=settings.link_filter())
    audited = audit_links(found, Source(label, "text"), settings)
    _log("directlink: read a partition of %s: %d links", label, audited.counts.links)
    return audited


def audit_column_partition(cells: Any, column: str, label: str,
                           settings: WorkerSettings) -> PartitionAudit:
    found = sources.scan_column_partition(cells, column=column, path=label,
                                          link_filter=settings.link_filter())
    audited = audit_links(found, Source(label, "text"), settings)
    _log("directlink: read a partition of %s: %d links", label, audited.counts.links)
    return audited


def _log(message: str, *arguments: object) -> None:
    """One line in the worker's log; nothing where a task runs outside a Dask worker."""
    if "distributed" not in sys.modules:
        return  # not imported: no Dask worker runs here (and none is started by asking)
    try:
        from distributed import get_worker

        get_worker()
    except (ImportError, ValueError):
        return
    logger.info(message, *arguments)


def summarise(partition: PartitionAudit) -> PartitionSummary:
    return PartitionSummary(partition.source, partition.counts, partition.newlines,
                            partition.records_seen, partition.unexplained,
                            len(partition.segments))


def render(partition: PartitionAudit, segment: int, shift: Shift,
           causes: Mapping[int, Mapping[str, str]]) -> bytes:
    return partition.render(segment, shift, causes)


def write_spool(partition: PartitionAudit, spool: str, shift: Shift,
                causes: Mapping[int, Mapping[str, str]]) -> None:
    partition.write_spool(spool, shift, causes)
