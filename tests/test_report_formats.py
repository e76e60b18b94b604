"""Output formats read back: SARIF structure, JUnit XML, the HTML report's numbers, GitHub lines."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import html5lib
import pytest
from audit_fixtures import SECRET, write_tree
from click.testing import CliRunner
from report_schemas import junit_errors, sarif_errors

from validator.cli import cli


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("tree")
    write_tree(root)
    secret_file = root.parent / "secret.txt"
    secret_file.write_text(SECRET.reveal(), encoding="utf-8")
    runner = CliRunner()
    outputs: dict[str, str] = {}
    for output_format in ("json", "jsonl", "sarif", "junit", "github", "html", "text"):
        target = root.parent / f"report.{output_format}"
        result = runner.invoke(cli, ["audit", str(root), "--format", output_format, "--output",
                                     str(target), "--secret-file", str(secret_file),
                                     "--jobs", "2"])
        assert result.exit_code == 1, result.output
        outputs[output_format] = target.read_text(encoding="utf-8")
    return outputs


def json_report(reports: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(reports["json"])
    return data


def test_sarif_is_valid_against_the_official_schema_with_consistent_rules(
    reports: dict[str, str],
) -> None:
    sarif = json.loads(reports["sarif"])
    assert sarif_errors(sarif) == []
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1
    dl101 = next(rule for rule in rules if rule["id"] == "DL101")
    assert dl101["name"] == "chatid-without-direct"
    assert "direct" in dl101["help"]["text"]
    data = json_report(reports)
    assert len(run["results"]) == data["summary"]["findings"]


def test_sarif_points_at_the_finding_on_its_line(reports: dict[str, str]) -> None:
    sarif = json.loads(reports["sarif"])
    [result] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "DL101"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("templates/welcome.html")
    # <a href="https://visitorchat.twt.com/direct/demo_app?chatid=42&amp;lang=en"> on line 3:
    # not verbatim (the &amp;), so the region is the link's first character.
    assert location["region"] == {"startLine": 3, "startColumn": 10}


def test_junit_parses_back_with_one_case_per_link(reports: dict[str, str]) -> None:
    tree = ElementTree.fromstring(reports["junit"])
    suite = tree.find("testsuite")
    assert suite is not None
    data = json_report(reports)
    cases = suite.findall("testcase")
    link_cases = [case for case in cases if case.get("name") != "(file)"]
    assert len(link_cases) == data["summary"]["links"]
    failing = sum(
        1 for record in data["links"]
        if any(f["severity"] == "error" for f in record["report"]["findings"])
    )
    assert int(suite.get("failures", "-1")) == failing
    assert len([case for case in cases if case.find("failure") is not None]) == failing
    skipped = [case for case in cases if case.find("skipped") is not None]
    assert len(skipped) == data["summary"]["skipped"]
    errors = [case for case in cases if case.find("error") is not None]
    assert len(errors) == data["summary"]["unreadable"] == int(suite.get("errors", "-1"))
    [error] = errors
    assert error.get("classname", "").endswith("rotated.log")
    assert error.find("error").get("message") == "unreadable: broken symbolic link"  # type: ignore[union-attr]


def test_junit_is_valid_against_junit_10_xsd(reports: dict[str, str]) -> None:
    assert junit_errors(reports["junit"]) == []
    assert "skipped" not in ElementTree.fromstring(reports["junit"]).attrib


def test_every_format_names_the_unreadable_path(reports: dict[str, str]) -> None:
    sarif = json.loads(reports["sarif"])
    [invocation] = sarif["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    [notification] = invocation["toolExecutionNotifications"]
    location = notification["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"].endswith("logs/rotated.log")
    assert notification["level"] == "error"
    assert "broken symbolic link" in notification["message"]["text"]
    github = [line for line in reports["github"].splitlines() if "rotated.log" in line]
    assert len(github) == 1 and github[0].startswith("::error file=")
    assert "broken symbolic link" in github[0]
    data = json_report(reports)
    assert [p["reason"] for p in data["paths"] if p["path"].endswith("rotated.log")] == [
        "broken symbolic link"
    ]
    assert "rotated.log: unreadable (broken symbolic link)" in reports["text"]


def test_html_report_numbers_match_the_json_report(reports: dict[str, str]) -> None:
    document = html5lib.parse(reports["html"], namespaceHTMLElements=False)
    data = json_report(reports)
    summary = data["summary"]
    metrics = {cell.get("data-metric"): int(cell.text or "0")
               for cell in document.iter("td") if cell.get("data-metric")}
    assert metrics["links"] == summary["links"]
    assert metrics["findings"] == summary["findings"]
    assert metrics["files"] == summary["files"]
    assert metrics["unreadable"] == summary["unreadable"]
    for severity in ("error", "warning", "info"):
        assert metrics[severity] == summary["by_severity"][severity]
    [script] = [s for s in document.iter("script") if s.get("id") == "report-data"]
    island = json.loads(script.text or "")
    assert len(island["links"]) == summary["links"]
    assert sum(len(link["d"]) for link in island["links"]) == summary["findings"]
    bars = {(rect.get("data-code"), rect.get("data-severity")): int(rect.get("data-count") or 0)
            for rect in document.iter("{http://www.w3.org/2000/svg}rect")
            if rect.get("data-code")}
    expected = {(e["code"], e["severity"]): e["count"] for e in summary["by_code_severity"]}
    assert bars == expected
    causes = {row.get("data-cause"): int(row.get("data-count") or 0)
              for row in document.iter("tr") if row.get("data-cause")}
    assert causes == {g["cause"]: g["count"] for g in summary["signature_groups"]}
    assert causes, "the tree has signature mismatches to explain"
    rules = {article.get("id") for article in document.iter("article")}
    assert rules == {f"rule-{code}" for code in summary["by_code"]}


def test_html_report_is_self_contained(reports: dict[str, str]) -> None:
    text = reports["html"]
    assert re.search(r"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                     r"&#x27;none&#x27;; script-src &#x27;sha256-", text)
    assert not re.search(r"<script[^>]* src=", text)
    assert "<link" not in text
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", text)
    assert "@import" not in text and "url(" not in text


def test_jsonl_is_one_link_per_line_then_a_summary(reports: dict[str, str]) -> None:
    lines = [json.loads(line) for line in reports["jsonl"].splitlines()]
    assert [line["type"] for line in lines[:-1]] == ["link"] * (len(lines) - 1)
    assert lines[-1]["type"] == "summary"
    assert lines[-1]["summary"]["links"] == len(lines) - 1
    records = [{k: v for k, v in line.items() if k != "type"} for line in lines[:-1]]
    assert records == json_report(reports)["links"]
    reused = [f for r in records for f in r["report"]["findings"] if f["code"] == "DL310"]
    assert len(reused) == 2


def test_github_annotations(reports: dict[str, str]) -> None:
    lines = reports["github"].splitlines()
    pattern = re.compile(
        r"^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+(,endColumn=\d+)?,"
        r"title=DL\d{3} [a-z0-9-]+::.+$"
    )
    annotations = [line for line in lines[:-1] if "title=directlink unreadable" not in line]
    assert len(annotations) == len(lines) - 2  # one line is the unreadable path's
    assert all(pattern.match(line) for line in annotations), annotations[:3]
    assert any(line.startswith("::error") and "title=DL101 chatid-without-direct" in line
               for line in annotations)
    assert lines[-1].startswith("::notice title=directlink audit::")


def test_text_output_is_grouped_by_file_with_a_summary(reports: dict[str, str]) -> None:
    text = reports["text"]
    assert "Signature mismatches by cause:" in text
    assert re.search(r"3 links: .+, from .*reminder\.html \(2\)", text)
    assert "broken symbolic link" in text
    assert text.rstrip().splitlines()[-1].startswith("37 links in 4 files")


def test_secret_and_inner_digest_never_appear(reports: dict[str, str]) -> None:
    from validator.signature import inner_digest

    digest = inner_digest("cust-2", SECRET)
    for output in reports.values():
        assert SECRET.reveal() not in output
        assert digest not in output


def test_check_offers_the_same_formats(tmp_path: Path) -> None:
    runner = CliRunner()
    link = "https://visitorchat.twt.com/direct/demo_app?chatid=5"
    result = runner.invoke(cli, ["check", link, "--format", "sarif", "-o", str(tmp_path / "s")])
    assert result.exit_code == 1
    sarif = json.loads((tmp_path / "s").read_text(encoding="utf-8"))
    assert sarif_errors(sarif) == []
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is True
    [result_] = sarif["runs"][0]["results"]
    artifact = result_["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "%3Carg%201%3E"}
    assert result_["ruleId"] == "DL101"
    region = result_["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": link.index("chatid") + 1,
                      "endColumn": len(link) + 1}
    junit = runner.invoke(cli, ["check", link, "--format", "junit"])
    assert ElementTree.fromstring(junit.stdout).find("testsuite") is not None
    assert junit_errors(junit.stdout) == []


def test_sarif_uris_of_awkward_file_names_are_uri_references(tmp_path: Path) -> None:
    folder = tmp_path / "e-mails 2024" / "été"
    folder.mkdir(parents=True)
    (folder / "a #1 <b>.txt").write_text(
        "https://visitorchat.twt.com/direct/demo_app?chatid=5\n", encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["audit", str(tmp_path), "--format", "sarif", "-j", "1"])
    assert result.exit_code == 1
    sarif = json.loads(result.stdout)
    assert sarif_errors(sarif) == []
    uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri["uri"].endswith("e-mails%202024/%C3%A9t%C3%A9/a%20%231%20%3Cb%3E.txt")
