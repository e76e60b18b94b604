"""What an audit found, path by path and in total: the summary every format reports."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from validator.audit.tasks import PathResult
from validator.audit.worker import TaskResult
from validator.extract import shown_path
from validator.extract.model import PathStatus
from validator.model import SEVERITY_RANK

#: Opaque click-tracking links listed in the summary (all are counted).
MAX_LISTED_OPAQUE = 1000


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
    #: Files read in part: some part of them could not be read (the path says which).
    partial: int = 0
    links: int = 0
    links_with_findings: int = 0
    opaque: int = 0
    by_severity: Counter[str] = field(default_factory=Counter)
    by_code: Counter[str] = field(default_factory=Counter)
    #: Findings per (code, severity), for the chart of the HTML report.
    by_code_severity: Counter[tuple[str, str]] = field(default_factory=Counter)
    signature_groups: dict[str, SignatureGroup] = field(default_factory=dict)
    opaque_links: list[dict[str, Any]] = field(default_factory=list)
    #: Findings suppressed, and suppression comments that silenced nothing.
    suppressed: int = 0
    unused_suppressions: list[dict[str, Any]] = field(default_factory=list)

    def worst(self) -> str | None:
        present = [severity for severity, count in self.by_severity.items() if count]
        return max(present, key=SEVERITY_RANK.__getitem__, default=None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "audited": self.audited,
            "skipped": self.skipped,
            "unreadable": self.unreadable,
            "partial": self.partial,
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
            "suppressed": self.suppressed,
            "unused_suppressions": list(self.unused_suppressions),
        }



def summarise(results: Sequence[TaskResult],
              settled: Sequence[PathResult]) -> tuple[list[PathResult], AuditSummary]:
    """Every path's status and the totals, from the tasks' counts and the settled paths."""
    summary = AuditSummary()
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
        elif entry.status == "skipped":
            summary.skipped += 1
        else:
            summary.unreadable += 1
    return ordered, summary


def _status_of(result: TaskResult) -> tuple[PathStatus, str | None]:
    if result.error is not None:
        return "unreadable", result.error
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

