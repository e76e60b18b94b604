"""The ASGI application: API routes, the inspector page, limits, errors and headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from validator.service.api_docs import add_api_docs
from validator.service.limits import BodySizeLimit
from validator.service.openapi import error_responses, precise_openapi
from validator.service.problems import install_problem_handlers
from validator.service.redaction import SERVICE_LOGGERS, Redactor, SecretMask, SecretMatcher
from validator.service.routes import router
from validator.service.security import HostGuard, SecurityHeaders, TokenGuard
from validator.service.settings import ServiceSettings
from validator.signature import Secret
from validator.version import __version__

STATIC_DIRECTORY = Path(__file__).with_name("static")

DESCRIPTION = """\
Check, explain, build and fix chat-page direct links over HTTP.

Reports have the same structure as `directlink check --format json`. Secrets
live only on the server (a secrets file keyed by app id, or
`DIRECTLINK_APP_SECRET` for every app); a request never carries one and no
answer ever contains one. Every error is an RFC 9457 `application/problem+json`
document. The API signs links for whoever can reach it: keep it on loopback
or behind authentication.
"""


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    """The service; without ``settings``, secrets and config come from the environment.

    The Host guard is always installed: the app answers only to loopback names
    and the allow-list of its settings, whoever launches it. Raises
    :class:`~validator.service.settings.ExposureError` for settings bound beyond
    loopback without an allow-list and an API token.
    """
    settings = settings if settings is not None else ServiceSettings.from_environment()
    settings.check_exposure()
    redactor = Redactor([*settings.keyring.known(), *_token(settings)])
    redactor.install(SERVICE_LOGGERS)
    app = FastAPI(
        title="directlink-validator",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        generate_unique_id_function=lambda route: route.name,
        openapi_tags=[
            {"name": "checks", "description": "Findings and what the page will do."},
            {"name": "signature", "description": "Signature checks against the server's secret."},
            {"name": "links", "description": "Build, fix and draw links."},
            {"name": "rules", "description": "The rule catalogue."},
            {"name": "service", "description": "Health and the inspector page."},
        ],
    )
    app.state.settings = settings
    matcher = SecretMatcher([*settings.keyring.known(), *_token(settings)])
    app.state.secret_matcher = matcher
    install_problem_handlers(app, redactor)
    app.include_router(router)
    _add_inspector(app)
    add_api_docs(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(SecretMask, matcher=matcher)
    if settings.api_token is not None:
        app.add_middleware(TokenGuard, token=settings.api_token)
    # Outermost: a request to a name this server does not answer to gets nothing else.
    app.add_middleware(HostGuard, policy=settings.host_policy())

    def openapi() -> dict[str, Any]:
        return precise_openapi(app, token_required=settings.api_token is not None)

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _token(settings: ServiceSettings) -> list[Secret]:
    return [settings.api_token] if settings.api_token is not None else []


def _add_inspector(app: FastAPI) -> None:
    page = (STATIC_DIRECTORY / "inspector.html").read_text(encoding="utf-8")

    @app.get(
        "/",
        tags=["service"],
        response_class=HTMLResponse,
        responses={
            200: {"description": "The link inspector page.", "content": {"text/html": {}}},
            **error_responses(),
        },
    )
    def inspector() -> HTMLResponse:
        """The link inspector: paste a link, see what the page will do and how to fix it."""
        return HTMLResponse(page)

    app.mount("/static", StaticFiles(directory=STATIC_DIRECTORY), name="static")
