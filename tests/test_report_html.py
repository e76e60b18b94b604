"""The HTML report read back without a browser: its data, its policy, hostile and masked text."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from typing import Any

import html5lib
from report_samples import BASE, finding, large_document, record, summary_of

from validator.report import ReportDocument
from validator.report.html import write


def render(document: ReportDocument) -> str:
    stream = io.StringIO()
    write(document, stream)
    return stream.getvalue()


def island(text: str) -> dict[str, Any]:
    tree = html5lib.parse(text, namespaceHTMLElements=False)
    [script] = [s for s in tree.iter("script") if s.get("id") == "report-data"]
    assert script.get("type") == "application/json"
    data: dict[str, Any] = json.loads(script.text or "")
    return data


def document_of(records: list[dict[str, Any]], *, redact_pii: bool = False) -> ReportDocument:
    paths = sorted({r["location"]["path"] for r in records})
    return ReportDocument(
        "audit", lambda: iter(records), summary_of(records, len(paths)),
        [{"path": p, "status": "audited", "kind": "text", "reason": None, "links": 1}
         for p in paths], redact_pii=redact_pii,
    )


def test_policy_allows_exactly_the_inline_script_and_style() -> None:
    url = f"{BASE}?chatid=1"
    text = render(document_of([record("a.txt", 1, url, [])]))
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text)
    assert policy is not None
    rules = dict(part.strip().split(" ", 1) for part in
                 policy.group(1).replace("&#x27;", "'").split(";"))
    assert rules["default-src"] == "'none'"
    tree = html5lib.parse(text, namespaceHTMLElements=False)
    scripts = [s for s in tree.iter("script") if s.get("type") != "application/json"]
    [style] = list(tree.iter("style"))
    assert len(scripts) == 1 and scripts[0].get("src") is None

    def digest(body: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"

    assert rules["script-src"] == digest(scripts[0].text or "")
    assert rules["style-src"] == digest(style.text or "")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", text)
    assert "@import" not in text and "url(" not in text and "<link" not in text


def test_hostile_link_text_cannot_close_the_data_island() -> None:
    url = f"{BASE}?chatid=</script><script>alert(1)</script>&x=<!--"
    text = render(document_of([record("a.txt", 1, url, [
        finding("DL507", "raw-unsafe-characters", "warning", "raw '<' in </script>", (50, 51)),
    ])]))
    assert "</script><script>alert" not in text
    assert "<!--" not in text.split('id="report-data">', 1)[1]
    assert island(text)["links"][0]["u"] == url


def test_island_holds_findings_fixes_and_fixed_links() -> None:
    url = f"{BASE}?chatid=9&lang=pt-BR"
    start = url.index("pt-BR")
    fix = {"description": "write lang=pt", "safe": True, "edits": [],
           "replacements": [{"span": [start, start + 5], "content": "pt"}]}
    records = [
        record("b.txt", 4, url, [
            finding("DL101", "chatid-without-direct", "error", "no direct", (44, 52)),
            finding("DL202", "non-canonical-lang", "warning", "write pt", (start, start + 5), fix),
        ], cause=("uppercase-hex", "sbs_mm written in upper case")),
        record("a.txt", 1, f"{BASE}?direct=1&chatid=1", []),
    ]
    data = island(render(document_of(records)))
    assert data["files"] == ["a.txt", "b.txt"]
    first = data["links"][0]
    assert data["files"][first["f"]] == "b.txt" and first["l"] == 4
    error, warning = first["d"]
    assert error[:4] == ["DL101", 2, "no direct", [44, 52]] and error[4] is None
    assert warning[4] == ["write lang=pt", True, f"{BASE}?chatid=9&lang=pt"]
    assert first["s"] == "uppercase-hex"
    assert data["causes"]["uppercase-hex"] == "sbs_mm written in upper case"
    assert data["rules"]["DL101"]["name"] == "chatid-without-direct"
    assert data["links"][1]["d"] == []
    assert any("home page" in line for line in first["o"])


def test_customer_data_stays_masked_everywhere_in_the_page() -> None:
    url = f"{BASE}?direct=1&chatid=5&email=ann.secret@example.com&name=Annabel"
    at = url.index("ann.secret")
    records = [record("c.csv", 2, url, [
        finding("DL312", "unsigned-customer-fields", "info",
                "email='ann.secret@example.com' is not signed", (at, at + 22)),
    ])]
    records[0]["report"]["link"]["params"] = [
        {"name": "email", "value": "ann.secret@example.com", "raw": "email=ann.secret@example.com"},
        {"name": "name", "value": "Annabel", "raw": "name=Annabel"},
    ]
    text = render(document_of(records, redact_pii=True))
    assert "ann.secret" not in text and "Annabel" not in text
    assert "ann.secret" in render(document_of(records))


def test_a_secret_masked_link_shows_no_spans_or_fixed_link_that_no_longer_fit() -> None:
    url = f"{BASE}?direct=1&chatid=5&secret=<AppSecret>"
    fix = {"description": "drop secret", "safe": False, "edits": [],
           "replacements": [{"span": [60, 90], "content": ""}]}
    data = island(render(document_of([record("d.txt", 1, url, [
        finding("DL309", "secret-exposed", "error", "the AppSecret is in the link", (60, 90), fix),
    ])])))
    [entry] = data["links"][0]["d"]
    assert entry[3] is None and entry[4] == ["drop secret", False, None]


def test_the_chart_is_sorted_by_count() -> None:
    text = render(large_document(findings=40, per_link=4, files=2))
    tree = html5lib.parse(text, namespaceHTMLElements=False)
    bars = [g.get("data-rule") for g in tree.iter("{http://www.w3.org/2000/svg}g")
            if g.get("data-rule")]
    assert sorted(bars) == ["DL101", "DL202", "DL304", "DL308"]
    records = [record("e.txt", 1, BASE, [finding("DL202", "non-canonical-lang", "warning",
                                                  "m", None)] * 3 +
                      [finding("DL101", "chatid-without-direct", "error", "m", None)])]
    tree = html5lib.parse(render(document_of(records)), namespaceHTMLElements=False)
    bars = [g.get("data-rule") for g in tree.iter("{http://www.w3.org/2000/svg}g")
            if g.get("data-rule")]
    assert bars == ["DL202", "DL101"]


def test_a_hundred_thousand_findings_fit_in_one_file() -> None:
    text = render(large_document())
    data = island(text)
    assert sum(len(link["d"]) for link in data["links"]) == 100_000
    assert len(data["files"]) == 500
    # The cards are drawn by the script, a page at a time: none is written out.
    assert text.count("<details class=\"card") == 0
