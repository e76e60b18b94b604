"""RFC 9457 problem details: every error the API answers is ``application/problem+json``.

FastAPI's own error bodies echo the request input back (``"input": ...``),
which could hand a pasted secret or customer data to a log or a proxy; the
handlers here describe what is wrong without quoting values.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from validator.service.redaction import Redactor

PROBLEM_MEDIA_TYPE = "application/problem+json"

#: Problem types of this API; plain HTTP errors use ``about:blank`` (RFC 9457, 4.2.1).
INVALID_REQUEST = "urn:directlink:problem:invalid-request"
SECRET_IN_REQUEST = "urn:directlink:problem:secret-in-request"
SECRET_IN_LINK = "urn:directlink:problem:secret-in-link"
TOO_MANY_LINKS = "urn:directlink:problem:too-many-links"
BODY_TOO_LARGE = "urn:directlink:problem:body-too-large"
UNSUPPORTED_MEDIA_TYPE = "urn:directlink:problem:unsupported-media-type"
UNKNOWN_RULE = "urn:directlink:problem:unknown-rule"
CANNOT_BUILD = "urn:directlink:problem:cannot-build"
TOO_LONG_FOR_QR = "urn:directlink:problem:too-long-for-qr"
INTERNAL_ERROR = "urn:directlink:problem:internal-error"

#: How the request models begin the reason for refusing a secret-like field.
SECRET_FIELD_REASON = "secrets are never sent to the API"

logger = logging.getLogger("validator.service")


class InvalidParam(BaseModel):
    """One invalid part of the request: where it is and what is wrong (never its value)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="Dotted location, e.g. `body.links` or `path.rule`.")
    reason: str = Field(description="What is wrong with it.")


class Problem(BaseModel):
    """An RFC 9457 problem details object."""

    model_config = ConfigDict(extra="forbid")

    type: str = Field(
        description="A URI naming the kind of problem; `about:blank` for plain HTTP errors."
    )
    title: str = Field(description="Short summary of the kind of problem.")
    status: int = Field(ge=400, le=599, description="The HTTP status code.")
    detail: str = Field(description="What went wrong with this request, in one line.")
    instance: str | None = Field(default=None, description="The request path.")
    invalid_params: list[InvalidParam] | None = Field(
        default=None, alias="invalid-params", description="Each invalid part of the request."
    )


class ApiProblem(StarletteHTTPException):
    """Raise to answer a problem of a specific type."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        type_: str = "about:blank",
        title: str | None = None,
        invalid_params: Sequence[InvalidParam] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(status_code=status, detail=detail, headers=dict(headers or {}) or None)
        self.type = type_
        self.title = title or HTTPStatus(status).phrase
        self.invalid_params = list(invalid_params)


def problem_response(
    request: Request,
    status: int,
    detail: str,
    *,
    type_: str = "about:blank",
    title: str | None = None,
    invalid_params: Sequence[InvalidParam] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    problem = Problem(
        type=type_,
        title=title or HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.url.path,
        **({"invalid-params": list(invalid_params)} if invalid_params else {}),
    )
    return JSONResponse(
        problem.model_dump(by_alias=True, exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=dict(headers or {}) or None,
    )


def _location(loc: Sequence[int | str]) -> str:
    return ".".join(str(part) for part in loc) or "body"


def _reason(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    message = str(error.get("msg", "invalid"))
    if kind == "json_invalid":
        context = error.get("ctx") or {}
        return f"the body is not valid JSON ({context.get('error', 'decode error')})"
    if kind == "missing":
        return "required"
    if kind == "extra_forbidden":
        return "not a field of this request"
    if message.startswith("Value error, "):
        return message.removeprefix("Value error, ")
    return message


def _invalid_param(error: Mapping[str, Any]) -> InvalidParam:
    loc = tuple(error.get("loc", ()))
    if error.get("type") == "json_invalid":
        # FastAPI puts the character offset where a field name would go.
        at = f" at character {loc[1]}" if len(loc) > 1 else ""
        return InvalidParam(name="body", reason=_reason(error) + at)
    return InvalidParam(name=_location(loc), reason=_reason(error))


def validation_problem(request: Request, errors: Sequence[Mapping[str, Any]]) -> JSONResponse:
    """A 422 naming each invalid part of the request, never its value."""
    params = [_invalid_param(e) for e in errors]
    type_ = INVALID_REQUEST
    title = "The request is not valid"
    if any(p.reason.startswith(SECRET_FIELD_REASON) for p in params):
        type_, title = SECRET_IN_REQUEST, "Secrets are never sent to the API"
    elif any(
        str(e.get("type")) == "too_long" and _location(e.get("loc", ())) == "body.links"
        for e in errors
    ):
        type_, title = TOO_MANY_LINKS, "Too many links in one request"
    if len(params) == 1:
        detail = f"{params[0].name}: {params[0].reason}"
    else:
        detail = f"{len(params)} problems in the request; see invalid-params"
    return problem_response(request, 422, detail, type_=type_, title=title, invalid_params=params)


def install_problem_handlers(app: FastAPI, redactor: Redactor) -> None:
    """Answer every error as problem+json; log genuine bugs without secrets."""

    async def on_http_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        if isinstance(error, ApiProblem):
            return problem_response(
                request,
                error.status_code,
                str(error.detail),
                type_=error.type,
                title=error.title,
                invalid_params=error.invalid_params,
                headers=error.headers,
            )
        if error.status_code == 400 and isinstance(error.__cause__, RecursionError | ValueError) \
                and not isinstance(error.__cause__, UnicodeDecodeError):
            # The JSON decoder gave up: nested past the interpreter's recursion
            # limit, or an integer of more digits than Python converts.
            reason = (
                "nested too deep to read"
                if isinstance(error.__cause__, RecursionError)
                else "holds a number of too many digits to read"
            )
            return validation_problem(
                request, [{"type": "json_invalid", "loc": ("body",), "ctx": {"error": reason}}]
            )
        if error.status_code == 400 and isinstance(error.__cause__, UnicodeDecodeError):
            # FastAPI answers 400 for a body that is not UTF-8; to the API that
            # is malformed JSON like any other (RFC 8259 requires UTF-8).
            return validation_problem(
                request, [{"type": "json_invalid", "loc": ("body",), "ctx": {"error": "not UTF-8"}}]
            )
        detail = str(error.detail) if error.detail else HTTPStatus(error.status_code).phrase
        if error.status_code == 404:
            detail = f"no such resource: {request.url.path}"
        elif error.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}"
        return problem_response(request, error.status_code, detail, headers=error.headers)

    async def on_validation_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        return validation_problem(request, list(error.errors()))

    async def on_unexpected_error(request: Request, error: Exception) -> JSONResponse:
        # A bug, not a bad request: log where it happened, with every known
        # secret (and its encodings) masked out of the message and traceback.
        logger.error(
            "internal error in %s %s: %s",
            request.method,
            request.url.path,
            redactor.describe_exception(error),
        )
        return problem_response(
            request,
            500,
            "the server hit an internal error; it has been logged",
            type_=INTERNAL_ERROR,
            title="Internal error",
        )

    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_unexpected_error)
