"""The request body limit, enforced while the body streams in.

A declared ``Content-Length`` over the limit is refused before a byte of the
body is read; a body sent without one (chunked) is counted chunk by chunk and
refused as soon as it passes the limit, so a client can never make the server
buffer more than the limit.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from validator import spec
from validator.service.problems import BODY_TOO_LARGE, ApiProblem, problem_response

DEFAULT_MAX_BODY_BYTES = spec.MAX_REQUEST_BODY_BYTES


def body_too_large(limit: int) -> ApiProblem:
    return ApiProblem(
        413,
        f"the request body is over the limit of {limit} bytes",
        type_=BODY_TOO_LARGE,
        title="Request body too large",
        headers={"Connection": "close"},
    )


class BodySizeLimit:
    """ASGI middleware answering 413 problem+json for bodies over ``max_bytes``.

    Starlette's own limiter answers in plain text and only exists in recent
    releases; this one answers in the API's problem format.
    """

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            problem = body_too_large(self.max_bytes)
            response = problem_response(
                Request(scope),
                problem.status_code,
                str(problem.detail),
                type_=problem.type,
                title=problem.title,
                headers=problem.headers,
            )
            await response(scope, receive, send)
            return
        received = 0
        limit = self.max_bytes

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # An HTTPException: FastAPI re-raises it from body parsing
                    # and the problem handler answers it.
                    raise body_too_large(limit)
            return message

        await self.app(scope, receive_within_limit, send)


def _declared_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None
