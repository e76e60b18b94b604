"""``--format html``: one self-contained report file (no script, font or style from the network).

The summary, a chart of findings per rule and severity (inline SVG), the
paths and what became of them, then every link with its decoded parameters
and the characters each finding concerns highlighted. Numbers carry
``data-metric`` attributes so tools (and the tests) can read them back.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any, TextIO

from validator.model import SEVERITY_RANK
from validator.report.catalogue import rule_info
from validator.report.document import ReportDocument, findings_of, where

SEVERITY_COLOURS = {"error": "#c62828", "warning": "#ef6c00", "info": "#1565c0"}

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2em;color:#222;
max-width:80em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.25em .6em;
text-align:left;vertical-align:top}th{background:#f5f5f5}
.url{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all;background:#fafafa;
padding:.4em;border:1px solid #eee}
mark{padding:0 1px;border-radius:2px}mark.error{background:#ffcdd2}mark.warning{background:#ffe0b2}
mark.info{background:#bbdefb}
.sev-error{color:#c62828;font-weight:600}.sev-warning{color:#ef6c00;font-weight:600}
.sev-info{color:#1565c0}
section.link{border-left:4px solid #ccc;padding:.2em 1em;margin:1em 0}
section.link.error{border-color:#c62828}section.link.warning{border-color:#ef6c00}
section.link.info{border-color:#1565c0}section.link.clean{border-color:#2e7d32}
.where{color:#555;font-family:ui-monospace,Menlo,Consolas,monospace}
"""


def write(document: ReportDocument, stream: TextIO) -> None:
    summary = document.summary
    stream.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
    stream.write(f"<title>directlink {escape(document.command)} report</title>\n")
    stream.write(f"<style>{STYLE}</style></head><body>\n")
    stream.write(f"<h1>directlink {escape(document.command)} report</h1>\n")
    stream.write(_summary_table(summary))
    stream.write(_signature_groups(summary))
    stream.write("<h2>Findings per rule and severity</h2>\n")
    stream.write(chart(summary))
    stream.write(_paths(document.paths))
    stream.write("<h2>Links</h2>\n")
    for record in document.records():
        stream.write(_link(record))
    stream.write("</body></html>\n")


def _summary_table(summary: dict[str, Any]) -> str:
    by_severity = summary.get("by_severity", {})
    rows = [
        ("files", "Paths", summary.get("files", 0)),
        ("audited", "Files audited", summary.get("audited", 0)),
        ("skipped", "Skipped", summary.get("skipped", 0)),
        ("unreadable", "Unreadable", summary.get("unreadable", 0)),
        ("links", "Links", summary.get("links", 0)),
        ("links_with_findings", "Links with findings", summary.get("links_with_findings", 0)),
        ("findings", "Findings", summary.get("findings", 0)),
        ("error", "Errors", by_severity.get("error", 0)),
        ("warning", "Warnings", by_severity.get("warning", 0)),
        ("info", "Infos", by_severity.get("info", 0)),
        ("opaque_links", "Opaque click-tracking links", summary.get("opaque_links", 0)),
    ]
    cells = "".join(
        f"<tr><th>{escape(label)}</th><td data-metric=\"{key}\">{int(value)}</td></tr>"
        for key, label, value in rows
    )
    return f"<h2>Summary</h2>\n<table class=\"summary\">{cells}</table>\n"


def _signature_groups(summary: dict[str, Any]) -> str:
    groups = summary.get("signature_groups") or []
    opaque = summary.get("opaque") or []
    parts: list[str] = []
    if groups:
        items = "".join(
            f"<li data-cause=\"{escape(group['cause'])}\" data-count=\"{int(group['count'])}\">"
            f"{escape(group['text'])}</li>"
            for group in groups
        )
        parts.append(f"<h2>Signature mismatches by cause</h2>\n<ul>{items}</ul>\n")
    if opaque:
        items = "".join(
            f"<li>{escape(item['location']['path'])}:{int(item['location']['line'])}: "
            f"{escape(item['tracker'])} <span class=\"url\">{escape(item['url'])}</span></li>"
            for item in opaque
        )
        parts.append(
            "<h2>Opaque click-tracking links</h2>\n<p>Where these lead cannot be told "
            f"without following them; they may hide direct links.</p><ul>{items}</ul>\n"
        )
    return "".join(parts)


def chart(summary: dict[str, Any]) -> str:
    """A horizontal bar per rule, stacked by severity, as inline SVG."""
    counts: dict[str, Counter[str]] = {}
    for entry in summary.get("by_code_severity", []):
        counts.setdefault(entry["code"], Counter())[entry["severity"]] += int(entry["count"])
    if not counts:
        return "<p data-metric=\"chart-empty\">No findings.</p>\n"
    largest = max(sum(counter.values()) for counter in counts.values())
    bar_width, row_height, label_width = 420, 22, 230
    height = row_height * len(counts) + 30
    parts = [
        f"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" class=\"chart\" "
        f"width=\"{label_width + bar_width + 60}\" height=\"{height}\" "
        f"aria-label=\"Findings per rule and severity\">"
    ]
    for row, code in enumerate(sorted(counts)):
        y = row * row_height
        info = rule_info(code)
        parts.append(f"<text x=\"0\" y=\"{y + 15}\" font-size=\"12\">{escape(code)} "
                     f"{escape(info.name)}</text>")
        x = float(label_width)
        for severity in sorted(counts[code], key=lambda s: -SEVERITY_RANK[s]):
            count = counts[code][severity]
            width = max(2.0, bar_width * count / largest)
            parts.append(
                f"<rect x=\"{x:.1f}\" y=\"{y + 3}\" width=\"{width:.1f}\" height=\"16\" "
                f"fill=\"{SEVERITY_COLOURS[severity]}\" data-code=\"{escape(code)}\" "
                f"data-severity=\"{severity}\" data-count=\"{count}\">"
                f"<title>{escape(code)} {severity}: {count}</title></rect>"
            )
            x += width
        total = sum(counts[code].values())
        parts.append(f"<text x=\"{x + 6:.1f}\" y=\"{y + 15}\" font-size=\"12\">{total}</text>")
    legend_y = row_height * len(counts) + 20
    x = label_width
    for severity, colour in SEVERITY_COLOURS.items():
        parts.append(f"<rect x=\"{x}\" y=\"{legend_y - 10}\" width=\"10\" height=\"10\" "
                     f"fill=\"{colour}\"/><text x=\"{x + 14}\" y=\"{legend_y}\" "
                     f"font-size=\"12\">{severity}</text>")
        x += 90
    parts.append("</svg>\n")
    return "".join(parts)


