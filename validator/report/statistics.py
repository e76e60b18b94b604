"""``--statistics``: how many findings of each rule, most frequent first, as ruff prints them.

       12  DL202  warning  [*]  non-canonical-lang
        3  DL101  error    [-]  chatid-without-direct

``[*]`` a safe fix exists (``--fix``), ``[-]`` only an unsafe one
(``--unsafe-fixes``), ``[ ]`` none. With ``--format json`` the same rows as
a JSON list (``code``, ``name``, ``severity``, ``count``, ``fix``: ``"safe"``,
``"unsafe"`` or ``null``), as ruff writes its statistics.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from validator.report.document import ReportDocument, findings_of
from validator.report.wording import plural

_RANK = {"[ ]": 0, "[-]": 1, "[*]": 2}
_FIX_WORD = {"[ ]": None, "[-]": "unsafe", "[*]": "safe"}


def _fix_mark(finding: dict[str, Any]) -> str:
    fix = finding.get("fix")
    if not fix:
        return "[ ]"
    return "[*]" if fix.get("safe") else "[-]"


def rows(document: ReportDocument) -> list[dict[str, Any]]:
    """One row per rule that fired: most frequent first, then by code."""
    counts: Counter[tuple[str, str, str]] = Counter()
    marks: dict[str, str] = {}
    for record in document.records():
        for finding in findings_of(record):
            counts[(finding["code"], finding["name"], finding["severity"])] += 1
            # A rule shows its best fix: safe beats unsafe beats none.
            mark, best = _fix_mark(finding), marks.get(finding["code"])
            if best is None or _RANK[mark] > _RANK[best]:
                marks[finding["code"]] = mark
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    return [
        {"code": code, "name": name, "severity": severity, "count": count,
         "fix": _FIX_WORD[marks[code]]}
        for (code, name, severity), count in ordered
    ]


def write(document: ReportDocument, stream: TextIO, output_format: str = "text") -> None:
    """The statistics in ``output_format``: ``text`` or ``json``."""
    table = rows(document)
    if output_format == "json":
        stream.write(json.dumps(table, ensure_ascii=False, indent=2) + "\n")
        return
    marks = {word: mark for mark, word in _FIX_WORD.items()}
    width = max((len(str(row["count"])) for row in table), default=1)
    for row in table:
        stream.write(f"{row['count']:>{width}}  {row['code']}  {row['severity']:<7}  "
                     f"{marks[row['fix']]}  {row['name']}\n")
    total = sum(row["count"] for row in table)
    stream.write(("\n" if table else "") + f"{plural(total, 'finding')} in total\n")
