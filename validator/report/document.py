"""What every output format renders: checked link records, the summary, the paths.

A record is the JSON-ready form of one checked link, a
:class:`validator.record.LinkRecord` as its ``to_json`` writes it::

    {"location": {...}, "url": ..., "wrappers": [...], "wrapped_url": ...,
     "verbatim": bool, "report": {"findings": [...], ...}, "signature_cause": {...}}

Records are produced lazily, so a format that streams (JSON Lines, SARIF,
GitHub annotations) never holds them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from validator.model import SEVERITY_RANK
from validator.record import RecordJSON
from validator.redact import pii_record
from validator.version import __version__

#: A link record as the formats read it.
Record = RecordJSON


@dataclass(frozen=True)
class ReportDocument:
    command: str
    records_factory: Callable[[], Iterator[Record]]
    summary: dict[str, Any]
    paths: list[dict[str, Any]] = field(default_factory=list)
    fail_on: str = "error"
    redact_pii: bool = False
    tool_version: str = __version__
    #: The records as compact JSON lines, where the source has them ready (no re-encoding).
    lines_factory: Callable[[], Iterator[str]] | None = None

    def records(self) -> Iterator[Record]:
        for record in self.records_factory():
            yield pii_record(record) if self.redact_pii else record

    def record_lines(self) -> Iterator[str] | None:
        """Records as JSON lines where they can be copied as they are (nothing to redact)."""
        if self.lines_factory is None or self.redact_pii:
            return None
        return self.lines_factory()

    def fails(self, finding: dict[str, Any]) -> bool:
        return SEVERITY_RANK[finding["severity"]] >= SEVERITY_RANK[self.fail_on]


#: Path statuses that mean the tool could not do its job on the path: named in every format.
NOT_READ_STATUSES = frozenset({"unreadable", "partial", "unsupported"})


def paths_not_read(document: ReportDocument) -> list[dict[str, Any]]:
    """Paths that could not be read, were read only in part, or need a missing extra."""
    return [path for path in document.paths if path.get("status") in NOT_READ_STATUSES]


def path_problem(path: dict[str, Any]) -> str:
    """One line for a path not read: ``unreadable: permission denied``."""
    reason = path.get("reason")
    return f"{path['status']}: {reason}" if reason else str(path["status"])


def findings_of(record: Record) -> list[dict[str, Any]]:
    findings: list[dict[str, Any]] = record.get("report", {}).get("findings", [])
    return findings


def finding_position(record: Record, finding: dict[str, Any]) -> tuple[int, int, int | None]:
    """``(line, start column, end column)`` of a finding in the source file.

    Where the link is written verbatim on one line, the finding's span is an
    offset from the link's first character; otherwise the link's start is
    the best place to point at.
    """
    location = record["location"]
    line, column = int(location["line"]), int(location["column"])
    span = finding.get("span")
    if record.get("verbatim") and span is not None and "\n" not in record["url"]:
        start, end = int(span[0]), int(span[1])
        return line, column + start, column + max(end, start + 1)
    return line, column, None


def where(record: Record) -> str:
    location = record["location"]
    text = f"{location['path']}:{location['line']}:{location['column']}"
    extra = [item for item in (location.get("part"), location.get("json_path")) if item]
    return text + (f" ({', '.join(extra)})" if extra else "")