def _paths(paths: list[dict[str, Any]]) -> str:
    if not paths:
        return ""
    rows = "".join(
        f"<tr data-status=\"{escape(path['status'])}\"><td>{escape(path['path'])}</td>"
        f"<td>{escape(path['status'])}</td><td>{escape(path.get('kind') or '')}</td>"
        f"<td>{int(path.get('links', 0))}</td><td>{escape(path.get('reason') or '')}</td></tr>"
        for path in paths
    )
    return ("<h2>Paths</h2>\n<table class=\"paths\"><tr><th>Path</th><th>Status</th>"
            f"<th>Kind</th><th>Links</th><th>Reason</th></tr>{rows}</table>\n")


def highlight(url: str, findings: list[dict[str, Any]]) -> str:
    """``url`` as HTML with each finding's span marked by its worst severity."""
    worst: list[int] = [-1] * len(url)
    titles: list[list[str]] = [[] for _ in url]
    for finding in findings:
        span = finding.get("span")
        if not span:
            continue
        start, end = max(0, int(span[0])), min(len(url), int(span[1]))
        if end <= start and start < len(url):
            end = start + 1
        rank = SEVERITY_RANK[finding["severity"]]
        for index in range(start, end):
            worst[index] = max(worst[index], rank)
            titles[index].append(finding["code"])
    names = {rank: name for name, rank in SEVERITY_RANK.items()}
    out: list[str] = []
    index = 0
    while index < len(url):
        rank, codes = worst[index], titles[index]
        stop = index
        while stop < len(url) and worst[stop] == rank and titles[stop] == codes:
            stop += 1
        text = escape(url[index:stop])
        if rank < 0:
            out.append(text)
        else:
            out.append(f"<mark class=\"{names[rank]}\" title=\"{escape(' '.join(codes))}\">"
                       f"{text}</mark>")
        index = stop
    return "".join(out)


def _params(record: dict[str, Any]) -> list[dict[str, Any]]:
    report = record.get("report", {})
    link = report.get("link", report)
    params: list[dict[str, Any]] = link.get("params", []) or []
    return params


def _link(record: dict[str, Any]) -> str:
    findings = findings_of(record)
    worst = max((finding["severity"] for finding in findings), key=SEVERITY_RANK.__getitem__,
                default="clean")
    head = f"<p class=\"where\">{escape(where(record))}"
    if record.get("wrappers"):
        head += f" — unwrapped from {escape(' > '.join(record['wrappers']))}"
    head += "</p>"
    url = f"<div class=\"url\">{highlight(record['url'], findings)}</div>"
    rows = "".join(
        f"<tr><td>{escape(str(param.get('name', '')))}</td>"
        f"<td>{escape(str(param.get('value', '')))}</td>"
        f"<td class=\"url\">{escape(str(param.get('raw', '')))}</td></tr>"
        for param in _params(record)
    )
    params = (f"<table class=\"params\"><tr><th>Parameter</th><th>Decoded value</th>"
              f"<th>As written</th></tr>{rows}</table>") if rows else ""
    items = "".join(
        f"<li data-code=\"{escape(finding['code'])}\" data-severity=\"{finding['severity']}\">"
        f"<span class=\"sev-{finding['severity']}\">{escape(finding['code'])} "
        f"{escape(finding['name'])}</span> {escape(finding['message'])}</li>"
        for finding in findings
    )
    listing = f"<ul class=\"findings\">{items}</ul>" if items else "<p>No findings.</p>"
    cause = record.get("signature_cause")
    diagnosis = (f"<p>Signature: {escape(cause['headline'])}</p>" if cause else "")
    page = _page(record)
    return (f"<section class=\"link {worst}\" data-findings=\"{len(findings)}\">"
            f"{head}{url}{page}{params}{listing}{diagnosis}</section>\n")


def _page(record: dict[str, Any]) -> str:
    """What the visitor gets, from the browser outcome (and the app's, where it differs)."""
    parts: list[str] = []
    for label, key in (("page", "outcome"), ("in the app (SDK)", "sdk_outcome")):
        outcome = record.get("report", {}).get(key)
        if not outcome:
            continue
        view = (f"opens session {outcome.get('chat_id')}" if outcome.get("view") == "session"
                else "opens the home page")
        text = (f"{view}, language {outcome.get('language')} ({outcome.get('language_source')}), "
                f"identity {outcome.get('identity')}")
        if outcome.get("rejected_reason"):
            text += f"; rejected: {outcome['rejected_reason']}"
        parts.append(f"<p class=\"page\"><b>{escape(label)}:</b> {escape(text)}</p>")
    return "".join(parts)
