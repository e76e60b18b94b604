"""What an audit found, path by path and in total: the summary every format reports."""

from __future__ import annotations

from collections.abc import Sequence

from validator.audit.tasks import PathResult
from validator.audit.worker import TaskResult
from validator.extract import shown_path
from validator.extract.model import PathStatus
from validator.record import SignatureGroup, Summary

#: Opaque click-tracking links listed in the summary (all are counted).
MAX_LISTED_OPAQUE = 1000


#: The audit's name for :class:`validator.record.Summary`, the one summary every run reports.
AuditSummary = Summary


def summarise(results: Sequence[TaskResult],
              settled: Sequence[PathResult]) -> tuple[list[PathResult], Summary]:
    """Every path's status and the totals, from the tasks' counts and the settled paths."""
    summary = Summary()
    per_path: dict[str, PathResult] = {}
    for result in results:
        path = shown_path(result.path)
        status, reason = _status_of(result)
        previous = per_path.get(path)
        if previous is not None:
            status, reason = _combined(previous, status, reason)
            per_path[path] = PathResult(
                path, status, result.kind, reason,
                previous.links + result.links, previous.opaque + len(result.opaque),
            )
        else:
            per_path[path] = PathResult(
                path, status, result.kind, reason, result.links, len(result.opaque)
            )
        summary.links += result.links
        summary.links_with_findings += result.links_with_findings
        summary.by_severity.update(result.by_severity)
        summary.by_code.update(result.by_code)
        summary.by_code_severity.update(result.by_code_severity)
        summary.opaque += len(result.opaque)
        summary.suppressed += result.suppressed
        summary.unused_suppressions.extend(result.unused_suppressions)
        room = MAX_LISTED_OPAQUE - len(summary.opaque_links)
        summary.opaque_links.extend(result.opaque[:max(room, 0)])
        for cause, headline in result.signature:
            group = summary.signature_groups.setdefault(cause, SignatureGroup(cause, headline))
            group.count += 1
            group.sources[shown_path(result.path)] += 1
    ordered = list(per_path.values()) + list(settled)
    ordered.sort(key=lambda entry: entry.path)
    for entry in ordered:
        summary.files += 1
        if entry.status == "audited":
            summary.audited += 1
        elif entry.status == "partial":
            summary.partial += 1
        elif entry.status == "unsupported":
            summary.unsupported += 1
        elif entry.status == "skipped":
            summary.skipped += 1
        else:
            summary.unreadable += 1
    return ordered, summary


def _status_of(result: TaskResult) -> tuple[PathStatus, str | None]:
    if result.error is not None:
        return "unreadable", result.error
    if result.unsupported is not None:
        return "unsupported", result.unsupported
    if result.partial is not None:
        return "partial", result.partial
    if result.skip_reason is not None:
        return "skipped", result.skip_reason
    return "audited", None


def _combined(previous: PathResult, status: PathStatus,
              reason: str | None) -> tuple[PathStatus, str | None]:
    """The status of a file split into ranges, from its ranges' statuses so far."""
    if previous.status == status:
        return status, previous.reason or reason
    if "audited" in (previous.status, status) or "partial" in (previous.status, status):
        # Some ranges read, some not: the file is read in part.
        return "partial", previous.reason or reason
    return previous.status, previous.reason

