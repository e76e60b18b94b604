"""The report document of ``directlink check``: its links given on the command line or stdin.

So ``check --format sarif|jsonl|junit|github|html`` renders exactly as
``audit`` does, with the source (``<arg 1>``, ``<stdin>:3``) as the path.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from validator.model import Report
from validator.redact import Redactor
from validator.report.document import Record, ReportDocument
from validator.serialize import report_to_dict

#: Formats ``check`` takes from the report registry (it renders text and json itself).
EXTRA_FORMATS = ("jsonl", "sarif", "junit", "github", "html")


def _record(source: str, report: Report, redactor: Redactor) -> Record:
    path, _, line = source.rpartition(":")
    if not (path and line.isdigit()):
        path, line = source, "1"
    record: Record = redactor.secrets({
        "location": {"path": path, "line": int(line), "column": 1, "kind": "text",
                     "json_path": None, "part": None},
        "url": report.link.input,
        "wrappers": [],
        "wrapped_url": None,
        "verbatim": True,
        "report": report_to_dict(report),
    }, report.link)
    return record


def check_document(
    sources: Sequence[str], reports: Sequence[Report], *, fail_on: str = "error",
    redactor: Redactor | None = None,
) -> ReportDocument:
    """The links ``check`` was given as the records every report format reads; secrets (and
    customer data where ``redactor.pii``) masked by ``redactor``."""
    redactor = redactor or Redactor()
    records = [_record(source, report, redactor)
               for source, report in zip(sources, reports, strict=True)]
    summary = _summary(reports)
    return ReportDocument(
        command="check",
        records_factory=lambda: iter(records),
        summary=summary,
        paths=[],
        fail_on=fail_on,
        redact_pii=redactor.pii,
    )


def _summary(reports: Sequence[Report]) -> dict[str, Any]:
    by_severity: Counter[str] = Counter()
    by_code: Counter[str] = Counter()
    by_code_severity: Counter[tuple[str, str]] = Counter()
    for report in reports:
        for finding in report.findings:
            by_severity[finding.severity] += 1
            by_code[finding.code] += 1
            by_code_severity[(finding.code, finding.severity)] += 1
    return {
        "files": 0, "audited": 0, "skipped": 0, "unreadable": 0,
        "links": len(reports),
        "links_with_findings": sum(1 for report in reports if report.findings),
        "opaque_links": 0,
        "findings": sum(by_severity.values()),
        "by_severity": {s: by_severity.get(s, 0) for s in ("error", "warning", "info")},
        "by_code": dict(sorted(by_code.items())),
        "by_code_severity": [
            {"code": code, "severity": severity, "count": count}
            for (code, severity), count in sorted(by_code_severity.items())
        ],
        "signature_groups": [],
        "opaque": [],
    }
