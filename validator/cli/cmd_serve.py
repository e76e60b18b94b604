"""``directlink serve``: the HTTP API and the link inspector under uvicorn."""

from __future__ import annotations

import click

from validator.cli.main import InputError, cli
from validator.cli.output_options import quiet_option
from validator.secret_sources import DEFAULT_SECRET_ENV, SecretSourceError


@cli.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but loopback exposes the API (which signs links) "
    "and needs --allowed-host and an API token.",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    metavar="NAME",
    multiple=True,
    help="A Host name clients reach the server by (repeatable; * for any, where a proxy "
    "checks it). Loopback names are always allowed on loopback.",
)
@click.option(
    "--token-file",
    metavar="PATH",
    default=None,
    help="File holding the API token every /v1 request must carry as a bearer token "
    "(default: the DIRECTLINK_API_TOKEN environment variable, when set).",
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
@quiet_option
def serve_command(
    host: str,
    allowed_hosts: tuple[str, ...],
    token_file: str | None,
    port: int,
    secrets_file: str | None,
    config_file: str | None,
    log_level: str,
    quiet: bool,
) -> None:
    """Serve the HTTP API (/v1, /openapi.json) and the link inspector (/) until stopped."""
    try:
        import uvicorn

        from validator.service import ServiceSettings, create_app
        from validator.service.server import server_config
    except ImportError as error:
        raise InputError(
            f"the HTTP service needs the server extra ({error.name} is missing): "
            "pip install 'directlink-validator[server]'"
        ) from None
    from validator.config import ConfigError
    from validator.service.hosts import is_loopback
    from validator.service.settings import ExposureError

    try:
        settings = ServiceSettings.from_sources(
            secrets_file=secrets_file,
            config_file=config_file,
            allowed_hosts=frozenset(allowed_hosts) or None,
            bind_host=host,
            token_file=token_file,
        )
        # The Host guard and the token guard are the app's own (create_app installs them).
        app = create_app(settings)
    except (SecretSourceError, ConfigError, ExposureError) as error:
        raise InputError(str(error)) from None
    if not is_loopback(host):
        click.echo(
            f"warning: listening on {host}, not loopback: whoever reaches this address with "
            "the API token can check links and have them signed with the configured secrets",
            err=True,
        )
    # uvicorn's logging set-up keeps the filter create_app put on its loggers.
    config = server_config(app, host=host, port=port,
                           log_level="warning" if quiet and log_level == "info" else log_level)
    if not quiet:
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
