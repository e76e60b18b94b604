"""The OpenAPI document, made precise: every error response is problem+json.

FastAPI describes its validation errors with its own ``HTTPValidationError``
body; the API answers RFC 9457 problems instead, for every 4xx and 5xx, and
the document says so.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from validator.service.problems import PROBLEM_MEDIA_TYPE, Problem

_FASTAPI_ERROR_SCHEMAS = ("HTTPValidationError", "ValidationError")

#: Descriptions of the error statuses the API documents.
ERROR_DESCRIPTIONS: dict[int, str] = {
    404: "Not found.",
    413: "The request body is over the size limit (1 MiB by default).",
    415: "The body is not sent as `application/json`.",
    422: "The body is malformed JSON, has the wrong types, too many links, or a secret-like field.",
    500: "A bug in the service (logged without secrets); never an answer to bad input.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries for the given error statuses (500 is always added)."""
    return {status: {"description": ERROR_DESCRIPTIONS[status]} for status in (*statuses, 500)}


def precise_openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    components = document.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPI_ERROR_SCHEMAS:
        components.pop(name, None)
    problem_schema = Problem.model_json_schema(
        ref_template="#/components/schemas/{model}", by_alias=True, mode="serialization"
    )
    for name, definition in problem_schema.pop("$defs", {}).items():
        components[name] = definition
    components["Problem"] = problem_schema
    problem_content = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            for status, response in operation.get("responses", {}).items():
                if status[0] in "45":
                    response["content"] = problem_content
                    response["description"] = ERROR_DESCRIPTIONS.get(
                        int(status), response.get("description", "")
                    )
    app.openapi_schema = document
    return document
