"""The one link record and the one summary: built in one place, written as before.

The expected dicts below are written out key by key as the audit's spool,
``check``'s documents and the summaries have always been written: a record
that drops, renames or reorders a key (JSON key order is part of the
output) fails here before it fails a golden file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from audit_fixtures import SECRET, signed
from click.testing import CliRunner

from validator.audit import AuditSettings, audit, checked_record
from validator.check import check
from validator.cli import cli
from validator.config import DEFAULT_CONFIG
from validator.extract.model import ExtractedLink, Location
from validator.keyring import SECRET_MASK, Keyring
from validator.model import Report
from validator.record import LOCATION_KEY, LinkRecord, Summary, compact_report
from validator.report import jsonio
from validator.report.check_document import check_document
from validator.serialize import finding_to_dict, location_to_dict, outcome_to_dict, report_to_dict

UPPER = signed("cust-2", "Upp3rCaseRanstr1", upper=True)
#: An SDK outcome that differs from the browser's (the SDK opens no session without direct=1).
PLAIN = "http://visitorchat.twt.com/direct/demo_app/?chatid=c3&&lang=en&lang=de"


def expected_audit_record(item: ExtractedLink, report: Report) -> dict[str, Any]:
    """An audit record, written out as the audit has always written it."""
    link = report.link
    compact: dict[str, Any] = {
        "link": {
            "app_id": link.app_id,
            "host": link.host,
            "params": [{"name": p.name, "value": p.value, "raw": p.raw,
                        "span": [p.start, p.end]} for p in link.params],
        },
        "findings": [finding_to_dict(finding) for finding in report.findings],
        "outcome": outcome_to_dict(report.outcome),
    }
    sdk = report.outcomes.get("sdk")
    if sdk is not None and sdk != report.outcome:
        compact["sdk_outcome"] = outcome_to_dict(sdk)
    location = item.location
    return {
        "location": {"path": location.path, "line": location.line, "column": location.column,
                     "kind": location.kind, "json_path": location.json_path,
                     "part": location.part},
        "url": item.url,
        "wrappers": list(item.wrappers),
        "wrapped_url": item.wrapped_url,
        "verbatim": item.verbatim,
        "report": compact,
    }


def same(actual: Any, expected: Any) -> bool:
    """Equal, keys in the same order at every level (as JSON text compares them)."""
    return json.dumps(actual) == json.dumps(expected)


def test_an_audit_record_is_written_as_before() -> None:
    location = Location("mail.html", 3, 14, "html", None, "part 2 text/html")
    for url in (UPPER, PLAIN):
        item = ExtractedLink(url, location, ("safelinks",), "https://wrapped.example/?u=x", False)
        report = check(url, secret=SECRET)
        record = LinkRecord.extracted(item, report).to_json()
        assert same(record, expected_audit_record(item, report))
        assert jsonio.dumps(record).encode("utf-8").startswith(LOCATION_KEY)
    assert "sdk_outcome" in compact_report(check(PLAIN))
    assert "sdk_outcome" not in compact_report(check(UPPER, secret=SECRET))


def test_the_worker_adds_the_cause_and_the_text_after_the_report() -> None:
    item = ExtractedLink(UPPER, Location("a.txt", 1, 1, "text"), verbatim=True)
    settings = AuditSettings(DEFAULT_CONFIG, Keyring(SECRET), (), render_text=True)
    record, report = checked_record(item, settings, ())
    expected = expected_audit_record(item, report)
    assert list(record) == [*expected, "signature_cause", "text"]
    assert record["signature_cause"] == {
        "hypothesis": "uppercase-hex",
        "headline": "sbs_mm was computed with upper-case hex digits (MD5 hex digest "
                    "upper-cased)",
    }
    assert record["text"].lstrip().startswith(UPPER)
    assert same({key: record[key] for key in expected}, expected)


def test_a_check_record_is_written_as_before() -> None:
    reports = [check(UPPER, secret=SECRET), check(PLAIN)]
    document = check_document(["<arg 1>", "<stdin>:3"], reports)
    records = list(document.records())
    expected = [
        {"location": {"path": path, "line": line, "column": 1, "kind": "text",
                      "json_path": None, "part": None},
         "url": report.link.input, "wrappers": [], "wrapped_url": None, "verbatim": True,
         "report": report_to_dict(report)}
        for (path, line), report in zip([("<arg 1>", 1), ("<stdin>", 3)], reports, strict=True)
    ]
    assert same(records, expected)


def test_a_location_is_written_field_by_field() -> None:
    location = Location("data.json", 2, 5, "json", "$.links[0]", None)
    assert same(location_to_dict(location), {"path": "data.json", "line": 2, "column": 5,
                                             "kind": "json", "json_path": "$.links[0]",
                                             "part": None})


def test_a_secret_written_into_a_given_link_is_masked_in_its_record() -> None:
    url = f"{PLAIN}&token={SECRET.reveal()}"
    report = check(url, secret=SECRET)
    from validator.redact import Redactor

    (record,) = check_document(["<arg 1>"], [report],
                               redactor=Redactor(Keyring(SECRET))).records()
    text = json.dumps(record)
    assert SECRET.reveal() not in text and SECRET_MASK in record["url"]


# The summary -------------------------------------------------------------------------

AUDIT_KEYS = ["files", "audited", "skipped", "unreadable", "partial", "unsupported", "links",
              "links_with_findings", "opaque_links", "findings", "by_severity", "by_code",
              "by_code_severity", "signature_groups", "opaque", "suppressed",
              "unused_suppressions"]
CHECK_KEYS = [key for key in AUDIT_KEYS
              if key not in ("partial", "unsupported", "suppressed", "unused_suppressions")]


def test_the_check_summary_is_written_as_before() -> None:
    reports = [check(UPPER, secret=SECRET), check(PLAIN), check(signed("c", "R4nstrR4nstr0001"),
                                                                secret=SECRET)]
    summary = Summary.of_reports(reports)
    data = summary.to_dict()
    assert list(data) == CHECK_KEYS
    findings = [finding for report in reports for finding in report.findings]
    assert data["links"] == 3
    assert data["links_with_findings"] == sum(1 for report in reports if report.findings)
    assert data["findings"] == len(findings)
    assert data["by_severity"] == {severity: sum(1 for f in findings if f.severity == severity)
                                   for severity in ("error", "warning", "info")}
    assert list(data["by_code"]) == sorted({finding.code for finding in findings})
    assert summary.links_with_errors == sum(1 for report in reports if not report.ok) == 2
    assert data["signature_groups"] == [] and data["opaque"] == []
    assert check_document(["<arg 1>"] * 3, reports).summary == data


def test_the_audit_summary_is_written_as_before(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"{UPPER}\n{PLAIN}\n", encoding="utf-8")
    with audit([str(tmp_path)], secret=SECRET, jobs=1) as result:
        data = result.summary.to_dict()
        records = list(result.records())
    assert list(data) == AUDIT_KEYS
    assert data["links"] == len(records) == 2
    assert data["findings"] == sum(len(record["report"]["findings"]) for record in records)
    (group,) = data["signature_groups"]
    assert list(group) == ["cause", "headline", "count", "sources", "text"]
    assert group["text"] == (f"1 link: {group['headline']}, all from "
                             f"{records[0]['location']['path']}")


def test_the_json_outputs_carry_the_record_and_the_summary(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"{UPPER}\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["audit", str(tmp_path / "a.txt"), "--format", "json"])
    data = json.loads(result.output)
    (record,) = data["links"]
    assert list(record) == ["location", "url", "wrappers", "wrapped_url", "verbatim", "report"]
    assert list(data["summary"]) == AUDIT_KEYS
    lines = runner.invoke(cli, ["check", UPPER, "--format", "jsonl"]).output.splitlines()
    first = json.loads(lines[0])
    assert list(first)[:7] == ["type", "location", "url", "wrappers", "wrapped_url",
                               "verbatim", "report"]
    assert list(json.loads(lines[-1])["summary"]) == CHECK_KEYS
