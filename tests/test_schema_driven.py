"""Schema-driven generation: schemathesis writes links from the chat page's OpenAPI description.

``corpora/chat-page.openapi.json`` describes ``GET /direct/{app_id}`` with
every parameter, its type, pattern and enum, and the cross-parameter rules
(``direct`` needs ``chatid``; ``sbs``, ``sbs_mm`` and ``ranstr`` go together).
Cases are generated in-process (no network) and turned into links from their
formatted path and query. Positive cases must check without an error;
negative cases are judged against the schema again, and wherever a value the
validator has a rule for breaks the schema, the validator must flag it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings

from validator import check, parse, spec
from validator.query import encode_component

schemathesis = pytest.importorskip("schemathesis")
from schemathesis import GenerationMode, openapi  # noqa: E402

DOCUMENT = Path(__file__).resolve().parent.parent / "corpora" / "chat-page.openapi.json"
RAW = json.loads(DOCUMENT.read_text(encoding="utf-8"))
SCHEMA = openapi.from_dict(RAW)
OPERATION = SCHEMA["/direct/{app_id}"]["GET"]
QUERY_SCHEMA = RAW["components"]["schemas"]["DirectLinkQuery"]
BASE = RAW["servers"][0]["url"]
_APP_ID = re.compile(spec.APP_ID_CHARACTERS)


def _pairs(value: Any, name: str) -> list[tuple[str, str]]:
    """Form-explode one query value as an HTTP client would."""
    if value is None:
        return [(name, "")]
    if isinstance(value, list):
        return [pair for item in value for pair in _pairs(item, name)]
    if isinstance(value, bool):
        return [(name, "true" if value else "false")]
    if isinstance(value, str):
        return [(name, value)]
    return [(name, json.dumps(value, ensure_ascii=False))]


def link_for(case: Any) -> str:
    query = case.query or {}
    pairs = [pair for name, value in query.items() for pair in _pairs(value, str(name))]
    text = BASE + case.formatted_path
    if pairs:
        text += "?" + "&".join(f"{encode_component(k)}={encode_component(v)}" for k, v in pairs)
    return text


def _expected_codes(url: str) -> set[str]:
    """Codes one of which must fire, judging the decoded link against the schema."""
    link = parse(url)
    expected: set[str] = set()
    app_id = link.app_id or ""
    if not app_id or not _APP_ID.fullmatch(app_id):
        expected |= {"DL004", "DL511"}
    decoded: dict[str, str] = {}
    for param in link.params:
        decoded.setdefault(param.name, param.value)
    if len(decoded) != len(link.params):
        expected.add("DL501")
    judged = {
        "direct": lambda v: v != spec.DIRECT_VALUE and {"DL103"},
        "chatid": lambda v: (not v.strip() and {"DL105"}) or (v != v.strip() and {"DL510"}),
        "lang": lambda v: v not in spec.DEFAULT_LANGUAGES and {"DL201", "DL202", "DL203"},
        "sbs_mm": lambda v: not re.fullmatch("[0-9a-f]{32}", v) and {"DL306"},
        "ranstr": lambda v: len(v) < spec.MIN_RANSTR_LENGTH and {"DL304", "DL305"},
        "email": lambda v: "@" not in v and {"DL401", "DL404"},
        "theme": lambda v: v not in spec.THEMES and {"DL602"},
        "is_app": lambda v: v != spec.IS_APP_VALUE and {"DL603"},
    }
    for name, value in decoded.items():
        judge = judged.get(name)
        if judge is not None:
            expected |= judge(value) or set()
        elif not name:
            expected.add("DL506")  # '=value' with no key
        elif name not in spec.KNOWN_PARAMS:
            expected |= {"DL502", "DL503", "DL309", "DL601", "DL511"}
    present = set(decoded)
    if spec.DIRECT in present and not present & set(spec.CHAT_ID_KEYS):
        expected.add("DL102")
    if present & set(spec.CHAT_ID_KEYS) and spec.DIRECT not in present:
        expected.add("DL101")
    if spec.SBS in present and spec.SBS_MM not in present:
        expected.add("DL301")
    if spec.SBS not in present and present & {spec.SBS_MM, spec.RANSTR}:
        expected.add("DL302")
    if spec.SBS_MM in present and spec.RANSTR not in present:
        expected.add("DL303")
    return expected


@settings(max_examples=40, suppress_health_check=list(HealthCheck), database=None)
@given(OPERATION.as_strategy(generation_mode=GenerationMode.POSITIVE))
def test_schema_valid_links_have_no_errors(case: Any) -> None:
    url = link_for(case)
    jsonschema.validate(case.query or {}, QUERY_SCHEMA)  # schemathesis kept to the schema
    report = check(url)
    errors = [f"{f.code}: {f.message}" for f in report.findings if f.severity == "error"]
    assert not errors, url


@settings(max_examples=40, suppress_health_check=list(HealthCheck), database=None)
@given(OPERATION.as_strategy(generation_mode=GenerationMode.NEGATIVE))
def test_schema_invalid_links_are_flagged(case: Any) -> None:
    url = link_for(case)
    expected = _expected_codes(url)
    codes = set(check(url).codes())
    if expected:
        assert codes & expected, f"{url}: expected one of {sorted(expected)}, got {sorted(codes)}"


def test_negative_mode_yields_links_the_validator_flags() -> None:
    """Not vacuous: most negative cases break a rule the validator has, and are flagged."""
    judged = flagged = 0

    @settings(max_examples=40, suppress_health_check=list(HealthCheck), database=None)
    @given(OPERATION.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    def count(case: Any) -> None:
        nonlocal judged, flagged
        url = link_for(case)
        if _expected_codes(url):
            judged += 1
            flagged += bool(check(url).findings)

    count()
    assert judged >= 10 and flagged == judged


def test_document_names_every_parameter() -> None:
    assert set(QUERY_SCHEMA["properties"]) == set(spec.KNOWN_PARAMS)
    for name, schema in QUERY_SCHEMA["properties"].items():
        assert schema.get("description"), name
        assert "enum" in schema or "pattern" in schema or "minLength" in schema, name
