"""``--format json``: one JSON document (summary, paths, links), written as it goes."""

from __future__ import annotations

import json
from typing import TextIO

from validator.report.document import ReportDocument


def write(document: ReportDocument, stream: TextIO) -> None:
    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, indent=None, separators=(", ", ": "))

    stream.write("{\n")
    stream.write(f'  "tool": {dump({"name": "directlink", "version": document.tool_version})},\n')
    stream.write(f'  "command": {dump(document.command)},\n')
    stream.write(f'  "summary": {dump(document.summary)},\n')
    stream.write(f'  "paths": {dump(document.paths)},\n')
    stream.write('  "links": [')
    first = True
    lines = document.record_lines()
    for text in lines if lines is not None else (dump(r) for r in document.records()):
        stream.write("\n    " if first else ",\n    ")
        stream.write(text)
        first = False
    stream.write("\n  ]\n}\n" if not first else "]\n}\n")
