"""``directlink serve``: the HTTP API and the link inspector under uvicorn."""

from __future__ import annotations

import ipaddress

import click

from validator.cli.main import InputError, cli
from validator.secret_sources import DEFAULT_SECRET_ENV, SecretSourceError

LOOPBACK_HOST = "127.0.0.1"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@cli.command("serve")
@click.option(
    "--host",
    default=LOOPBACK_HOST,
    show_default=True,
    help="Address to listen on. Anything but loopback exposes the API (which signs links).",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--secrets-file",
    metavar="PATH",
    default=None,
    help=f"TOML or JSON file mapping app ids to AppSecrets; {DEFAULT_SECRET_ENV}, when set, "
    "is the secret of every other app.",
)
@click.option(
    "--config",
    "config_file",
    metavar="PATH",
    default=None,
    help="directlink.toml or pyproject.toml with [tool.directlink] (profile, rules, context).",
)
@click.option(
    "--log-level",
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
    default="info",
    show_default=True,
)
def serve_command(
    host: str, port: int, secrets_file: str | None, config_file: str | None, log_level: str
) -> None:
    """Serve the HTTP API (/v1, /openapi.json) and the link inspector (/) until stopped."""
    try:
        import uvicorn

        from validator.service import ServiceSettings, create_app
    except ImportError as error:
        raise InputError(
            f"the HTTP service needs the server extra ({error.name} is missing): "
            "pip install 'directlink-validator[server]'"
        ) from None
    from validator.config import ConfigError
    from validator.service.security import LOOPBACK_HOSTS

    # On loopback the server answers only to loopback names (no DNS rebinding);
    # bound elsewhere, the operator chose to be reachable under any name.
    allowed_hosts = LOOPBACK_HOSTS | {host.strip("[]").lower()} if is_loopback(host) else None
    try:
        settings = ServiceSettings.from_sources(
            secrets_file=secrets_file, config_file=config_file, allowed_hosts=allowed_hosts
        )
    except (SecretSourceError, ConfigError) as error:
        raise InputError(str(error)) from None
    if not is_loopback(host):
        click.echo(
            f"warning: listening on {host}, not loopback: whoever reaches this address can "
            "check links and have them signed with the configured secrets",
            err=True,
        )
    app = create_app(settings)
    # uvicorn's logging set-up keeps the filter create_app put on its loggers.
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        server_header=False,
        proxy_headers=False,
    )
    click.echo(
        f"directlink: serving the inspector on http://{_url_host(host)}:{port}/ "
        f"({len(settings.secrets_by_app)} app secrets"
        + (", a default secret" if settings.default_secret is not None else "")
        + ")",
        err=True,
    )
    uvicorn.Server(config).run()


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
