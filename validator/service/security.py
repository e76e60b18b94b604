"""Response headers that keep the inspector page and the API's answers where they belong."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from validator.service.problems import problem_response

#: Host names a loopback-bound server answers to.
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
    """Answers only requests addressed to one of ``allowed`` host names.

    A loopback server still serves any web page the user opens, through DNS
    rebinding (a hostile name that resolves to 127.0.0.1): the browser would
    then let that page read answers, and have links signed. Checking the Host
    header closes that door.
    """

    def __init__(self, app: ASGIApp, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = frozenset(host.lower().strip("[]") for host in allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = _host_name(Headers(scope=scope).get("host", ""))
            if host not in self.allowed:
                response = problem_response(
                    Request(scope),
                    400,
                    "this server answers only to "
                    + ", ".join(sorted(self.allowed))
                    + " (a guard against DNS rebinding)",
                    title="Unexpected Host header",
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _host_name(header: str) -> str:
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header
