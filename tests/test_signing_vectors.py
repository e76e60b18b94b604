"""The signature test vectors: right by two independent computations, stable, and diagnosed."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import validator
from validator import build, sign
from validator.cli import cli
from validator.mistakes import HYPOTHESIS_IDS
from validator.signing_vectors import vectors

PUBLISHED = Path(__file__).parents[1] / "docs" / "signing-vectors.json"
DOCUMENT = vectors()
VECTORS: list[dict[str, Any]] = DOCUMENT["vectors"]
VALID = [v for v in VECTORS if v["valid"]]
INVALID = [v for v in VECTORS if not v["valid"]]


def reference(sbs: str, ranstr: str, secret: str) -> str:
    inner = hashlib.md5(f"{sbs}_{secret}".encode()).hexdigest()
    return hashlib.md5(f"{inner}_{ranstr}".encode()).hexdigest()


def test_the_document_has_the_promised_shape() -> None:
    assert DOCUMENT["algorithm"] == "sbs_mm = md5(md5(sbs + '_' + AppSecret) + '_' + ranstr)"
    assert DOCUMENT["number_of_vectors"] == len(VECTORS) >= 40
    keys = {"id", "comment", "sbs", "ranstr", "secret", "sbs_mm", "valid"}
    for vector in VALID:
        assert set(vector) == keys
    for vector in INVALID:
        assert set(vector) == keys | {"mistake"}
    ids = [v["id"] for v in VECTORS]
    assert len(set(ids)) == len(ids)


def test_the_vectors_cover_the_values_implementations_get_wrong() -> None:
    sbs_values = [v["sbs"] for v in VALID]
    for character in (" ", "+", "&", "=", "%", "\n"):
        assert any(character in s for s in sbs_values), character
    nfc = [s for s in sbs_values if not s.isascii() and unicodedata.is_normalized("NFC", s)]
    nfd = [s for s in sbs_values if not unicodedata.is_normalized("NFC", s)]
    assert nfc and nfd
    assert any(ord(c) > 0xFFFF for s in sbs_values for c in s)  # emoji
    assert "" in sbs_values and "" in [v["ranstr"] for v in VALID]
    assert max(len(s) for s in sbs_values) >= 1000
    assert any(not v["secret"].isascii() for v in VALID)


def test_valid_vectors_agree_with_sign_and_an_independent_reference() -> None:
    for vector in VALID:
        args = (vector["sbs"], vector["ranstr"], vector["secret"])
        assert vector["sbs_mm"] == sign(*args) == reference(*args), vector["id"]


def test_invalid_vectors_name_every_mistake_and_differ_from_the_signature() -> None:
    assert {v["mistake"] for v in INVALID} == set(HYPOTHESIS_IDS)
    for vector in INVALID:
        right = reference(vector["sbs"], vector["ranstr"], vector["secret"])
        assert vector["sbs_mm"] != right, vector["id"]
        assert vector["sbs_mm"] != sign(vector["sbs"], vector["ranstr"], vector["secret"])
        assert vector["mistake"] in vector["id"]


@pytest.mark.parametrize("vector", INVALID, ids=[v["id"] for v in INVALID])
def test_explain_names_the_mistake_of_every_invalid_vector(vector: dict[str, Any]) -> None:
    link = build("demo_app", chat_id="s-1", sbs=vector["sbs"], ranstr=vector["ranstr"],
                 sbs_mm=vector["sbs_mm"])
    if vector["mistake"] == "plus-kept-literal":
        link = link.replace("%20", "+")  # the link as a form encoder wrote it: '+' for space
    candidates = {"staging": "staging-secret-77e0b2"}
    batch = [build("demo_app", chat_id="s-2", sbs="43", ranstr=vector["ranstr"],
                   sbs_mm="0" * 32)]
    diagnosis = validator.explain(link, secret=vector["secret"], candidates=candidates,
                                  batch=batch)
    assert not diagnosis.ok
    assert vector["mistake"] in diagnosis.matches, (vector["id"], diagnosis.matches)


def test_the_published_vectors_never_change_unnoticed() -> None:
    # Ids are stable and a published vector never changes: regenerate docs/signing-vectors.json
    # with `directlink vectors > docs/signing-vectors.json` only when ADDING vectors.
    published = json.loads(PUBLISHED.read_text(encoding="utf-8"))
    current = {v["id"]: v for v in VECTORS}
    for old in published["vectors"]:
        assert current.get(old["id"]) == old, f"vector {old['id']} changed or disappeared"
    assert published == DOCUMENT, "docs/signing-vectors.json is behind: regenerate it"


def test_vectors_command_prints_the_document() -> None:
    result = CliRunner().invoke(cli, ["vectors"])
    assert result.exit_code == 0
    assert json.loads(result.output) == DOCUMENT
    lines = CliRunner().invoke(cli, ["vectors", "--format", "jsonl"]).output.splitlines()
    assert [json.loads(line) for line in lines] == VECTORS


def test_vectors_is_public_api() -> None:
    assert validator.vectors() == DOCUMENT
