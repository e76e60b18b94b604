"""Audit reports made up in memory: a few hostile records, or 100,000 findings.

The records have the shape the audit gives every format (location, url,
report with findings and outcome), so the HTML report is tested at sizes and
with texts no sample tree reaches.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from validator.record import LinkRecord
from validator.report import ReportDocument

BASE = "https://visitorchat.twt.com/direct/demo_app"

#: (code, name, severity, message, fix) cycled through by the generated findings.
FINDING_KINDS: tuple[tuple[str, str, str, str, dict[str, Any] | None], ...] = (
    ("DL101", "chatid-without-direct", "error",
     "chatid without direct=1: the page opens the home page", None),
    ("DL202", "non-canonical-lang", "warning", "lang='pt-BR' is not a documented code; write 'pt'",
     {"description": "write lang=pt", "safe": True}),
    ("DL304", "short-ranstr", "warning", "ranstr is 8 characters; 16 or more expected", None),
    ("DL308", "signature-not-checked", "info", "no secret known: the signature was not verified",
     None),
)


def record(path: str, line: int, url: str, findings: list[dict[str, Any]],
           cause: tuple[str, str] | None = None) -> dict[str, Any]:
    """A link record, written by the record itself, around a made-up report."""
    location = {"path": path, "line": line, "column": 1, "kind": "text", "json_path": None,
                "part": None}
    report = {
        "link": {"params": []},
        "findings": findings,
        "outcome": {"view": "home", "chat_id": None, "language": "en",
                    "language_source": "fallback", "identity": "anonymous", "customer": {},
                    "sbs": None, "assumptions": [], "rejected_reason": None},
    }
    return LinkRecord(location, url, report, signature_cause=cause).to_json()


def finding(code: str, name: str, severity: str, message: str, span: tuple[int, int] | None,
            fix: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "name": name, "severity": severity, "message": message,
            "span": list(span) if span else None, "param": None, "client": None, "fix": fix}


def summary_of(records: list[dict[str, Any]] | Iterator[dict[str, Any]],
               files: int) -> dict[str, Any]:
    by_severity: Counter[str] = Counter()
    by_code_severity: Counter[tuple[str, str]] = Counter()
    links = with_findings = 0
    for item in records:
        links += 1
        found = item["report"]["findings"]
        with_findings += bool(found)
        for entry in found:
            by_severity[entry["severity"]] += 1
            by_code_severity[(entry["code"], entry["severity"])] += 1
    return {
        "files": files, "audited": files, "skipped": 0, "unreadable": 0, "links": links,
        "links_with_findings": with_findings, "opaque_links": 0,
        "findings": sum(by_severity.values()),
        "by_severity": {s: by_severity.get(s, 0) for s in ("error", "warning", "info")},
        "by_code": {},
        "by_code_severity": [{"code": c, "severity": s, "count": n}
                             for (c, s), n in sorted(by_code_severity.items())],
        "signature_groups": [], "opaque": [],
    }


def large_document(findings: int = 100_000, per_link: int = 4, files: int = 500) -> ReportDocument:
    """``findings`` findings, ``per_link`` to a link, spread over ``files`` files."""
    links = findings // per_link

    def records() -> Iterator[dict[str, Any]]:
        for index in range(links):
            url = f"{BASE}?chatid=c{index}&lang=pt-BR&ranstr=abcd1234&sbs_mm=0"
            lang = url.index("pt-BR")
            found = []
            for offset in range(per_link):
                code, name, severity, message, fix = FINDING_KINDS[(index + offset) % 4]
                if fix is not None:
                    fix = {**fix, "edits": [],
                           "replacements": [{"span": [lang, lang + 5], "content": "pt"}]}
                found.append(finding(code, name, severity, f"{message} (link {index})",
                                     (lang, lang + 5), fix))
            yield record(f"logs/part-{index % files:04d}.log", index // files + 1, url, found)

    paths = [{"path": f"logs/part-{n:04d}.log", "status": "audited", "kind": "text",
              "reason": None, "links": links // files, "opaque": 0} for n in range(files)]
    return ReportDocument("audit", records, summary_of(records(), files), paths)
