"""``--format jsonl``: one line per checked link, then one summary line; streamed."""

from __future__ import annotations

from typing import TextIO

from validator.report import jsonio
from validator.report.document import ReportDocument


def write(document: ReportDocument, stream: TextIO) -> None:
    lines = document.record_lines()
    if lines is not None:
        for line in lines:
            # Each line is a JSON object: the type goes in front of its first member.
            stream.write('{"type":"link",' + line[1:] + "\n")
    else:
        _write_records(document, stream)
    _write_summary(document, stream)


def _write_records(document: ReportDocument, stream: TextIO) -> None:
    for record in document.records():
        stream.write(jsonio.dumps_as_written({"type": "link", **record}) + "\n")


def _write_summary(document: ReportDocument, stream: TextIO) -> None:
    summary = {
        "type": "summary",
        "tool": {"name": "directlink", "version": document.tool_version},
        "command": document.command,
        "summary": document.summary,
        "paths": document.paths,
    }
    stream.write(jsonio.dumps_as_written(summary) + "\n")
