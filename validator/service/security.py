"""Response headers that keep the inspector page and the API's answers where they belong."""

from __future__ import annotations

import hmac

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from validator.service.hosts import HostPolicy
from validator.service.problems import problem_response
from validator.signature import Secret

#: Host names a loopback-bound server answers to (any spelling of them: see hosts.py).
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

#: The pages load nothing from anywhere but this server (images may also be data: URLs,
#: as Swagger UI's icons are), and nothing inline.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


class SecurityHeaders:
    """Adds no-sniff, no-referrer, no-store (answers hold customer data) and the CSP."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("Cache-Control", "no-store")
                headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HostGuard:
    """Answers only requests whose ``Host`` the :class:`HostPolicy` allows (see hosts.py).

    A request without a Host header is refused too: nothing says where it was sent.
    """

    def __init__(self, app: ASGIApp, policy: HostPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = Headers(scope=scope).get("host")
            if not self.policy.allows(host):
                response = problem_response(
                    Request(scope),
                    400,
                    f"this server answers only to {self.policy.describe()} "
                    "(a guard against DNS rebinding)",
                    title="Unexpected Host header",
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class TokenGuard:
    """Every ``/v1`` request carries ``Authorization: Bearer <token>`` (compared in constant time).

    Required where the server listens beyond loopback: the API signs links.
    """

    def __init__(self, app: ASGIApp, token: Secret) -> None:
        self.app = app
        self.expected = token.reveal().encode("utf-8")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope.get("path", "")).startswith("/v1/"):
            given = Headers(scope=scope).get("authorization", "")
            scheme, _, token = given.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(
                token.strip().encode("utf-8", "surrogateescape"), self.expected
            ):
                response = problem_response(
                    Request(scope),
                    401,
                    "this server needs Authorization: Bearer <the API token>",
                    title="API token required",
                    headers={"WWW-Authenticate": "Bearer"},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
