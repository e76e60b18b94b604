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
    401: "The server needs `Authorization: Bearer <the API token>` and it is missing or wrong.",
    404: "Not found.",
    413: "The request body is over the size limit (1 MiB by default).",
    415: "The body is not sent as `application/json`.",
    422: "The body is malformed JSON, has the wrong types, too many links, or a secret-like field.",
    500: "A bug in the service (logged without secrets); never an answer to bad input.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries for the given error statuses (500 is always added)."""
    return {status: {"description": ERROR_DESCRIPTIONS[status]} for status in (*statuses, 500)}


#: The name of the API token's security scheme in the document.
TOKEN_SCHEME = "apiToken"


def precise_openapi(app: FastAPI, *, token_required: bool = False) -> dict[str, Any]:
    """The document; with ``token_required``, every ``/v1`` operation needs the bearer token.

    A server with an API token (see ``TokenGuard``) says so, as a security
    scheme and a 401 answer on each operation it guards, so generated clients
    and fuzzers send the header.
    """
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
    if token_required:
        document["components"]["securitySchemes"] = {TOKEN_SCHEME: {
            "type": "http", "scheme": "bearer",
            "description": "The server's API token (DIRECTLINK_API_TOKEN), sent on /v1 requests.",
        }}
    for route, path_item in document.get("paths", {}).items():
        for operation in path_item.values():
            if token_required and route.startswith("/v1/"):
                operation["security"] = [{TOKEN_SCHEME: []}]
                operation.setdefault("responses", {})["401"] = {}
            for status, response in operation.get("responses", {}).items():
                if status[0] in "45":
                    response["content"] = problem_content
                    response["description"] = ERROR_DESCRIPTIONS.get(
                        int(status), response.get("description", "")
                    )
    app.openapi_schema = document
    return document
