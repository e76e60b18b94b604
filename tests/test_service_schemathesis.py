"""Schemathesis against the service in-process, from the service's own OpenAPI document.

Every built-in check runs (server errors; status code, content type, header
and response schema conformance; negative data rejection; positive data
acceptance; unsupported methods ...), once with schema-valid data (positive
mode) and once with schema-violating data (negative mode), with a bounded
number of examples per operation so the suite stays fast.
``fuzz/schemathesis_long.py`` runs the same checks much longer.
"""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import CHECKS, load_all_checks  # noqa: E402

from validator.service import ServiceSettings, create_app  # noqa: E402
from validator.signature import Secret  # noqa: E402

#: Examples per operation and mode; the long fuzz script raises it.
EXAMPLES = 20

#: A body over the size limit is refused with 413 before it is validated:
#: that is a rejection of invalid data too.
REJECTION_STATUSES = ["400", "404", "405", "406", "413", "415", "422"]

app = create_app(
    ServiceSettings(
        default_secret=Secret("default-secret-for-schemathesis"),
        secrets_by_app={"demo_app": Secret("s3cr3t/+ é&")},
        # schemathesis calls the app in-process as Host "testserver".
        allowed_hosts=frozenset({"testserver"}),
    )
)


def _schema(mode: schemathesis.GenerationMode) -> schemathesis.BaseSchema:
    config = schemathesis.Config.from_dict(
        {"checks": {"negative_data_rejection": {"expected-statuses": REJECTION_STATUSES}}}
    )
    loaded = schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    loaded.config.generation.update(modes=[mode], max_examples=EXAMPLES, deterministic=True)
    return loaded


positive = _schema(schemathesis.GenerationMode.POSITIVE)
negative = _schema(schemathesis.GenerationMode.NEGATIVE)


@pytest.mark.parametrize(
    ("schema", "mode"),
    [
        (positive, schemathesis.GenerationMode.POSITIVE),
        (negative, schemathesis.GenerationMode.NEGATIVE),
    ],
)
def test_each_run_has_its_mode_and_every_check(
    schema: schemathesis.BaseSchema, mode: schemathesis.GenerationMode
) -> None:
    assert schema.config.generation.modes == [mode]
    load_all_checks()
    checks = schema.config.checks_config_for(operation=None, phase=None)
    disabled = [n for n in CHECKS.get_all_names() if not checks.get_by_name(name=n).enabled]
    assert disabled == []


@positive.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_schema_valid_requests(case: schemathesis.Case) -> None:
    case.call_and_validate()


@negative.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_schema_violating_requests(case: schemathesis.Case) -> None:
    case.call_and_validate()
