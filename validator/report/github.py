"""``--format github``: workflow commands GitHub Actions shows as annotations on the line.

    ::error file=templates/a.html,line=3,col=14,endColumn=20,title=DL101 chatid-without-direct::...
"""

from __future__ import annotations

from typing import Any, TextIO

from validator.report.document import (
    ReportDocument,
    finding_position,
    findings_of,
    path_problem,
    paths_not_read,
)
from validator.report.wording import plural

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def write(document: ReportDocument, stream: TextIO) -> None:
    for record in document.records():
        path = record["location"]["path"]
        for finding in findings_of(record):
            line, column, end = finding_position(record, finding)
            properties = [f"file={escape_property(path)}", f"line={line}", f"col={column}"]
            if end is not None:
                properties.append(f"endColumn={end}")
            properties.append(f"title={escape_property(finding['code'] + ' ' + finding['name'])}")
            message = f"{finding['message']} [{record['url']}]"
            stream.write(f"::{LEVELS[finding['severity']]} {','.join(properties)}::"
                         f"{escape_data(message)}\n")
    for path in paths_not_read(document):
        # An annotation on the file itself: the path the audit could not read (in full).
        stream.write(f"::error file={escape_property(path['path'])},"
                     f"title={escape_property('directlink ' + str(path['status']))}::"
                     f"{escape_data(path_problem(path))}\n")
    summary = document.summary
    stream.write(
        f"::notice title=directlink {document.command}::"
        f"{escape_data(_summary_line(summary))}\n"
    )


def _summary_line(summary: dict[str, Any]) -> str:
    by_severity = summary.get("by_severity", {})
    assert isinstance(by_severity, dict)
    links, files = int(summary.get("links", 0)), int(summary.get("audited", 0))
    counts = ", ".join(plural(int(by_severity.get(level, 0)), level)
                       for level in ("error", "warning", "info"))
    where = f" in {plural(files, 'file')}" if summary.get("files") else ""
    return f"{plural(links, 'link')}{where}: {counts}"
