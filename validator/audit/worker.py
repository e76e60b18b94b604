"""What one audit worker does: check the links of one task into its spool, and count them.

Each task writes its checked links as JSON lines into a spool file of its own
and sends back only its counts (a :class:`TaskResult`), so memory stays flat
however many links there are. A signature mismatch is diagnosed against the
:data:`BATCH_WINDOW` links before it in the same file (hypothesis
``other-link-values``), across the cuts of a split file too
(:class:`LinkWindow`), so the diagnosis does not depend on where a file was
cut. The Dask engine (:mod:`validator.distributed`) checks its partitions with
the same functions.
"""

from __future__ import annotations

import io
import re
import zlib
from array import array
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from validator import spec
from validator.audit.tasks import Task
from validator.check import check_parsed
from validator.config import Config
from validator.extract import ReadBudget, ReadLog, guarded, read_path, shown_path
from validator.extract.candidates import LinkFilter
from validator.extract.model import ExtractedLink, OpaqueLink, SourceKind
from validator.extract.text import scan_stream
from validator.keyring import Keyring
from validator.model import Report
from validator.record import UNKNOWN_CAUSE, LinkRecord, RecordJSON
from validator.redact import Redactor
from validator.report import jsonio
from validator.report.text import render_report
from validator.serialize import location_to_dict
from validator.suppression import Suppressions

#: Links just before a mismatching one (same file) tried by the cross-link diagnosis.
BATCH_WINDOW = 32
#: How far before its cut a range of a split file looks for the links of its window:
#: at first, and at most (a file with fewer links than that is not read back further).
LEAD_IN_BYTES = 64 * 1024
MAX_LEAD_IN_BYTES = 8 * 1024 * 1024
SIGNATURE_CODES = frozenset({"DL306", "DL307"})
#: Records are about a kilobyte each: written a megabyte at a time, not eight kilobytes.
SPOOL_BUFFER_BYTES = 1 << 20
_HEX = re.compile(r"[0-9A-Fa-f]{16,128}")


@dataclass(frozen=True)
class AuditSettings:
    """What every worker needs: configuration, secrets, allowed hosts, text rendering."""

    config: Config
    keyring: Keyring
    hosts: tuple[str, ...]
    #: Render each link as the check command's text (for ``--format text``).
    render_text: bool = False
    color: bool = False
    #: What one file may cost (image pixels and bytes, e-mail parts, HTML depth).
    budget: ReadBudget = field(default_factory=ReadBudget)
    #: Inline comments, per-file ignores and the baseline (None: suppress nothing).
    suppressions: Suppressions | None = None



@dataclass(slots=True)
class TaskResult:
    """A task's counts and what the batch rules and the summary need of it."""

    index: int
    path: str
    kind: SourceKind
    error: str | None = None
    skip_reason: str | None = None
    #: Why the file was read only in part, where it was.
    partial: str | None = None
    #: The extra the file's reader needs, where it is not installed (the install command).
    unsupported: str | None = None
    links: int = 0
    links_with_findings: int = 0
    by_severity: Counter[str] = field(default_factory=Counter)
    by_code: Counter[str] = field(default_factory=Counter)
    by_code_severity: Counter[tuple[str, str]] = field(default_factory=Counter)
    signature: list[tuple[str, str]] = field(default_factory=list)
    opaque: list[dict[str, Any]] = field(default_factory=list)
    #: 64-bit hash of each link's ranstr (0 where it has none), in record order.
    ranstr_hashes: bytes = b""
    #: Where each record starts in the spool, so the batch rules read back only theirs.
    record_offsets: bytes = b""
    #: Findings suppressed (inline, per-file, baseline) and comments that silenced nothing.
    suppressed: int = 0
    unused_suppressions: list[dict[str, Any]] = field(default_factory=list)


#: The settings :func:`install` gave this process (the pool's initializer).
_SETTINGS: AuditSettings | None = None


def install(settings: AuditSettings) -> None:
    """Give this process the settings :func:`run_task` reads."""
    global _SETTINGS
    _SETTINGS = settings


def ranstr_hash(ranstr: str) -> int:
    """A 64-bit hash, the same in every process (equal hashes are compared in full after)."""
    data = ranstr.encode("utf-8", "surrogatepass")
    value = (zlib.crc32(data) << 31) ^ zlib.adler32(data) ^ len(data)
    return value or 1


