"""Schemathesis against the service in-process, from the service's own OpenAPI document.

Every built-in check runs (server errors, status code / content type / header /
response schema conformance, negative data rejection, positive data
acceptance, unsupported methods ...), in positive and negative generation
modes, with a bounded number of examples per operation so the suite stays fast.
``fuzz/schemathesis_long.py`` runs the same much longer.
"""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402

from validator.service import ServiceSettings, create_app  # noqa: E402
from validator.signature import Secret  # noqa: E402

#: Examples per operation and generation mode; the long fuzz script raises it.
EXAMPLES = 25

app = create_app(
    ServiceSettings(
        default_secret=Secret("default-secret-for-schemathesis"),
        secrets_by_app={"demo_app": Secret("s3cr3t/+ é&")},
    )
)
#: A body over the size limit is refused with 413 before it is validated: that
#: is a rejection of invalid data too.
REJECTION_STATUSES = ["400", "404", "405", "406", "413", "415", "422"]

config = schemathesis.Config.from_dict(
    {"checks": {"negative_data_rejection": {"expected-statuses": REJECTION_STATUSES}}}
)
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
schema.config.generation.update(
    modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE],
    max_examples=EXAMPLES,
    deterministic=True,
)


def test_both_generation_modes_are_on() -> None:
    modes = set(schema.config.generation.modes)
    assert modes == {schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case) -> None:
    case.call_and_validate()
