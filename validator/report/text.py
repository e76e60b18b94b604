"""Human diagnostics for one link, as rustc and ruff print source diagnostics.

::

    <arg 1>
      https://visitorchat.twt.com/direct/demo_app?chatid=s1&lang=pt-BR
                                                  ^^^^^^^^^      ^^^^^
                                                  │              └─ DL202 non-canonical-lang
                                                  └─ DL101 chatid-without-direct
      page: opens the home page in Português as an anonymous visitor
      error    DL101 chatid-without-direct  chatid='s1' without direct=1: ...
               fix (unsafe): add direct=1

Colour only when asked for (the CLI asks on a TTY).
"""

from __future__ import annotations

import itertools
import operator
import unicodedata
from collections.abc import Callable

from validator.model import SEVERITY_RANK, Finding, Report, Severity, Span, describe
from validator.report.style import paint as paint_style
from validator.report.terminal import escape, is_unsafe, terminal_text
from validator.report.wording import plural

_COLOURS: dict[str, str] = {"error": "red", "warning": "yellow", "info": "cyan"}
_MARKS: dict[str, str] = {"error": "^", "warning": "^", "info": "-"}
INDENT = "  "
#: A (mark, severity) column of the underline: its parts.
_MARK_OF = operator.itemgetter(0)
_SEVERITY_OF = operator.itemgetter(1)


def _width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _columns(text: str) -> list[int]:
    """Display column of each character of ``text`` as rendered (and of its end).

    An escaped character takes the width of its escape, so underlines stay
    under the characters they mark.
    """
    if text.isascii() and text.isprintable():
        return list(range(len(text) + 1))  # one column each: most links, at once
    return columns_of_each(text)


def columns_of_each(text: str) -> list[int]:
    """:func:`_columns`, each character's width looked up in turn."""
    columns = [0]
    for ch in text:
        width = len(escape(ch)) if is_unsafe(ch) else _width(ch)
        columns.append(columns[-1] + width)
    return columns


def render_report(
    report: Report,
    *,
    source: str | None = None,
    color: bool = False,
    show_fixes: bool = True,
) -> str:
    """The report as text: the link with its spans underlined, what the page does, the findings."""
    paint = _painter(color)
    lines: list[str] = []
    if source:
        lines.append(paint(terminal_text(source), bold=True))
    lines.extend(INDENT + line for line in _annotated_link(report, paint))
    lines.append(INDENT + paint("page: ", bold=True) + _page_line(report))
    for finding in report.findings:
        lines.extend(INDENT + line for line in _finding_lines(finding, paint, show_fixes))
    if not report.findings:
        lines.append(INDENT + paint("no problems found", fg="green"))
    return "\n".join(lines)


def _page_line(report: Report) -> str:
    browser = report.outcomes.get("browser")
    sdk = report.outcomes.get("sdk")
    line = terminal_text(describe(report.outcome))
    if browser is not None and sdk is not None and describe(sdk) != describe(browser):
        line += f"; in the app (SDK): {terminal_text(describe(sdk))}"
    for assumption in report.outcome.assumptions:
        line += f"\n{INDENT}      (note: {terminal_text(assumption)})"
    return line


def _finding_lines(
    finding: Finding, paint: Callable[..., str], show_fixes: bool
) -> list[str]:
    severity = paint(f"{finding.severity:<8}", fg=_COLOURS[finding.severity], bold=True)
    code = paint(finding.code, bold=True)
    lines = [f"{severity} {code} {finding.name}  {terminal_text(finding.message)}"]
    if show_fixes and finding.fix is not None:
        kind = "fix" if finding.fix.safe else "fix (unsafe, --unsafe-fixes)"
        description = terminal_text(finding.fix.description)
        lines.append(" " * 9 + paint(f"{kind}: {description}", fg="green"))
    return lines


def _annotated_link(report: Report, paint: Callable[..., str]) -> list[str]:
    text = report.link.input
    columns = _columns(text)
    shown = [(f, f.span) for f in report.findings if f.span is not None]
    lines = [terminal_text(text)]
    if not shown:
        return lines
    marks: list[tuple[int, int, Finding]] = []
    for finding, span in shown:
        start, end = _clamp(span, len(text))
        first = columns[start]
        last = max(columns[end], first + 1)
        marks.append((first, last, finding))
    marks.sort(key=lambda mark: (mark[0], mark[1]))
    underline = [" "] * (max(last for _, last, _ in marks) + 1)
    severities: list[Severity | None] = [None] * len(underline)
    for first, last, finding in marks:
        severity = finding.severity
        rank, mark = SEVERITY_RANK[severity], _MARKS[severity]
        for column in range(first, last):
            current = severities[column]
            if current is None or rank > SEVERITY_RANK[current]:
                underline[column] = mark
                severities[column] = severity
    lines.append(_paint_underline(underline, severities, paint))
    # Labels bottom-up, each hanging from the start of its span, as rustc draws them.
    starts = sorted({first for first, _, _ in marks})
    labels: dict[int, list[Finding]] = {}
    for first, _, finding in marks:
        labels.setdefault(first, []).append(finding)
    for index in range(len(starts) - 1, -1, -1):
        column = starts[index]
        row = [" "] * column
        for earlier in starts[:index]:
            row[earlier] = "│"
        text_label = ", ".join(f"{f.code} {f.name}" for f in labels[column])
        colour = _COLOURS[_worst(labels[column])]
        lines.append("".join(row) + paint(f"└─ {text_label}", fg=colour))
    return lines


def _paint_underline(
    marks: list[str], severities: list[Severity | None], paint: Callable[..., str]
) -> str:
    # One escape sequence per run of marks of the same severity, not one per column.
    out: list[str] = []
    for severity, run in itertools.groupby(zip(marks, severities, strict=True),
                                           key=_SEVERITY_OF):
        text = "".join(map(_MARK_OF, run))
        out.append(paint(text, fg=_COLOURS[severity], bold=True) if severity else text)
    return "".join(out).rstrip()


def _clamp(span: Span, length: int) -> Span:
    start = min(max(span[0], 0), length)
    end = min(max(span[1], start), length)
    return start, end


def _worst(findings: list[Finding]) -> Severity:
    return max((f.severity for f in findings), key=SEVERITY_RANK.__getitem__)


def _painter(color: bool) -> Callable[..., str]:
    def paint(text: str, *, fg: str | None = None, bold: bool = False) -> str:
        if not color:
            return text
        return paint_style(text, fg=fg, bold=bold)

    return paint


def render_summary(reports: list[Report], *, fixed: int = 0) -> str:
    """The closing line: how many links, findings by severity, fixes applied."""
    counts = {"error": 0, "warning": 0, "info": 0}
    for report in reports:
        for finding in report.findings:
            counts[finding.severity] += 1
    parts = [f"{plural(len(reports), 'link')} checked"]
    parts.append(", ".join(plural(n, s) for s, n in counts.items()))
    if fixed:
        parts.append(f"{fixed} fixed")
    return ": ".join(parts[:2]) + ("; " + parts[2] if len(parts) > 2 else "")