def _signature_cause(report: Report, keyring: Keyring,
                     batch: Sequence[Report]) -> tuple[str, str] | None:
    """``(hypothesis id, headline)`` for a link with a signature finding and a known secret.

    Only such a link, and the links of its batch, are parsed here, and only where the
    keyring holds a secret for some app.
    """
    for finding in report.findings:
        if finding.code in SIGNATURE_CODES:
            break
    else:
        return None
    if keyring.default is None and not keyring.per_app:
        return None  # no secret for any app: nothing to diagnose, and no parse
    link = report.link
    secret = keyring.for_app(link.app_id)
    if secret is None:
        return None
    sbs, ranstr, given = link.sbs, link.ranstr, link.sbs_mm
    if sbs is None or ranstr is None or given is None or not _HEX.fullmatch(given):
        # A placeholder or garbage in sbs_mm is a template problem, not a signing one.
        return None
    from validator.diagnose import signature_cause

    # The first cause is all the summary names: hypotheses stop at the first match.
    others = [other.link for other in batch if other.link.input != link.input]
    cause = signature_cause(sbs, ranstr, given, secret, batch=others)
    if cause is None:
        return None
    if cause.hypothesis is not None:
        return cause.hypothesis, cause.headline.rstrip(".")
    return UNKNOWN_CAUSE, "signature mismatch of unknown cause"


def run_task(task: Task) -> TaskResult:
    """Check every link of ``task`` into its spool; return the counts."""
    settings = _SETTINGS
    assert settings is not None, "worker settings not installed"
    result = TaskResult(task.index, task.path, task.kind)
    link_filter = LinkFilter(settings.hosts or None)
    hashes = array("q")
    offsets = array("q")
    position = 0
    window = LinkWindow(links_before_cut(task, settings)
                        if task.start > 0 and settings.keyring else None)
    suppressions = (None if settings.suppressions is None else
                    settings.suppressions.for_file(task.path, task.kind,
                                                   whole_file=task.end is None))
    # Most files hold no suppression comment and a run has no ignores: nothing to apply.
    suppress = (suppressions.apply if suppressions is not None and suppressions.can_suppress
                else None)
    log = ReadLog()
    with open(task.spool, "wb", buffering=SPOOL_BUFFER_BYTES) as spool:
        for item in _extract(task, link_filter, log, settings.budget):
            if isinstance(item, OpaqueLink):
                result.opaque.append(opaque_record(item, settings.keyring))
                continue
            record, report = checked_record(item, settings, window)
            if suppress is not None:
                record = suppress(record)
            window.append(report)
            ranstr = report.value(spec.RANSTR)
            hashes.append(ranstr_hash(ranstr) if ranstr else 0)
            count_link(result, report, record)
            line = jsonio.dumps_bytes(record) + b"\n"
            spool.write(line)
            offsets.append(position)
            position += len(line)
    settle(result, log)
    result.ranstr_hashes = hashes.tobytes()
    result.record_offsets = offsets.tobytes()
    if suppressions is not None:
        result.suppressed = suppressions.suppressed
        result.unused_suppressions = suppressions.unused(task.path)
    return result


class LinkWindow(Sequence[Report]):
    """The reports of the :data:`BATCH_WINDOW` links before the one being checked.

    A range cut from the middle of a file is given ``lead_in``, which reads
    the links just before the cut: it runs the first time a mismatch reads
    the window while the range has not yet checked enough links of its own
    (so most ranges never read back).
    """

    __slots__ = ("_lead_in", "_recent")

    def __init__(self, lead_in: Callable[[], list[Report]] | None = None) -> None:
        self._recent: deque[Report] = deque(maxlen=BATCH_WINDOW)
        self._lead_in = lead_in

    def append(self, report: Report) -> None:
        self._recent.append(report)

    def _reports(self) -> deque[Report]:
        lead_in = self._lead_in
        if lead_in is not None:
            self._lead_in = None
            if len(self._recent) < BATCH_WINDOW:
                self._recent = deque([*lead_in(), *self._recent], maxlen=BATCH_WINDOW)
        return self._recent

    def __len__(self) -> int:
        return len(self._reports())

    @overload
    def __getitem__(self, index: int) -> Report: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Report]: ...

    def __getitem__(self, index: int | slice) -> Report | Sequence[Report]:
        reports = self._reports()
        return list(reports)[index] if isinstance(index, slice) else reports[index]

    def __iter__(self) -> Iterator[Report]:
        return iter(self._reports())


