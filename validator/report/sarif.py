"""``--format sarif``: SARIF 2.1.0, as GitHub code scanning reads it.

Every rule that has a result is described in ``tool.driver.rules`` with its
help text; each result points at the file and the region of the link (the
finding's own columns where the link is written verbatim on one line).
Columns count Unicode code points (``columnKind``).
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from validator.report.catalogue import help_markdown, help_text, rule_info
from validator.report.document import ReportDocument, finding_position, findings_of

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    text = path.replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    return text


def write(document: ReportDocument, stream: TextIO) -> None:
    # Results are written as they come; the rules they use are collected on the way
    # and written after them (JSON member order does not matter to SARIF readers).
    stream.write(f'{{"$schema": "{SCHEMA}", "version": "2.1.0", "runs": [{{\n')
    stream.write('"columnKind": "unicodeCodePoints",\n"results": [')
    rule_index: dict[str, int] = {}
    rules: list[dict[str, Any]] = []
    first = True
    for record in document.records():
        for finding in findings_of(record):
            code = finding["code"]
            if code not in rule_index:
                rule_index[code] = len(rules)
                rules.append(_rule(code, finding))
            result = _result(record, finding, rule_index[code])
            stream.write("\n" if first else ",\n")
            stream.write(json.dumps(result, ensure_ascii=False))
            first = False
    stream.write("\n],\n")
    driver = {
        "name": "directlink",
        "version": document.tool_version,
        "semanticVersion": document.tool_version,
        "rules": rules,
    }
    stream.write(f'"tool": {{"driver": {json.dumps(driver, ensure_ascii=False)}}},\n')
    invocation = {
        "executionSuccessful": True,
        "properties": {"summary": document.summary},
    }
    stream.write(f'"invocations": [{json.dumps(invocation, ensure_ascii=False)}]\n')
    stream.write("}]}\n")


def _rule(code: str, finding: dict[str, Any]) -> dict[str, Any]:
    info = rule_info(code, finding.get("name", ""), finding.get("severity", "warning"))
    return {
        "id": code,
        "name": info.name,
        "shortDescription": {"text": info.summary or info.name},
        "fullDescription": {"text": info.why or info.summary or info.name},
        "help": {"text": help_text(info), "markdown": help_markdown(info)},
        "defaultConfiguration": {"level": LEVELS.get(info.severity, "warning")},
        "properties": {"tags": [tag for tag in ("direct-link", info.family) if tag]},
    }


def _result(record: dict[str, Any], finding: dict[str, Any], index: int) -> dict[str, Any]:
    line, column, end = finding_position(record, finding)
    region: dict[str, Any] = {"startLine": line, "startColumn": column}
    if end is not None:
        region["endColumn"] = end
    location = record["location"]
    physical = {
        "artifactLocation": {"uri": _uri(location["path"]), "uriBaseId": "%SRCROOT%"},
        "region": region,
    }
    logical = [
        {"name": item, "kind": "member"}
        for item in (location.get("json_path"), location.get("part"))
        if item
    ]
    result: dict[str, Any] = {
        "ruleId": finding["code"],
        "ruleIndex": index,
        "level": LEVELS[finding["severity"]],
        "message": {"text": f"{finding['message']} [{record['url']}]"},
        "locations": [
            {"physicalLocation": physical, **({"logicalLocations": logical} if logical else {})}
        ],
        "partialFingerprints": {
            "directlinkFinding/v1": f"{finding['code']}:{record['url']}",
        },
    }
    return result
