"""``--format junit``: JUnit XML, one test case per checked link.

A link with findings at or above the fail level is a failed test case (the
findings in the failure text); lower findings go to ``system-out``. A path
that could not be read (in full) is a test case in error, a path skipped on
purpose (binary, excluded) a skipped one, so the report accounts for every
path. The document is valid against the common ``junit-10.xsd``: the
``skipped`` count is on ``<testsuite>`` only.
"""

from __future__ import annotations

from typing import Any, TextIO
from xml.sax.saxutils import escape as escape_text
from xml.sax.saxutils import quoteattr

from validator.report.document import (
    ReportDocument,
    findings_of,
    path_problem,
    paths_not_read,
    where,
)


def _clean(text: str) -> str:
    # XML 1.0 allows no control characters but tab, newline and carriage return.
    return "".join(ch if ch >= " " or ch in "\t\n\r" else "\ufffd" for ch in text)


def _lines(findings: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{finding['code']} {finding['name']} [{finding['severity']}]: {finding['message']}"
        for finding in findings
    )


def write(document: ReportDocument, stream: TextIO) -> None:
    # Two passes over the records (read again from the spool), so the suite's
    # counts come first and the cases stream without being held in memory.
    tests = failures = 0
    for record in document.records():
        tests += 1
        if any(document.fails(finding) for finding in findings_of(record)):
            failures += 1
    not_read = paths_not_read(document)
    skipped_paths = [path for path in document.paths if path.get("status") == "skipped"]
    errors, skipped = len(not_read), len(skipped_paths)
    tests += errors + skipped
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(f"<testsuites name=\"directlink\" tests=\"{tests}\" failures=\"{failures}\" "
                 f"errors=\"{errors}\">\n")
    stream.write(f"  <testsuite name=\"directlink {document.command}\" tests=\"{tests}\" "
                 f"failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">\n")
    for record in document.records():
        stream.write(_case(document, record) + "\n")
    for path in not_read:
        stream.write(_path_case(path, "error", type_=str(path["status"])))
    for path in skipped_paths:
        stream.write(_path_case(path, "skipped"))
    stream.write("  </testsuite>\n</testsuites>\n")


def _path_case(path: dict[str, Any], element: str, *, type_: str | None = None) -> str:
    kind = f" type={quoteattr(type_)}" if type_ else ""
    return (
        f"    <testcase classname={quoteattr(_clean(path['path']))} name=\"(file)\">"
        f"<{element}{kind} message={quoteattr(_clean(path_problem(path)))}/></testcase>\n"
    )


def _case(document: ReportDocument, record: dict[str, Any]) -> str:
    findings = findings_of(record)
    failing = [finding for finding in findings if document.fails(finding)]
    other = [finding for finding in findings if not document.fails(finding)]
    name = f"{where(record)} {record['url']}"
    body = ""
    if failing:
        message = ", ".join(sorted({finding["code"] for finding in failing}))
        body += (f"<failure message={quoteattr(_clean(message))} type=\"findings\">"
                 f"{escape_text(_clean(_lines(failing)))}</failure>")
    if other:
        body += f"<system-out>{escape_text(_clean(_lines(other)))}</system-out>"
    return (f"    <testcase classname={quoteattr(_clean(record['location']['path']))} "
            f"name={quoteattr(_clean(name))}>{body}</testcase>")