def links_before_cut(task: Task, settings: AuditSettings) -> Callable[[], list[Report]]:
    """What reads the reports of the last :data:`BATCH_WINDOW` links before ``task``'s range:
    from :data:`LEAD_IN_BYTES` before the cut, four times further each time too few are
    found, up to :data:`MAX_LEAD_IN_BYTES` or the start of the file."""

    def read() -> list[Report]:
        # A filter of its own: the range's filter remembers the last link it parsed.
        link_filter = LinkFilter(settings.hosts or None)
        try:
            with open(task.path, "rb") as stream:
                reach = LEAD_IN_BYTES
                while True:
                    begin = max(0, task.start - reach)
                    stream.seek(begin)
                    data = stream.read(task.start - begin)
                    if begin > 0:
                        # From the first whole line on: the range before the cut ends at a
                        # line end.
                        data = data[data.find(b"\n") + 1:] if b"\n" in data else b""
                    found = [item for item in scan_stream(io.BytesIO(data), path=task.path,
                                                          link_filter=link_filter,
                                                          encoding=task.encoding or "utf-8")
                             if isinstance(item, ExtractedLink)]
                    if len(found) >= BATCH_WINDOW or begin == 0 or reach >= MAX_LEAD_IN_BYTES:
                        break
                    reach = min(reach * 4, MAX_LEAD_IN_BYTES)
        except OSError:
            # Gone or unreadable since it was planned: the range's own read says so; its
            # window starts at the cut.
            return []
        return [_check(item, settings) for item in found[-BATCH_WINDOW:]]

    return read


def settle(result: TaskResult, log: ReadLog) -> None:
    """The task's status, as the extraction's failure guard logged it."""
    status = log.status
    if status == "unreadable":
        result.error = log.reason
    elif status == "unsupported":
        result.unsupported = log.reason
    elif status == "skipped":
        result.skip_reason = log.reason
    elif status == "partial":
        result.partial = log.reason


def _extract(task: Task, link_filter: LinkFilter, log: ReadLog,
             budget: ReadBudget) -> Iterator[ExtractedLink | OpaqueLink]:
    """The task's links, read under the failure guard (``log`` says what became of it)."""
    if task.end is None:
        yield from read_path(task.path, log, link_filter=link_filter, kind=task.kind,
                             budget=budget)
        return
    yield from guarded(_extract_range(task, link_filter), log)


def _extract_range(task: Task, link_filter: LinkFilter) -> Iterator[ExtractedLink | OpaqueLink]:
    assert task.end is not None
    with open(task.path, "rb") as stream:
        stream.seek(task.start)
        yield from scan_stream(stream, path=shown_path(task.path), link_filter=link_filter,
                               encoding=task.encoding, first_line=task.first_line,
                               limit=task.end - task.start)


def opaque_record(item: OpaqueLink, keyring: Keyring) -> dict[str, Any]:
    """A click-tracking link as the summary lists it (a secret written into it masked).

    Shared with the Dask engine (:mod:`validator.distributed`), as :func:`checked_record`.
    """
    opaque: dict[str, Any] = {
        "url": item.url,
        "tracker": item.tracker,
        "location": location_to_dict(item.location),
    }
    pattern = keyring.spelling_pattern
    if pattern is not None and pattern.search(item.url):
        opaque = Redactor(keyring).secrets(opaque)
    return opaque


def checked_record(item: ExtractedLink, settings: AuditSettings,
                   window: Sequence[Report]) -> tuple[RecordJSON, Report]:
    """One link checked into its record and report, as every audit engine does it.

    A secret (or a full inner digest) written into the link itself (DL309) is
    masked wherever the record shows it, by the spans that reveal it.
    """
    record, report = _check_record(item, settings, window)
    keyring = settings.keyring
    if keyring:
        pattern = keyring.spelling_pattern
        if keyring.exposures(report.link) or (
                pattern is not None and pattern.search(item.wrapped_url or item.url)):
            record = Redactor(keyring).record(record, report.link)
    return record, report


def _check(item: ExtractedLink, settings: AuditSettings) -> Report:
    return check_parsed(item.url, item.parsed, secret=settings.keyring.default,
                        secrets=settings.keyring.per_app, config=settings.config)


def _check_record(item: ExtractedLink, settings: AuditSettings,
                  window: Sequence[Report]) -> tuple[RecordJSON, Report]:
    report = _check(item, settings)
    record = LinkRecord.extracted(item, report)
    record.signature_cause = _signature_cause(report, settings.keyring, window)
    if settings.render_text and report.findings:
        record.text = render_report(report, color=settings.color, show_fixes=True)
    return record.to_json(), report


def count_link(result: TaskResult, report: Report, record: Mapping[str, Any]) -> None:
    """Add one checked link to a task's counts (its record's findings: suppressed ones are not)."""
    findings = record["report"]["findings"]
    result.links += 1
    if findings:
        result.links_with_findings += 1
    for finding in findings:
        result.by_severity[finding["severity"]] += 1
        result.by_code[finding["code"]] += 1
        result.by_code_severity[(finding["code"], finding["severity"])] += 1
    cause = record.get("signature_cause")
    if cause is not None:
        result.signature.append((cause["hypothesis"], cause["headline"]))

