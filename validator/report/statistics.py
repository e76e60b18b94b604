"""``--statistics``: how many findings of each rule, most frequent first, as ruff prints them.

       12  DL202  warning  [*]  non-canonical-lang
        3  DL101  error    [-]  chatid-without-direct

``[*]`` a safe fix exists (``--fix``), ``[-]`` only an unsafe one
(``--unsafe-fixes``), ``[ ]`` none.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, TextIO

from validator.report.document import ReportDocument, findings_of, plural

_RANK = {"[ ]": 0, "[-]": 1, "[*]": 2}


def _fix_mark(finding: dict[str, Any]) -> str:
    fix = finding.get("fix")
    if not fix:
        return "[ ]"
    return "[*]" if fix.get("safe") else "[-]"


def write(document: ReportDocument, stream: TextIO) -> None:
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
    width = max((len(str(count)) for _, count in ordered), default=1)
    for (code, name, severity), count in ordered:
        stream.write(f"{count:>{width}}  {code}  {severity:<7}  {marks[code]}  {name}\n")
    total = sum(counts.values())
    stream.write(("\n" if ordered else "") + f"{plural(total, 'finding')} in total\n")
