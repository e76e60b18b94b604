"""``--format jsonl``: one line per checked link, then one summary line; streamed."""

from __future__ import annotations

import json
from typing import TextIO

from validator.report.document import ReportDocument


def write(document: ReportDocument, stream: TextIO) -> None:
    for record in document.records():
        stream.write(json.dumps({"type": "link", **record}, ensure_ascii=False,
                                separators=(",", ":")))
        stream.write("\n")
    summary = {
        "type": "summary",
        "tool": {"name": "directlink", "version": document.tool_version},
        "command": document.command,
        "summary": document.summary,
        "paths": document.paths,
    }
    stream.write(json.dumps(summary, ensure_ascii=False, separators=(",", ":")))
    stream.write("\n")
