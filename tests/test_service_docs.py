"""``/docs``: Swagger UI from the installed package, under the service's own policy."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("swagger_ui_bundle", reason="swagger-ui-bundle is not installed (server extra)")

from fastapi.testclient import TestClient

from validator.service import (
    ServiceSettings,
    api_docs,
    create_app,
)
from validator.service.api_docs import as_openapi_30

SETTINGS = ServiceSettings()


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(
        create_app(SETTINGS), raise_server_exceptions=False, base_url="http://127.0.0.1"
    ) as test_client:
        yield test_client


def test_docs_page_loads_its_assets_from_this_server(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page = response.text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "no CDN"
    assert "<script>" not in page and "style=" not in page, "no inline code"
    assets = re.findall(r"""(?:src|href)="(/[^"]+)\"""", page)
    assert "/docs/assets/swagger-ui-bundle.js" in assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    start = client.get("/static/docs.js").text
    assert "validatorUrl: null" in start, "the badge would send the document to a public service"


def test_docs_read_the_same_document_in_openapi_30(client: TestClient) -> None:
    original = client.get("/openapi.json").json()
    converted = client.get("/docs/openapi.json").json()
    assert original["openapi"].startswith("3.1") and converted["openapi"] == "3.0.3"
    assert converted["paths"].keys() == original["paths"].keys()
    text = json.dumps(converted)
    assert '{"type": "null"}' not in text and '"const"' not in text
    assert "/docs" not in original["paths"], "the documentation is not an API operation"


def test_null_alternatives_become_nullable() -> None:
    document = {"openapi": "3.1.0", "components": {"schemas": {"A": {"properties": {
        "name": {"anyOf": [{"type": "string", "maxLength": 9}, {"type": "null"}], "title": "N"},
        "kind": {"const": "x"},
        "both": {"type": ["integer", "null"], "exclusiveMinimum": 0},
        "many": {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]},
        "type": {"type": "string", "examples": ["about:blank"]},
    }}}}}
    properties = as_openapi_30(document)["components"]["schemas"]["A"]["properties"]
    assert properties["name"] == {"type": "string", "maxLength": 9, "title": "N",
                                  "nullable": True}
    assert properties["kind"] == {"enum": ["x"]}
    assert properties["both"] == {"type": "integer", "nullable": True, "minimum": 0,
                                  "exclusiveMinimum": True}
    assert properties["many"] == {"anyOf": [{"type": "string"}, {"type": "integer"}],
                                  "nullable": True}
    assert properties["type"] == {"type": "string", "example": "about:blank"}


def test_without_the_package_docs_say_what_to_install(monkeypatch: Any) -> None:
    monkeypatch.setattr(api_docs, "swagger_ui_directory", lambda: None)
    with TestClient(create_app(SETTINGS), base_url="http://127.0.0.1") as bare:
        response = bare.get("/docs")
    assert response.status_code == 503
    assert "swagger-ui-bundle" in response.json()["detail"]
