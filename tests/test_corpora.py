"""Replay every file of corpora/regressions/: each once crashed or was misjudged.

A regression file is JSON (see corpora/regressions/README.md)::

    {"shows": "what went wrong, in a sentence",
     "input": "the text"            (or "input_base64" for bytes that are not UTF-8),
     "harness": "parse_check",      (optional: a fuzz target that must now pass)
     "expect_codes": ["DL101"],     (optional: codes check() must report)
     "forbid_codes": ["DL307"],     (optional: codes it must not report)
     "secret": "fuzz",              (optional: check with the fuzz harness's test secret)
     "context": "public"}           (optional: check in this context)
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
REGRESSIONS = ROOT / "corpora" / "regressions"
sys.path.insert(0, str(ROOT / "fuzz"))

from targets import FUZZ_SECRET, TARGETS  # noqa: E402

from validator import check  # noqa: E402
from validator.config import Config  # noqa: E402

FILES = sorted(REGRESSIONS.glob("*.json"))
KNOWN_KEYS = {
    "shows", "input", "input_base64", "harness", "expect_codes", "forbid_codes", "secret",
    "context", "found_by", "fixed_in", "mutation", "dialect",
}


def _load(path: Path) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return record


def _input_bytes(record: dict[str, Any]) -> bytes:
    if "input_base64" in record:
        return base64.b64decode(record["input_base64"])
    text: str = record["input"]
    return text.encode("utf-8", "surrogatepass")


def test_there_are_regressions() -> None:
    assert FILES, "corpora/regressions/ holds no regression file"


def test_every_file_is_a_replayable_regression() -> None:
    """Nothing sits in the folder unreplayed: every file but the README is a JSON record."""
    others = [
        p.name for p in REGRESSIONS.iterdir() if p.suffix != ".json" and p.name != "README.md"
    ]
    assert not others, f"not in the regression format (see README.md): {others}"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_regression_file_is_well_formed(path: Path) -> None:
    record = _load(path)
    assert record.get("shows"), f"{path.name} does not say what it shows"
    assert ("input" in record) != ("input_base64" in record), "exactly one of input/input_base64"
    assert set(record) <= KNOWN_KEYS, f"unknown keys {set(record) - KNOWN_KEYS}"
    assert "harness" in record or "expect_codes" in record or "forbid_codes" in record
    if "harness" in record:
        assert record["harness"] in TARGETS


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_regression_replays(path: Path) -> None:
    record = _load(path)
    data = _input_bytes(record)
    if "harness" in record:
        TARGETS[record["harness"]](data)
    if "expect_codes" in record or "forbid_codes" in record:
        options: dict[str, Any] = {}
        if record.get("secret") == "fuzz":
            options["secret"] = FUZZ_SECRET
        if "context" in record:
            options["config"] = Config(context=record["context"])
        codes = set(check(data.decode("utf-8", "surrogateescape"), **options).codes())
        missing = set(record.get("expect_codes", ())) - codes
        unwanted = set(record.get("forbid_codes", ())) & codes
        assert not missing, f"{path.name}: expected {sorted(missing)}, got {sorted(codes)}"
        assert not unwanted, f"{path.name}: must not report {sorted(unwanted)}"
