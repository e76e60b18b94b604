"""``/docs``: Swagger UI for the OpenAPI document, served from this server only.

The assets come from the installed ``swagger-ui-bundle`` package (the server
extra), so the page needs no CDN and runs under the same Content-Security-
Policy as the inspector: its start-up code is a file of ours, not an inline
script, and the spec validator badge (which would call a public service) is
off. Without the package, ``/docs`` answers a problem saying what to install.

The package ships Swagger UI 4, which reads OpenAPI 3.0 and refuses 3.1, the
version FastAPI writes. So the page reads ``/docs/openapi.json``: the same
document said in 3.0 (a ``null`` alternative becomes ``nullable``, ``const`` a
one-value ``enum``, ``examples`` one ``example``); ``/openapi.json`` stays the
contract.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from validator.service.problems import problem_response

STATIC_DIRECTORY = Path(__file__).with_name("static")
#: Where the Swagger UI files are served from.
ASSETS_PATH = "/docs/assets"


def swagger_ui_directory() -> Path | None:
    """The installed Swagger UI files, or None where ``swagger-ui-bundle`` is missing."""
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        return None
    directory = Path(str(swagger_ui_path))
    return directory if (directory / "swagger-ui-bundle.js").is_file() else None


def add_api_docs(app: FastAPI) -> None:
    directory = swagger_ui_directory()
    page = (STATIC_DIRECTORY / "docs.html").read_text(encoding="utf-8")

    @app.get("/docs/openapi.json", include_in_schema=False)
    def openapi_30() -> JSONResponse:
        return JSONResponse(as_openapi_30(app.openapi()))

    @app.get("/docs", include_in_schema=False, response_model=None)
    def docs(request: Request) -> Response:
        if directory is None:
            return problem_response(
                request, 503, "the API documentation needs swagger-ui-bundle: "
                "pip install 'directlink-validator[server]'", title="Documentation not installed",
            )
        return HTMLResponse(page)

    if directory is not None:
        app.mount(ASSETS_PATH, StaticFiles(directory=directory), name="swagger-ui")


_NULL = {"type": "null"}


def as_openapi_30(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` (OpenAPI 3.1) said in OpenAPI 3.0, for readers that know only 3.0."""
    converted: dict[str, Any] = _schema_30(document)
    converted["openapi"] = "3.0.3"
    return converted


def _schema_30(node: Any) -> Any:
    if isinstance(node, list):
        return [_schema_30(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _schema_30(value) for key, value in node.items()}
    for key in ("anyOf", "oneOf"):
        options = node.get(key)
        if isinstance(options, list) and _NULL in options:
            rest = [option for option in options if option != _NULL]
            del node[key]
            if len(rest) == 1 and isinstance(rest[0], dict):
                node = {**rest[0], **node}
            elif rest:
                node[key] = rest
            node["nullable"] = True
    types = node.get("type")
    if isinstance(types, list):
        if "null" in types:
            node["nullable"] = True
        kept = [kind for kind in types if kind != "null"]
        if len(kept) == 1:
            node["type"] = kept[0]
        else:
            del node["type"]
            node["anyOf"] = [{"type": kind} for kind in kept]
    if "const" in node and not isinstance(node["const"], dict):
        node["enum"] = [node.pop("const")]
    if isinstance(node.get("examples"), list):
        examples = node.pop("examples")
        if examples:
            node["example"] = examples[0]
    for bound, plain in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        value = node.get(bound)
        if isinstance(value, int | float) and not isinstance(value, bool):
            node[plain] = value
            node[bound] = True
    return node
