"""``--format html``: the audit as one self-contained triage page, offline.

The page is one file: its style and script are inline and allowed by hash in
a strict Content-Security-Policy (``default-src 'none'``), so opening it makes
no request at all. What prints without a script is written as HTML: the
summary (numbers carry ``data-metric``), the chart of findings per rule sorted
by count (inline SVG), the signature mismatches by cause, the paths and the
documentation of every rule that fired. The links themselves travel as one
JSON island that the script renders a page at a time, errors first, with
filters by severity, rule, file and signature cause, free-text search, sort
and collapsible cards; a report of 100,000 findings builds 100 cards, not
100,000, and its time to the first page is mostly the browser reading the file.

Records come from :meth:`ReportDocument.records`, already masked (secrets
always, customer data under ``--redact-pii``): this module only shows what
they hold, and the fixed link of a finding is that finding's replacements
applied to the masked link text.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from functools import cache
from html import escape
from importlib import resources
from typing import Any, TextIO

from validator.model import SEVERITY_RANK, apply_replacements
from validator.record import SECRET_MASK, UNKNOWN_CAUSE
from validator.report.catalogue import RuleInfo, rule_info
from validator.report.document import Record, ReportDocument, findings_of
from validator.version import __version__

SEVERITY_COLOURS = {"error": "#b3261e", "warning": "#b86200", "info": "#0b5cad"}
SEVERITY_PLURALS = {"error": "errors", "warning": "warnings", "info": "infos"}
#: Severities as the JSON island numbers them (the script reads the same order).
SEVERITY_ORDER = ("info", "warning", "error")
#: Up to this many paths, their table starts open.
OPEN_PATHS = 12


@cache
def _asset(name: str) -> str:
    return (resources.files("validator.report") / "html_assets" / name).read_text("utf-8")


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(script: str, style: str) -> str:
    """Nothing from anywhere; only this file's own script and style, by hash."""
    return (
        f"default-src 'none'; script-src {_hash(script)}; style-src {_hash(style)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def write(document: ReportDocument, stream: TextIO) -> None:
    summary = document.summary
    data = report_data(document)
    script, style = _asset("report.js"), _asset("report.css")
    title = f"directlink {document.command} report"
    stream.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
    stream.write("<meta http-equiv=\"Content-Security-Policy\" "
                 f"content=\"{escape(content_security_policy(script, style))}\">\n")
    stream.write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
    stream.write("<meta name=\"referrer\" content=\"no-referrer\">\n")
    stream.write(f"<title>{escape(title)}</title>\n<style>{style}</style>\n</head><body>\n")
    stream.write("<a class=\"skip\" href=\"#findings\">Skip to the findings</a>\n")
    stream.write(f"<header><h1>{escape(title)}</h1>\n")
    stream.write(f"<p class=\"headline\">{escape(headline(summary))}</p>\n")
    stream.write(f"<p class=\"meta\">directlink-validator {escape(document.tool_version)}"
                 f"{' · customer data masked' if document.redact_pii else ''}</p></header>\n")
    stream.write("<main>\n")
    stream.write(_summary_table(summary))
    stream.write("<section class=\"overview\" aria-label=\"Overview\">\n")
    stream.write("<div class=\"chart-box\"><h2 id=\"chart-title\">Findings per rule</h2>\n"
                 "<p class=\"help no-print\">Choose a bar to show that rule's findings.</p>\n")
    stream.write(chart(summary))
    stream.write("</div>\n<div class=\"side\">\n")
    stream.write(_signature_causes(summary))
    stream.write(_opaque(summary))
    stream.write(_paths(document.paths))
    stream.write("</div>\n</section>\n")
    stream.write(_findings_shell())
    stream.write(_rule_docs(data["rules"]))
    stream.write("</main>\n")
    stream.write("<script type=\"application/json\" id=\"report-data\">")
    stream.write(_json_island(data))
    stream.write("</script>\n")
    stream.write(f"<script>{script}</script>\n</body></html>\n")


def headline(summary: dict[str, Any]) -> str:
    """One line: how many links in how many files, and the findings by severity word."""
    by_severity = summary.get("by_severity", {})
    links, files = int(summary.get("links", 0)), int(summary.get("files", 0))
    counts = ", ".join(
        f"{int(by_severity.get(severity, 0))} "
        f"{severity if by_severity.get(severity, 0) == 1 else SEVERITY_PLURALS[severity]}"
        for severity in ("error", "warning", "info")
    )
    return (f"{links} link{'' if links == 1 else 's'} in {files} "
            f"file{'' if files == 1 else 's'}: {counts}")


# The JSON island ------------------------------------------------------------------------


def report_data(document: ReportDocument) -> dict[str, Any]:
    """Everything the script renders, in a compact shape (one pass over the records).

    ``links[i]`` is ``{f: file index, l: line, c: column, x: extra location,
    u: link text, w: wrappers, o: outcome lines, p: [[name, value, raw]],
    s: signature cause id, d: findings}``; a finding is ``[code, severity
    index, message, span or null, fix or null]`` and a fix ``[description,
    safe, fixed link or null]``.
    """
    files: dict[str, int] = {}
    for entry in document.paths:
        files.setdefault(str(entry["path"]), len(files))
    codes: dict[str, RuleInfo] = {}
    causes: dict[str, str] = {
        str(group["cause"]): str(group.get("headline") or group.get("text") or group["cause"])
        for group in document.summary.get("signature_groups") or []
    }
    links: list[dict[str, Any]] = []
    for record in document.records():
        file_index = files.setdefault(str(record["location"]["path"]), len(files))
        findings = findings_of(record)
        for finding in findings:
            code = str(finding["code"])
            if code not in codes:
                codes[code] = rule_info(code, str(finding.get("name", "")),
                                        str(finding.get("severity", "warning")))
        cause = record.get("signature_cause")
        cause_id = None
        if cause:
            cause_id = str(cause.get("hypothesis") or cause.get("cause") or UNKNOWN_CAUSE)
            causes.setdefault(cause_id, str(cause.get("headline", cause_id)))
        links.append(_link_data(record, file_index, findings, cause_id))
    return {
        "command": document.command,
        "version": document.tool_version or __version__,
        "files": list(files),
        "rules": {code: _rule_data(info) for code, info in sorted(codes.items())},
        "causes": causes,
        "links": links,
    }


def _link_data(record: Record, file_index: int, findings: list[dict[str, Any]],
               cause_id: str | None) -> dict[str, Any]:
    location = record["location"]
    url = str(record["url"])
    # A secret masked in the link text moves what follows it: its spans no longer fit.
    spans_fit = SECRET_MASK not in url
    extra = [str(item) for item in (location.get("part"), location.get("json_path")) if item]
    item: dict[str, Any] = {
        "f": file_index,
        "l": int(location.get("line", 0)),
        "c": int(location.get("column", 0)),
        "u": url,
        "d": [_finding_data(url, finding, spans_fit) for finding in findings],
    }
    if extra:
        item["x"] = ", ".join(extra)
    if record.get("wrappers"):
        item["w"] = [str(wrapper) for wrapper in record["wrappers"]]
    outcomes = outcome_lines(record)
    if outcomes:
        item["o"] = outcomes
    params = _params(record)
    if params:
        item["p"] = params
    if cause_id is not None:
        item["s"] = cause_id
    return item


def _finding_data(url: str, finding: dict[str, Any], spans_fit: bool) -> list[Any]:
    span = finding.get("span")
    fix = finding.get("fix")
    fix_data = None
    if fix:
        fixed = fixed_link(url, fix) if spans_fit else None
        fix_data = [str(fix.get("description", "")), bool(fix.get("safe")), fixed]
    return [
        str(finding["code"]),
        SEVERITY_ORDER.index(finding["severity"]),
        str(finding.get("message", "")),
        [int(span[0]), int(span[1])] if span and spans_fit else None,
        fix_data,
    ]


def fixed_link(url: str, fix: dict[str, Any]) -> str | None:
    """``url`` with this one fix's replacements applied (None where it has none that fit)."""
    replacements: list[tuple[tuple[int, int], str]] = []
    for replacement in fix.get("replacements") or []:
        start, end = (int(value) for value in replacement["span"])
        if not 0 <= start <= end <= len(url):
            return None
        replacements.append(((start, end), str(replacement.get("content", ""))))
    if not replacements:
        return None
    return apply_replacements(url, replacements)


def outcome_lines(record: Record) -> list[str]:
    """What the visitor gets, per client: the browser's, and the app's where it is given."""
    lines: list[str] = []
    report = record.get("report", {})
    for label, key in (("In a browser", "outcome"), ("In the app (SDK)", "sdk_outcome")):
        outcome = report.get(key)
        if not outcome:
            continue
        view = (f"opens chat session {outcome.get('chat_id')}"
                if outcome.get("view") == "session" else "opens the home page (no chat session)")
        text = f"{label}: {view}, language {outcome.get('language')}"
        source = outcome.get("language_source")
        if source and source != "lang-param":
            text += f" (from the {'browser' if source == 'browser' else 'fallback'})"
        text += "; " + _identity_words(outcome)
        if outcome.get("rejected_reason"):
            text += f"; refused: {outcome['rejected_reason']}"
        lines.append(text)
    return lines


def _identity_words(outcome: dict[str, Any]) -> str:
    identity = outcome.get("identity")
    sbs = outcome.get("sbs")
    words = {
        "anonymous": "anonymous visitor (no sbs)",
        "unverified": f"customer sbs={sbs}, signature not checked (no secret known)",
        "verified": f"verified customer sbs={sbs}",
        "rejected": f"customer sbs={sbs}, signature rejected by the page",
    }
    return words.get(str(identity), f"identity {identity}")


def _params(record: Record) -> list[list[str]]:
    report = record.get("report", {})
    link = report.get("link", report)
    return [
        [str(param.get("name", "")), str(param.get("value", "")), str(param.get("raw", ""))]
        for param in link.get("params", []) or []
    ]


def _rule_data(info: RuleInfo) -> dict[str, Any]:
    return {"name": info.name, "severity": info.severity, "summary": info.summary,
            "fixable": info.fixable}


def _json_island(data: dict[str, Any]) -> str:
    # "<" never appears raw, so no "</script>" or "<!--" can end or bend the island.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


# What is written as HTML ----------------------------------------------------------------


def _summary_table(summary: dict[str, Any]) -> str:
    by_severity = summary.get("by_severity", {})
    rows = [
        ("error", "Errors", by_severity.get("error", 0)),
        ("warning", "Warnings", by_severity.get("warning", 0)),
        ("info", "Infos", by_severity.get("info", 0)),
        ("findings", "Findings", summary.get("findings", 0)),
        ("links", "Links", summary.get("links", 0)),
        ("links_with_findings", "Links with findings", summary.get("links_with_findings", 0)),
        ("files", "Paths", summary.get("files", 0)),
        ("audited", "Files audited", summary.get("audited", 0)),
        ("skipped", "Skipped", summary.get("skipped", 0)),
        ("unreadable", "Unreadable", summary.get("unreadable", 0)),
        *[(key, label, summary[key]) for key, label in (("partial", "Read in part"),
                                                        ("unsupported", "Needing an extra"))
          if summary.get(key)],
        ("opaque_links", "Opaque links", summary.get("opaque_links", 0)),
    ]
    cells = "".join(
        f"<tr{_severity_class(key)}><th scope=\"row\">{escape(label)}</th>"
        f"<td data-metric=\"{key}\">{int(value)}</td></tr>"
        for key, label, value in rows
    )
    return (f"<section class=\"summary-box\" aria-labelledby=\"summary-title\">"
            f"<h2 id=\"summary-title\" class=\"visually-hidden\">Summary</h2>\n"
            f"<table class=\"summary\">{cells}</table></section>\n")


def _severity_class(key: str) -> str:
    return f" class=\"sev-{key}\"" if key in SEVERITY_RANK else ""


def chart(summary: dict[str, Any]) -> str:
    """A bar per rule, the most frequent first, stacked by severity, as inline SVG."""
    counts: dict[str, Counter[str]] = {}
    for entry in summary.get("by_code_severity", []):
        counts.setdefault(entry["code"], Counter())[entry["severity"]] += int(entry["count"])
    if not counts:
        return "<p data-metric=\"chart-empty\">No findings.</p>\n"
    order = sorted(counts, key=lambda code: (-sum(counts[code].values()), code))
    largest = max(sum(counter.values()) for counter in counts.values())
    bar_width, row_height, label_width = 300, 21, 240
    height = row_height * len(order) + 30
    parts = [
        f"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"group\" class=\"chart\" "
        f"viewBox=\"0 0 {label_width + bar_width + 50} {height}\" "
        f"width=\"{label_width + bar_width + 50}\" height=\"{height}\" "
        f"aria-labelledby=\"chart-title\">"
    ]
    for row, code in enumerate(order):
        y = row * row_height
        info = rule_info(code)
        total = sum(counts[code].values())
        words = ", ".join(f"{counts[code][s]} {s if counts[code][s] == 1 else SEVERITY_PLURALS[s]}"
                          for s in ("error", "warning", "info") if counts[code][s])
        parts.append(
            f"<g class=\"bar\" data-rule=\"{escape(code)}\" tabindex=\"0\" role=\"button\" "
            f"aria-pressed=\"false\" aria-label=\"{escape(code)} {escape(info.name)}: "
            f"{escape(words)}; show only this rule\">"
            f"<rect class=\"hit\" x=\"0\" y=\"{y}\" width=\"{label_width + bar_width + 50}\" "
            f"height=\"{row_height}\" fill=\"transparent\"/>"
            f"<text x=\"0\" y=\"{y + 15}\" font-size=\"12\">{escape(code)} "
            f"{escape(info.name)}</text>"
        )
        x = float(label_width)
        for severity in sorted(counts[code], key=lambda s: -SEVERITY_RANK[s]):
            count = counts[code][severity]
            width = max(2.0, bar_width * count / largest)
            parts.append(
                f"<rect x=\"{x:.1f}\" y=\"{y + 3}\" width=\"{width:.1f}\" height=\"15\" "
                f"fill=\"{SEVERITY_COLOURS[severity]}\" data-code=\"{escape(code)}\" "
                f"data-severity=\"{severity}\" data-count=\"{count}\">"
                f"<title>{escape(code)}: {count} {escape(severity)}</title></rect>"
            )
            x += width
        parts.append(f"<text x=\"{x + 6:.1f}\" y=\"{y + 15}\" font-size=\"12\">{total}</text></g>")
    legend_y = row_height * len(order) + 20
    x = label_width
    for severity, colour in SEVERITY_COLOURS.items():
        parts.append(f"<rect x=\"{x}\" y=\"{legend_y - 10}\" width=\"10\" height=\"10\" "
                     f"fill=\"{colour}\"/><text x=\"{x + 14}\" y=\"{legend_y}\" "
                     f"font-size=\"12\">{severity}</text>")
        x += 90
    parts.append("</svg>\n")
    return "".join(parts)


def _signature_causes(summary: dict[str, Any]) -> str:
    groups = summary.get("signature_groups") or []
    if not groups:
        return ""
    rows = "".join(
        f"<tr data-cause=\"{escape(str(group['cause']))}\" data-count=\"{int(group['count'])}\">"
        f"<td><code>{escape(str(group['cause']))}</code></td>"
        f"<td class=\"number\">{int(group['count'])}</td>"
        f"<td>{escape(str(group.get('headline') or group.get('text', '')))}</td>"
        f"<td>{_sources(group.get('sources') or {})}</td>"
        f"<td class=\"no-print\"><button type=\"button\" class=\"show-cause\" "
        f"data-cause=\"{escape(str(group['cause']))}\">Show these links</button></td></tr>"
        for group in groups
    )
    return (
        "<section class=\"causes\" aria-labelledby=\"causes-title\">"
        "<h2 id=\"causes-title\">Signature mismatches by cause</h2>\n"
        "<div class=\"table-wrap\"><table class=\"causes\"><thead><tr><th scope=\"col\">Cause</th>"
        "<th scope=\"col\">Links</th><th scope=\"col\">What the signer did</th>"
        "<th scope=\"col\">From</th><th scope=\"col\" class=\"no-print\">"
        "<span class=\"visually-hidden\">Filter</span></th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div></section>\n"
    )


def _sources(sources: dict[str, Any]) -> str:
    shown = list(sources.items())[:3]
    text = ", ".join(f"{escape(str(path))} ({int(count)})" for path, count in shown)
    hidden = len(sources) - len(shown)
    return text + (f" and {hidden} more" if hidden > 0 else "")


def _opaque(summary: dict[str, Any]) -> str:
    opaque = summary.get("opaque") or []
    if not opaque:
        return ""
    items = "".join(
        f"<li>{escape(str(item['location']['path']))}:{int(item['location']['line'])}: "
        f"{escape(str(item['tracker']))} <span class=\"url\">{escape(str(item['url']))}</span></li>"
        for item in opaque
    )
    return (
        "<section aria-labelledby=\"opaque-title\"><h2 id=\"opaque-title\">Opaque click-tracking"
        " links</h2>\n<p>Where these lead cannot be told without following them; they may hide "
        f"direct links.</p><ul>{items}</ul></section>\n"
    )


def _paths(paths: list[dict[str, Any]]) -> str:
    if not paths:
        return ""
    statuses = Counter(str(path["status"]) for path in paths)
    troubled = [path for path in paths if path["status"] != "audited"]
    ordered = troubled + [path for path in paths if path["status"] == "audited"]
    rows = "".join(
        f"<tr data-status=\"{escape(str(path['status']))}\"><td>{escape(str(path['path']))}</td>"
        f"<td>{escape(str(path['status']))}</td><td>{escape(str(path.get('kind') or ''))}</td>"
        f"<td class=\"number\">{int(path.get('links', 0))}</td>"
        f"<td>{escape(str(path.get('reason') or ''))}</td></tr>"
        for path in ordered
    )
    told = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
    opened = " open" if troubled or len(paths) <= OPEN_PATHS else ""
    return (
        f"<details class=\"paths\"{opened}><summary><h2>Paths ({len(paths)}: {escape(told)})"
        "</h2></summary>\n<div class=\"table-wrap\"><table class=\"paths\"><thead><tr>"
        "<th scope=\"col\">Path</th><th scope=\"col\">Status</th><th scope=\"col\">Kind</th>"
        "<th scope=\"col\">Links</th><th scope=\"col\">Reason</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></div></details>\n"
    )


def _findings_shell() -> str:
    """The controls and the list the script fills; without a script it says so."""
    severity_boxes = "".join(
        f"<label class=\"facet sev-{severity}\"><input type=\"checkbox\" name=\"severity\" "
        f"value=\"{severity}\"> {SEVERITY_PLURALS[severity].capitalize()} "
        f"<span class=\"count\" data-facet-count=\"{severity}\"></span></label>"
        for severity in ("error", "warning", "info")
    )
    return f"""<section id="findings" class="findings" aria-labelledby="findings-title">
<h2 id="findings-title">Links and findings</h2>
<noscript><p class="notice">The list of links needs the page's own script; the summary above
and the JSON report (<code>--format json</code>) hold the same numbers.</p></noscript>
<div class="layout">
<details class="filters" id="filters" open><summary>Filters</summary>
<form id="filter-form" autocomplete="off">
<fieldset><legend>Severity</legend>{severity_boxes}</fieldset>
<fieldset><legend>Rule</legend><div id="rule-facets" class="rule-facets"></div></fieldset>
<label for="file-filter">File</label><select id="file-filter"></select>
<label for="cause-filter">Signature cause</label><select id="cause-filter"></select>
<label class="facet toggle"><input type="checkbox" id="show-clean"> Show clean links
<span class="count" id="clean-count"></span></label>
<button type="button" id="clear-filters">Clear filters</button>
</form></details>
<div class="results">
<div class="toolbar">
<label for="search" class="visually-hidden">Search</label>
<input id="search" type="search" placeholder="Search links, messages, rules, files  ( / )"
 spellcheck="false">
<label for="sort" class="inline">Sort</label>
<select id="sort">
<option value="severity">Errors first</option>
<option value="file">File and line</option>
<option value="rule">Rule</option>
<option value="count">Most findings</option>
</select>
<button type="button" id="expand-all">Expand all</button>
<button type="button" id="collapse-all">Collapse all</button>
</div>
<p id="result-count" class="result-count" role="status" aria-live="polite"></p>
<p class="help no-print keys-help">Keys: <kbd>/</kbd> search, <kbd>j</kbd>/<kbd>k</kbd> next
or previous link, <kbd>Enter</kbd> open or close it, <kbd>Esc</kbd> leave the search box.</p>
<div id="groups"></div>
<p class="pager no-print"><button type="button" id="more" hidden>Show more</button></p>
</div></div></section>
"""


def _rule_docs(rules: dict[str, dict[str, Any]]) -> str:
    if not rules:
        return ""
    articles = "".join(_rule_article(code) for code in rules)
    return (
        "<section class=\"rules\" aria-labelledby=\"rules-title\">"
        "<h2 id=\"rules-title\">The rules found here</h2>\n<p class=\"help\">The same text is in "
        "<code>docs/rules.md</code> and <code>directlink rules CODE</code>.</p>\n"
        f"{articles}</section>\n"
    )


def _rule_article(code: str) -> str:
    info = rule_info(code)
    parts = [f"<article id=\"rule-{escape(code)}\" class=\"rule\" tabindex=\"-1\">"
             f"<h3>{escape(code)} <code>{escape(info.name)}</code> "
             f"<span class=\"badge {escape(info.severity)}\">{escape(info.severity)}</span></h3>",
             f"<p>{escape(info.summary)}</p>"]
    if info.why:
        parts.append(f"<p>{escape(info.why)}</p>")
    examples: Iterable[tuple[str, str]] = (("Bad", info.bad), ("Good", info.good))
    for label, example in examples:
        if example:
            parts.append(f"<p class=\"example\"><b>{label}:</b> "
                         f"<code class=\"url\">{escape(example)}</code></p>")
    parts.append(f"<p class=\"help\">Fix: {'yes' if info.fixable else 'none automatic'}.</p>")
    parts.append("</article>\n")
    return "".join(parts)
