"""The link record and the summary: what every output format, the service and Dask share.

A :class:`LinkRecord` is one checked link as the formats read it: where it
was found, its text (and the redirect wrappers around it), its report and
what the record's builder worked out for it (the signature mismatch's
cause, the rendered text). It is built here and only here, by
:meth:`LinkRecord.extracted` (an audit's worker, local or on Dask) and
:meth:`LinkRecord.given` (a link ``check`` was given), and written as JSON
by its one :meth:`LinkRecord.to_json`. Past that point a record travels as
that JSON-ready dict (:data:`RecordJSON`): through the spool, the batch
rules, the suppressions, the redactor and the reporters::

    {"location": {...}, "url": ..., "wrappers": [...], "wrapped_url": ...,
     "verbatim": bool, "report": {"link": {...}, "findings": [...], ...},
     "signature_cause": {...}, "text": ...}

A :class:`Summary` is what a run found in total, for ``audit`` (filled by
:func:`validator.audit.summarise` from its tasks' counts) and for ``check``
and the service (:meth:`Summary.of_reports`).

Reporters import this module and the model, nothing that judges a link.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from validator.keyring import SECRET_MASK
from validator.model import SEVERITIES, SEVERITY_RANK, Report
from validator.serialize import finding_to_dict, location_to_dict, outcome_to_dict, report_to_dict

if TYPE_CHECKING:
    from validator.extract.model import ExtractedLink

__all__ = [
    "LOCATION_KEY",
    "SECRET_MASK",
    "UNKNOWN_CAUSE",
    "LinkRecord",
    "RecordJSON",
    "SignatureGroup",
    "Summary",
    "cause_to_json",
    "compact_report",
]

#: The hypothesis id a record's ``signature_cause`` names when no known mistake explains
#: the mismatch.
UNKNOWN_CAUSE = "unknown-cause"
#: A record as JSON-ready data, the form it travels and is read in.
RecordJSON = dict[str, Any]
#: How every record's compact JSON line starts: its location comes first (the Dask engine
#: keeps locations apart from the rest of the line and rewrites only them).
LOCATION_KEY = b'{"location":'


@dataclass(slots=True)
class LinkRecord:
    """One checked link, as every output format reads it."""

    location: dict[str, Any]
    url: str
    #: The report as plain data: :func:`compact_report` in an audit, the whole
    #: :func:`validator.serialize.report_to_dict` for ``check``.
    report: dict[str, Any]
    wrappers: tuple[str, ...] = ()
    #: The URL as written, where redirect wrappers were undone.
    wrapped_url: str | None = None
    #: True where ``url`` is written as it is at the location (spans are columns).
    verbatim: bool = True
    #: ``(hypothesis id, headline)`` of a signature mismatch's first known cause.
    signature_cause: tuple[str, str] | None = None
    #: The link rendered as ``check``'s text (audit ``--format text``).
    text: str | None = None

    @classmethod
    def extracted(cls, item: ExtractedLink, report: Report) -> LinkRecord:
        """The record of a link an audit found in a file."""
        return cls(location_to_dict(item.location), item.url, compact_report(report),
                   item.wrappers, item.wrapped_url, item.verbatim)

    @classmethod
    def given(cls, source: str, report: Report) -> LinkRecord:
        """The record of a link ``check`` was given: ``source`` is ``<arg 1>`` or
        ``<stdin>:3`` (the line after the last colon)."""
        path, _, line = source.rpartition(":")
        if not (path and line.isdigit()):
            path, line = source, "1"
        location = {"path": path, "line": int(line), "column": 1, "kind": "text",
                    "json_path": None, "part": None}
        return cls(location, report.link.input, report_to_dict(report))

    def to_json(self) -> RecordJSON:
        """The record as JSON-ready data, its keys in the order every format writes them."""
        data: RecordJSON = {
            "location": self.location,
            "url": self.url,
            "wrappers": list(self.wrappers),
            "wrapped_url": self.wrapped_url,
            "verbatim": self.verbatim,
            "report": self.report,
        }
        if self.signature_cause is not None:
            data["signature_cause"] = cause_to_json(*self.signature_cause)
        if self.text is not None:
            data["text"] = self.text
        return data


def cause_to_json(hypothesis: str, headline: str) -> dict[str, str]:
    """A record's ``signature_cause``: the mistake's id and the line that names it."""
    return {"hypothesis": hypothesis, "headline": headline}


def compact_report(report: Report) -> dict[str, Any]:
    """The report as an audit's record holds it: leaner than
    :func:`validator.serialize.report_to_dict` (an audit may hold millions).

    The findings in full, what the page does (browser outcome, and the SDK's
    where it differs) and the decoded parameters with their spans.
    """
    app_id, host, params = report.link_parts()
    browser = report.outcome
    sdk = report.outcomes.get("sdk")
    compact: dict[str, Any] = {
        "link": {
            "app_id": app_id,
            "host": host,
            "params": [
                {"name": name, "value": value, "raw": raw, "span": [start, end]}
                for name, value, raw, start, end in params
            ],
        },
        "findings": [finding_to_dict(finding) for finding in report.findings],
        "outcome": outcome_to_dict(browser),
    }
    # The SDK's outcome is most often the browser's own object: no field to compare.
    if sdk is not None and sdk is not browser and sdk != browser:
        compact["sdk_outcome"] = outcome_to_dict(sdk)
    return compact


# The summary ---------------------------------------------------------------------------


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
class Summary:
    """What a run found, in total: paths, links, findings by severity and rule, causes."""

    #: An audit reads paths (and counts partial reads and suppressions); ``check`` and the
    #: service are given links, and their summary leaves those counts out.
    of_paths: bool = True
    files: int = 0
    audited: int = 0
    skipped: int = 0
    unreadable: int = 0
    #: Files read in part: some part of them could not be read (the path says which).
    partial: int = 0
    #: Files not read because their reader needs an extra that is not installed.
    unsupported: int = 0
    links: int = 0
    links_with_findings: int = 0
    #: Links with an error-level finding, counted by :meth:`of_reports` for the service's
    #: batch summary (an audit does not count them: no format reports the number).
    links_with_errors: int = 0
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

    @classmethod
    def of_reports(cls, reports: Iterable[Report]) -> Summary:
        """The summary of links given one by one (``check``, the service's batches)."""
        summary = cls(of_paths=False)
        for report in reports:
            summary.links += 1
            if report.findings:
                summary.links_with_findings += 1
            if not report.ok:
                summary.links_with_errors += 1
            for finding in report.findings:
                summary.by_severity[finding.severity] += 1
                summary.by_code[finding.code] += 1
                summary.by_code_severity[(finding.code, finding.severity)] += 1
        return summary

    @property
    def findings(self) -> int:
        return sum(self.by_severity.values())

    def worst(self) -> str | None:
        present = [severity for severity, count in self.by_severity.items() if count]
        return max(present, key=SEVERITY_RANK.__getitem__, default=None)

    def to_dict(self) -> dict[str, Any]:
        """The summary as every format reports it (an audit's keys only where it read paths)."""
        data: dict[str, Any] = {
            "files": self.files,
            "audited": self.audited,
            "skipped": self.skipped,
            "unreadable": self.unreadable,
        }
        if self.of_paths:
            data["partial"] = self.partial
            data["unsupported"] = self.unsupported
        data.update({
            "links": self.links,
            "links_with_findings": self.links_with_findings,
            "opaque_links": self.opaque,
            "findings": self.findings,
            "by_severity": {s: self.by_severity.get(s, 0) for s in SEVERITIES},
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
        })
        if self.of_paths:
            data["suppressed"] = self.suppressed
            data["unused_suppressions"] = list(self.unused_suppressions)
        return data
