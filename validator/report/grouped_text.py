"""``--format text`` for many links: findings grouped by file, as ruff prints them.

    templates/welcome.html
      12:9  https://visitorchat.twt.com/direct/demo_app?chatid=42
            DL101 error chatid-without-direct  the page ignores chatid=42 ...

Then the summary: every path, the signature mismatches by cause, the totals.
"""

from __future__ import annotations

from typing import Any, TextIO

from validator.report.document import ReportDocument, finding_position, findings_of
from validator.report.terminal import terminal_text as safe
from validator.report.wording import plural


def write(document: ReportDocument, stream: TextIO) -> None:
    write_findings(document, stream)
    write_summary(document, stream)


def write_findings(document: ReportDocument, stream: TextIO, *, show_clean: bool = False) -> None:
    """Each link with findings (every link with ``show_clean``), grouped by file."""
    current: str | None = None
    for record in document.records():
        findings = findings_of(record)
        if not findings and not show_clean:
            continue
        location = record["location"]
        if location["path"] != current:
            current = location["path"]
            stream.write(f"\n{safe(current)}\n" if current else "\n")
        place = f"{location['line']}:{location['column']}"
        extra = [item for item in (location.get("part"), location.get("json_path")) if item]
        suffix = f"  ({', '.join(safe(str(item)) for item in extra)})" if extra else ""
        if record.get("wrappers"):
            suffix += f"  unwrapped from {' > '.join(safe(str(w)) for w in record['wrappers'])}"
        rendered = record.get("text")
        if rendered:
            # The check command's own rendering: link, underlines, page, findings.
            stream.write(f"{safe(current or '')}:{place}{suffix}\n{rendered}\n")
            for finding in findings[_count_rendered(rendered, findings):]:
                stream.write(f"  {finding['severity']:<8} {finding['code']} {finding['name']}  "
                             f"{safe(finding['message'])}\n")
            stream.write("\n")
            continue
        stream.write(f"  {place:<8} {safe(record['url'])}{suffix}\n")
        for finding in findings:
            _line, column, _ = finding_position(record, finding)
            stream.write(f"           {finding['code']} {finding['severity']:<7} "
                         f"{safe(finding['message'])}  [{finding['name']}, col {column}]\n")
        cause = record.get("signature_cause")
        if cause:
            stream.write(f"           signature: {safe(cause['headline'])}\n")


def _count_rendered(rendered: str, findings: list[dict[str, Any]]) -> int:
    """How many leading findings the pre-rendered text already shows (batch ones come later)."""
    shown = 0
    for finding in findings:
        if f"{finding['code']} {finding['name']}" not in rendered:
            break
        shown += 1
    return shown


def write_summary(document: ReportDocument, stream: TextIO) -> None:
    summary: dict[str, Any] = document.summary
    problems = [path for path in document.paths if path.get("status") != "audited"]
    if problems:
        stream.write("\nPaths not audited:\n")
        for path in problems:
            reason = safe(str(path.get("reason") or ""))
            stream.write(f"  {safe(path['path'])}: {path['status']} ({reason})\n")
    groups = summary.get("signature_groups") or []
    if groups:
        stream.write("\nSignature mismatches by cause:\n")
        for group in groups:
            stream.write(f"  {safe(group['text'])}\n")
    opaque = summary.get("opaque") or []
    if opaque:
        stream.write(f"\n{plural(len(opaque), 'opaque click-tracking link')} "
                     "(their target is unknown):\n")
        for item in opaque[:20]:
            location = item["location"]
            stream.write(f"  {safe(location['path'])}:{location['line']}:{location['column']} "
                         f"{safe(item['tracker'])}\n")
    unused = summary.get("unused_suppressions") or []
    if unused:
        stream.write(f"\n{plural(len(unused), 'unused suppression')} (they silence nothing):\n")
        for item in unused:
            stream.write(f"  {safe(item['path'])}:{item['line']} {safe(item['comment'])}\n")
    stream.write(f"\n{summary_line(summary)}\n")


def summary_line(summary: dict[str, Any]) -> str:
    """``3 links in 2 files (1 skipped, 0 unreadable): 1 error, 0 warnings, 2 infos``."""
    by_severity = summary.get("by_severity", {})
    counts = ", ".join(plural(int(by_severity.get(level, 0)), level)
                       for level in ("error", "warning", "info"))
    not_read = [f"{summary.get(status, 0)} {status}" for status in ("skipped", "unreadable")]
    not_read += [f"{summary[status]} {status}" for status in ("partial", "unsupported")
                 if summary.get(status)]
    suppressed = int(summary.get("suppressed", 0))
    counts += f" ({suppressed} suppressed)" if suppressed else ""
    return (f"{plural(int(summary.get('links', 0)), 'link')} in "
            f"{plural(int(summary.get('audited', 0)), 'file')} ({', '.join(not_read)}): {counts}")
