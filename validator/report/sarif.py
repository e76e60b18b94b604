"""``--format sarif``: SARIF 2.1.0, as GitHub code scanning reads it.

Every rule that has a result is described in ``tool.driver.rules`` with its
help text; each result points at the file and the region of the link (the
finding's own columns where the link is written verbatim on one line).
Columns count Unicode code points (``columnKind``).
"""

from __future__ import annotations

import json
import os
from typing import Any, TextIO
from urllib.parse import quote

from validator.report.catalogue import help_markdown, help_text, rule_info
from validator.report.document import (
    ReportDocument,
    finding_position,
    findings_of,
    path_problem,
    paths_not_read,
)
from validator.report.fingerprint import FINGERPRINT_KEY, finding_fingerprint

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


#: Characters left bare in a URI path (RFC 3986 ``pchar`` and ``/``); the rest is %-encoded.
_PATH_SAFE = "/!$&'()*+,;=:@-._~"


def artifact_location(path: str) -> dict[str, str]:
    """The SARIF ``artifactLocation`` of ``path``: a relative URI reference under %SRCROOT%.

    Every character a URI may not hold bare (space, ``<``, non-ASCII ...) is
    percent-encoded, so the value is a valid ``uri-reference``. A source that
    is not a file (``<arg 1>``, ``<stdin>`` of ``check``) has no base.
    """
    text = path.replace("\\", "/")
    while text.startswith("./"):
        text = text[2:]
    container, hash_, inside = text.rpartition("#")
    if hash_ and not os.path.exists(path) and os.path.isfile(container):
        # A place inside a container file (campaign.mbox#message-2): the file, and a fragment.
        encoded = quote(container, safe=_PATH_SAFE) + "#" + quote(inside, safe=_PATH_SAFE + "?")
    else:
        encoded = quote(text, safe=_PATH_SAFE)
    if ":" in encoded.split("/", 1)[0]:
        # "C:/x" or "a:b" would read as a scheme: a first segment with ":" is made "./a:b".
        encoded = "./" + encoded
    if path.startswith("<"):
        return {"uri": encoded}
    return {"uri": encoded, "uriBaseId": "%SRCROOT%"}


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
    not_read = paths_not_read(document)
    invocation: dict[str, Any] = {"executionSuccessful": not not_read}
    if not_read:
        invocation["toolExecutionNotifications"] = [_notification(path) for path in not_read]
    invocation["properties"] = {"summary": document.summary}
    stream.write(f'"invocations": [{json.dumps(invocation, ensure_ascii=False)}]\n')
    stream.write("}]}\n")


def _notification(path: dict[str, Any]) -> dict[str, Any]:
    """A path the tool could not read (in full), as code scanning lists tool problems."""
    return {
        "level": "error",
        "message": {"text": f"{path['path']}: {path_problem(path)}"},
        "descriptor": {"id": f"directlink/{path['status']}"},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(path["path"])}}],
    }


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
    physical = {"artifactLocation": artifact_location(location["path"]), "region": region}
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
        "partialFingerprints": {FINGERPRINT_KEY: finding_fingerprint(record, finding)},
    }
    return result
