"""Audit many links: find them in files and folders, check each, then the batch rules.

    >>> from validator.auditing import audit
    >>> with audit(["templates/"], secrets=secrets_by_app) as result:
    ...     print(result.summary.links, result.summary.by_severity)
    ...     for record in result.records():
    ...         print(record["location"], record["report"]["findings"])

The work is split into tasks, one per file or per byte range of a large text
file (cut at line ends), run in worker processes (``jobs``, default the
machine's cores). Each task writes its checked links as JSON lines into a
spool file of its own and sends back only its counts, so memory stays flat
however many links there are. Results are read back in task order, so the
output order is deterministic whatever the number of workers. The batch
rules (DL310 ``ranstr-reused``) then look across every link: the tasks send
a 64-bit hash of each ``ranstr``, and only links whose hash repeats are read
back and compared. A signature mismatch is diagnosed against the 32 links
before it in the same file (hypothesis ``other-link-values``), and grouped by
its cause and source in the summary.

Every path is accounted for in :attr:`AuditResult.paths` (audited, skipped
with a reason, or unreadable with a reason) and every link in the summary.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import tempfile
import zlib
from array import array
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, BinaryIO

from validator.check import check, check_many, selected_rules
from validator.config import Config
from validator.diagnose import redact, redaction_pattern
from validator.extract import SkipFile, extract_path
from validator.extract.candidates import LinkFilter
from validator.extract.model import ExtractedLink, Location, OpaqueLink, SourceKind
from validator.extract.text import scan_stream, sniff_encoding
from validator.extract.walk import SNIFF_BYTES, is_binary, walk
from validator.model import SEVERITY_RANK, DirectLink, Report
from validator.report import jsonio
from validator.report.text import render_report
from validator.rules import BatchRule
from validator.serialize import finding_to_dict, outcome_to_dict
from validator.signature import Secret

#: Text files above this size are split into ranges checked in parallel.
SPLIT_BYTES = 8 * 1024 * 1024
#: Links just before a mismatching one (same file) tried by the cross-link diagnosis.
BATCH_WINDOW = 32
#: The hypothesis id a signature finding is grouped under when no hypothesis explains it.
UNKNOWN_CAUSE = "unknown-cause"
SIGNATURE_CODES = frozenset({"DL306", "DL307"})
#: Opaque click-tracking links listed in the summary (all are counted).
MAX_LISTED_OPAQUE = 1000
_HEX = re.compile(r"[0-9A-Fa-f]{16,128}")


@dataclass(frozen=True, slots=True)
class PathResult:
    """What became of one path: ``audited``, ``skipped`` or ``unreadable``, and why."""

    path: str
    status: str
    kind: SourceKind | None = None
    reason: str | None = None
    links: int = 0
    opaque: int = 0


@dataclass(slots=True)
class SignatureGroup:
    """Signature findings explained by one cause, and the files they came from."""

    cause: str
    headline: str
    count: int = 0
    sources: Counter[str] = field(default_factory=Counter)

    def describe(self) -> str:
        sources = self.sources.most_common()
        if len(sources) == 1:
            where = f"all from {sources[0][0]}"
        else:
            shown = ", ".join(f"{path} ({count})" for path, count in sources[:3])
            hidden = len(sources) - 3
            more = f" and {hidden} more file{'s' if hidden > 1 else ''}" if hidden > 0 else ""
            where = f"from {shown}{more}"
        noun = "link" if self.count == 1 else "links"
        return f"{self.count} {noun}: {self.headline}, {where}"


@dataclass(slots=True)
class AuditSummary:
    files: int = 0
    audited: int = 0
    skipped: int = 0
    unreadable: int = 0
    links: int = 0
    links_with_findings: int = 0
    opaque: int = 0
    by_severity: Counter[str] = field(default_factory=Counter)
    by_code: Counter[str] = field(default_factory=Counter)
    #: Findings per (code, severity), for the chart of the HTML report.
    by_code_severity: Counter[tuple[str, str]] = field(default_factory=Counter)
    signature_groups: dict[str, SignatureGroup] = field(default_factory=dict)
    opaque_links: list[dict[str, Any]] = field(default_factory=list)

    def worst(self) -> str | None:
        present = [severity for severity, count in self.by_severity.items() if count]
        return max(present, key=SEVERITY_RANK.__getitem__, default=None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "audited": self.audited,
            "skipped": self.skipped,
            "unreadable": self.unreadable,
            "links": self.links,
            "links_with_findings": self.links_with_findings,
            "opaque_links": self.opaque,
            "findings": sum(self.by_severity.values()),
            "by_severity": {s: self.by_severity.get(s, 0) for s in ("error", "warning", "info")},
            "by_code": dict(sorted(self.by_code.items())),
            "by_code_severity": [
                {"code": code, "severity": severity, "count": count}
                for (code, severity), count in sorted(self.by_code_severity.items())
            ],
            "signature_groups": [
                {
                    "cause": group.cause,
                    "headline": group.headline,
                    "count": group.count,
                    "sources": dict(group.sources.most_common()),
                    "text": group.describe(),
                }
                for group in sorted(self.signature_groups.values(), key=lambda g: -g.count)
            ],
            "opaque": list(self.opaque_links),
        }


# Settings and tasks -----------------------------------------------------------


@dataclass(frozen=True)
class _Settings:
    config: Config
    secret: Secret | None
    secrets: Mapping[str, Secret]
    hosts: tuple[str, ...]
    #: Render each link as the check command's text (for ``--format text``).
    render_text: bool = False
    color: bool = False


@dataclass(frozen=True, slots=True)
class _Task:
    index: int
    path: str
    kind: SourceKind
    spool: str
    #: Byte range of a split text file, and the line its first byte is on.
    start: int = 0
    end: int | None = None
    first_line: int = 1
    encoding: str | None = None


@dataclass(slots=True)
class _TaskResult:
    index: int
    path: str
    kind: SourceKind
    error: str | None = None
    skip_reason: str | None = None
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


_SETTINGS: _Settings | None = None
_SECRET_PATTERN: re.Pattern[str] | None = None


def _install(settings: _Settings) -> None:
    global _SETTINGS, _SECRET_PATTERN
    _SETTINGS = settings
    _SECRET_PATTERN = secret_pattern(settings)


def secret_pattern(settings: _Settings) -> re.Pattern[str] | None:
    """Every form of every secret the run knows, to mask them (None: no secret known)."""
    known = [*settings.secrets.values(), *([settings.secret] if settings.secret else [])]
    return redaction_pattern(known)


def _without_secrets(item: Any, pattern: re.Pattern[str]) -> Any:
    """``item`` with every form of every known secret shown as ``<AppSecret>``."""
    if isinstance(item, str):
        return redact(item, pattern)
    if isinstance(item, dict):
        return {key: _without_secrets(value, pattern) for key, value in item.items()}
    if isinstance(item, list):
        return [_without_secrets(value, pattern) for value in item]
    return item


def ranstr_hash(ranstr: str) -> int:
    """A 64-bit hash, the same in every process (equal hashes are compared in full after)."""
    data = ranstr.encode("utf-8", "surrogatepass")
    value = (zlib.crc32(data) << 31) ^ zlib.adler32(data) ^ len(data)
    return value or 1


def location_to_dict(location: Location) -> dict[str, Any]:
    return {
        "path": location.path,
        "line": location.line,
        "column": location.column,
        "kind": location.kind,
        "json_path": location.json_path,
        "part": location.part,
    }


# Checking one link ------------------------------------------------------------------


def _signature_cause(report: Report, secret: Secret | None,
                     batch: Sequence[DirectLink]) -> tuple[str, str] | None:
    """``(hypothesis id, headline)`` for a link with a signature finding and a known secret."""
    if secret is None or not SIGNATURE_CODES.intersection(report.codes()):
        return None
    link = report.link
    sbs, ranstr, given = link.sbs, link.ranstr, link.sbs_mm
    if sbs is None or ranstr is None or given is None or not _HEX.fullmatch(given):
        # A placeholder or garbage in sbs_mm is a template problem, not a signing one.
        return None
    from validator.diagnose import diagnose_signature

    others = [other for other in batch if other.input != link.input]
    diagnosis = diagnose_signature(sbs, ranstr, given, secret, batch=others)
    if diagnosis.ok:
        return None
    if diagnosis.matches:
        return diagnosis.matches[0], diagnosis.headline.rstrip(".")
    return UNKNOWN_CAUSE, "signature mismatch of unknown cause"


def _run_task(task: _Task) -> _TaskResult:
    settings = _SETTINGS
    assert settings is not None, "worker settings not installed"
    result = _TaskResult(task.index, task.path, task.kind)
    link_filter = LinkFilter(settings.hosts or None)
    hashes = array("q")
    offsets = array("q")
    position = 0
    window: deque[DirectLink] = deque(maxlen=BATCH_WINDOW)
    try:
        with open(task.spool, "wb") as spool:
            for item in _extract(task, link_filter):
                if isinstance(item, OpaqueLink):
                    result.opaque.append(opaque_record(item, _SECRET_PATTERN))
                    continue
                record, report = checked_record(item, settings, window, _SECRET_PATTERN)
                window.append(report.link)
                ranstr = report.link.ranstr
                hashes.append(ranstr_hash(ranstr) if ranstr else 0)
                _count(result, report, record)
                line = jsonio.dumps_bytes(record) + b"\n"
                spool.write(line)
                offsets.append(position)
                position += len(line)
    except SkipFile as skip:
        result.skip_reason = str(skip)
    except OSError as error:
        result.error = error.strerror or str(error)
    except UnicodeDecodeError as error:
        result.error = f"cannot decode: {error.reason}"
    result.ranstr_hashes = hashes.tobytes()
    result.record_offsets = offsets.tobytes()
    return result


def _extract(task: _Task, link_filter: LinkFilter) -> Iterator[ExtractedLink | OpaqueLink]:
    if task.end is None:
        yield from extract_path(task.path, link_filter=link_filter, kind=task.kind)
        return
    with open(task.path, "rb") as stream:
        stream.seek(task.start)
        yield from scan_stream(stream, path=task.path, link_filter=link_filter,
                               encoding=task.encoding, first_line=task.first_line,
                               limit=task.end - task.start)


def link_record(item: ExtractedLink, report: Report) -> dict[str, Any]:
    """The JSON-ready record of one checked link, as every output format reads it.

    Leaner than :func:`validator.serialize.report_to_dict` (an audit may hold
    millions): the findings in full, what the page does (browser outcome, and
    the SDK's where it differs) and the decoded parameters with their spans.
    """
    link = report.link
    browser = report.outcome
    sdk = report.outcomes.get("sdk")
    compact: dict[str, Any] = {
        "link": {
            "app_id": link.app_id,
            "host": link.host,
            "params": [
                {"name": p.name, "value": p.value, "raw": p.raw, "span": [p.start, p.end]}
                for p in link.params
            ],
        },
        "findings": [finding_to_dict(finding) for finding in report.findings],
        "outcome": outcome_to_dict(browser),
    }
    if sdk is not None and sdk != browser:
        compact["sdk_outcome"] = outcome_to_dict(sdk)
    return {
        "location": location_to_dict(item.location),
        "url": item.url,
        "wrappers": list(item.wrappers),
        "wrapped_url": item.wrapped_url,
        "verbatim": item.verbatim,
        "report": compact,
    }


def opaque_record(item: OpaqueLink, pattern: re.Pattern[str] | None) -> dict[str, Any]:
    """A click-tracking link as the summary lists it (a secret written into it masked).

    Shared with the Dask engine (:mod:`validator.distributed`), as :func:`checked_record`.
    """
    opaque: dict[str, Any] = {
        "url": item.url,
        "tracker": item.tracker,
        "location": location_to_dict(item.location),
    }
    if pattern is not None and pattern.search(item.url):
        opaque = _without_secrets(opaque, pattern)
    return opaque


def checked_record(item: ExtractedLink, settings: _Settings, window: Sequence[DirectLink],
                   pattern: re.Pattern[str] | None) -> tuple[dict[str, Any], Report]:
    """One link checked into its record and report, as every audit engine does it."""
    record, report = _check_record(item, settings, window)
    if pattern is not None and pattern.search(item.wrapped_url or item.url):
        # A secret written into the link itself (DL309) is never shown.
        record = _without_secrets(record, pattern)
    return record, report


def _check_record(item: ExtractedLink, settings: _Settings,
                  window: Sequence[DirectLink]) -> tuple[dict[str, Any], Report]:
    report = check(item.parsed or item.url, secret=settings.secret, secrets=settings.secrets,
                   config=settings.config)
    record = link_record(item, report)
    app_id = report.link.app_id
    app_secret = settings.secrets.get(app_id, settings.secret) if app_id else settings.secret
    cause = _signature_cause(report, app_secret, window)
    if cause is not None:
        record["signature_cause"] = {"hypothesis": cause[0], "headline": cause[1]}
    if settings.render_text and report.findings:
        record["text"] = render_report(report, color=settings.color, show_fixes=True)
    return record, report


def _count(result: _TaskResult, report: Report, record: Mapping[str, Any]) -> None:
    result.links += 1
    if report.findings:
        result.links_with_findings += 1
    for finding in report.findings:
        result.by_severity[finding.severity] += 1
        result.by_code[finding.code] += 1
        result.by_code_severity[(finding.code, finding.severity)] += 1
    cause = record.get("signature_cause")
    if cause is not None:
        result.signature.append((cause["hypothesis"], cause["headline"]))


# Planning ------------------------------------------------------------------------


def _plan(
    paths: Iterable[str | os.PathLike[str]],
    include: Sequence[str],
    exclude: Sequence[str],
    spool_dir: str,
) -> tuple[list[_Task], list[PathResult]]:
    """Tasks to run, and the paths already settled (skipped, unreadable)."""
    tasks: list[_Task] = []
    settled: list[PathResult] = []
    for entry in walk(paths, include=include, exclude=exclude):
        if entry.error is not None:
            settled.append(PathResult(entry.path, "unreadable", None, entry.error))
            continue
        if entry.kind is None:
            settled.append(PathResult(entry.path, "skipped", None, entry.skip_reason))
            continue
        for task in _split(entry.path, entry.kind, len(tasks), spool_dir):
            tasks.append(task)
    return tasks, settled


def _split(path: str, kind: SourceKind, first_index: int, spool_dir: str) -> Iterator[_Task]:
    """One task for the file, or one per range of a large text file, cut after a newline."""

    def spool(index: int) -> str:
        return os.path.join(spool_dir, f"{index:08d}.jsonl")

    try:
        size = os.path.getsize(path)
    except OSError:
        size = 0
    if kind != "text" or size <= SPLIT_BYTES:
        yield _Task(first_index, path, kind, spool(first_index))
        return
    try:
        with open(path, "rb") as stream:
            head = stream.read(SNIFF_BYTES)
            encoding = sniff_encoding(head)
            if is_binary(head) or encoding not in ("utf-8", "utf-8-sig"):
                yield _Task(first_index, path, kind, spool(first_index))
                return
            stream.seek(0)
            start, line, index = 0, 1, first_index
            while start < size:
                end = _cut_after_newline(stream, start + SPLIT_BYTES, size)
                yield _Task(index, path, kind, spool(index), start, end, line,
                            "utf-8-sig" if start == 0 else "utf-8")
                line += _count_newlines(stream, start, end)
                start, index = end, index + 1
    except OSError:
        yield _Task(first_index, path, kind, spool(first_index))


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


# The result -------------------------------------------------------------------------


class AuditResult:
    """Paths, summary and (read lazily from the spool) every checked link.

    Use it as a context manager, or call :meth:`close`, to delete the spool.
    """

    def __init__(self, paths: list[PathResult], summary: AuditSummary,
                 spools: list[str], batch: BatchIndex, spool_dir: str, config: Config) -> None:
        self.paths = paths
        self.summary = summary
        self.config = config
        self._spools = spools
        self._batch = batch
        self._spool_dir = spool_dir

    def records(self) -> Iterator[dict[str, Any]]:
        """Every checked link, in order: path, then position in the file."""
        for task_index, spool in enumerate(self._spools):
            if not os.path.exists(spool):
                continue
            with open(spool, encoding="utf-8") as stream:
                for number, line in enumerate(stream):
                    record: dict[str, Any] = jsonio.loads(line)
                    key = (task_index, number)
                    if self._batch.concerns(key):
                        record["report"]["findings"].extend(self._batch.findings_for(key, record))
                    yield record

    def record_lines(self) -> Iterator[str]:
        """Every record as one line of compact JSON, in order, without parsing it again
        (unless a batch finding has to be added)."""
        for task_index, spool in enumerate(self._spools):
            if not os.path.exists(spool):
                continue
            with open(spool, encoding="utf-8") as stream:
                for number, line in enumerate(stream):
                    key = (task_index, number)
                    if self._batch.concerns(key):
                        record = jsonio.loads(line)
                        record["report"]["findings"].extend(self._batch.findings_for(key, record))
                        yield jsonio.dumps(record)
                    else:
                        yield line.rstrip("\n")

    def failed(self, fail_on: str = "error") -> bool:
        """True where a finding is at or above ``fail_on`` (``error``, ``warning``, ``info``)."""
        floor = SEVERITY_RANK[fail_on]
        return any(
            count and SEVERITY_RANK[severity] >= floor
            for severity, count in self.summary.by_severity.items()
        )

    def close(self) -> None:
        shutil.rmtree(self._spool_dir, ignore_errors=True)

    def __enter__(self) -> AuditResult:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()


ProgressCallback = Callable[[int, int, int], None]
"""Called with (files done, files total, links so far) as tasks finish."""


def audit(
    paths: Iterable[str | os.PathLike[str]],
    *,
    secret: Secret | None = None,
    secrets: Mapping[str, Secret] | None = None,
    config: Config | None = None,
    jobs: int | None = None,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    progress: ProgressCallback | None = None,
    render_text: bool = False,
    color: bool = False,
) -> AuditResult:
    """Find every direct link under ``paths``, check each, then run the batch rules.

    ``secret`` signs every app, ``secrets`` maps app ids to their secrets;
    ``jobs`` is the number of worker processes (default: the machine's cores,
    1 runs in this process). With ``render_text`` each record with findings
    also carries the check command's annotated text (``color`` for a terminal).
    """
    config = config or Config()
    settings = _Settings(config, secret, dict(secrets or {}), tuple(config.allowed_hosts),
                         render_text, color)
    spool_dir = tempfile.mkdtemp(prefix="directlink-audit-")
    try:
        tasks, settled = _plan(paths, include, exclude, spool_dir)
        results = _execute(tasks, settings, jobs, progress)
        paths_out, summary = _summarise(tasks, results, settled)
        batch = _batch_index(tasks, results, config)
    except BaseException:
        shutil.rmtree(spool_dir, ignore_errors=True)
        raise
    findings, newly_flagged, severity = batch.totals()
    if findings and severity is not None:
        summary.by_severity[severity] += findings
        summary.by_code["DL310"] += findings
        summary.by_code_severity[("DL310", severity)] += findings
    summary.links_with_findings += newly_flagged
    return AuditResult(paths_out, summary, [task.spool for task in tasks], batch, spool_dir,
                       config)


def _execute(tasks: Sequence[_Task], settings: _Settings, jobs: int | None,
             progress: ProgressCallback | None) -> list[_TaskResult]:
    workers = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
    results: list[_TaskResult] = []
    files_total = len({task.path for task in tasks})
    done_paths: set[str] = set()
    links = 0

    def advance(result: _TaskResult) -> None:
        nonlocal links
        results.append(result)
        links += result.links
        done_paths.add(result.path)
        if progress is not None:
            progress(len(done_paths), files_total, links)

    if workers == 1 or len(tasks) <= 1:
        _install(settings)
        for task in tasks:
            advance(_run_task(task))
        return results
    executor: Executor = ProcessPoolExecutor(
        max_workers=min(workers, len(tasks)), initializer=_install, initargs=(settings,)
    )
    with executor:
        for result in executor.map(_run_task, tasks):
            advance(result)
    return results


def _summarise(tasks: Sequence[_Task], results: Sequence[_TaskResult],
               settled: Sequence[PathResult]) -> tuple[list[PathResult], AuditSummary]:
    summary = AuditSummary()
    per_path: dict[str, PathResult] = {}
    for result in results:
        previous = per_path.get(result.path)
        status, reason = "audited", None
        if result.error is not None:
            status, reason = "unreadable", result.error
        elif result.skip_reason is not None:
            status, reason = "skipped", result.skip_reason
        if previous is not None:
            if previous.status != "audited":
                status, reason = previous.status, previous.reason
            per_path[result.path] = PathResult(
                result.path, status, result.kind, reason,
                previous.links + result.links, previous.opaque + len(result.opaque),
            )
        else:
            per_path[result.path] = PathResult(
                result.path, status, result.kind, reason, result.links, len(result.opaque)
            )
        summary.links += result.links
        summary.links_with_findings += result.links_with_findings
        summary.by_severity.update(result.by_severity)
        summary.by_code.update(result.by_code)
        summary.by_code_severity.update(result.by_code_severity)
        summary.opaque += len(result.opaque)
        room = MAX_LISTED_OPAQUE - len(summary.opaque_links)
        summary.opaque_links.extend(result.opaque[:max(room, 0)])
        for cause, headline in result.signature:
            group = summary.signature_groups.setdefault(cause, SignatureGroup(cause, headline))
            group.count += 1
            group.sources[result.path] += 1
    ordered = list(per_path.values()) + list(settled)
    ordered.sort(key=lambda entry: entry.path)
    for entry in ordered:
        summary.files += 1
        if entry.status == "audited":
            summary.audited += 1
        elif entry.status == "skipped":
            summary.skipped += 1
        else:
            summary.unreadable += 1
    return ordered, summary


# Batch rules ------------------------------------------------------------------------


#: Other links' locations a DL310 message names.
SHOWN_LOCATIONS = 5


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

    def concerns(self, key: tuple[int, int]) -> bool:
        hashes = self._hashes.get(key[0])
        return hashes is not None and key[1] < len(hashes) and hashes[key[1]] in self._reused_hashes

    def findings_for(self, key: tuple[int, int], record: Mapping[str, Any]) -> list[dict[str, Any]]:
        if self._template is None or not self.concerns(key):
            return []
        param = _first_param(record, "ranstr")
        if param is None:
            return []
        ranstr, span = param
        group = self._groups.get(ranstr)
        if group is None or not group.reused:
            return []
        others = [where for place, where in group.places if place != key][:SHOWN_LOCATIONS]
        more = group.count - 1 - len(others)
        shown = ", ".join(others) + (f" and {more} more" if more > 0 else "")
        finding = dict(self._template)
        finding["message"] = (f"ranstr={ranstr!r} is also used by {group.count - 1} other "
                              f"link{'s' if group.count > 2 else ''}: at {shown}")
        finding["span"] = list(span)
        return [finding]

    def totals(self) -> tuple[int, int, str | None]:
        """(findings, links that had no finding before, severity)."""
        if self._template is None:
            return 0, 0, None
        reused = [group for group in self._groups.values() if group.reused]
        return (sum(group.count for group in reused),
                sum(group.clean_members for group in reused), self._template["severity"])


def _first_param(record: Mapping[str, Any], name: str) -> tuple[str, tuple[int, int]] | None:
    for param in record["report"]["link"]["params"]:
        if param["name"] == name:
            start, end = param["span"]
            raw = param["raw"]
            equals = raw.find("=")
            value_start = start + equals + 1 if equals >= 0 else end
            return param["value"], (value_start, end)
    return None


def _batch_index(tasks: Sequence[_Task], results: Sequence[_TaskResult],
                 config: Config) -> BatchIndex:
    """Find the links whose ``ranstr`` repeats (by hash), read only those back, group them."""
    hashes: dict[int, array[int]] = {}
    for result in results:
        values = array("q")
        values.frombytes(result.ranstr_hashes)
        hashes[result.index] = values
    repeated = _repeated_hashes(results)
    offsets = {result.index: result.record_offsets for result in results}
    groups: dict[str, RanstrGroup] = {}
    if repeated:
        for task in tasks:
            task_hashes = hashes.get(task.index)
            if task_hashes is None:
                continue
            numbers = [number for number, value in enumerate(task_hashes) if value in repeated]
            if not numbers:
                continue
            for number, line in _read_records(task.spool, numbers, offsets.get(task.index, b"")):
                record = jsonio.loads(line)
                param = _first_param(record, "ranstr")
                if param is None:
                    continue
                group = groups.setdefault(param[0], RanstrGroup(param[0]))
                group.add((task.index, number), record)
    template = _reuse_template(groups, config)
    return BatchIndex(hashes, groups, template)


def _read_records(spool: str, numbers: Sequence[int],
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


def _reuse_template(groups: Mapping[str, RanstrGroup], config: Config) -> dict[str, Any] | None:
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


def _repeated_hashes(results: Sequence[_TaskResult]) -> set[int]:
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

