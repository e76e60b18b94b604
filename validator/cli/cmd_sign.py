"""``directlink sign``: print the ``sbs_mm`` for an ``sbs`` and ``ranstr``."""

from __future__ import annotations

import click

from validator.cli.main import InputError, cli
from validator.cli.options import load_secrets, secret_options, utf8_text
from validator.signature import sign


@cli.command("sign")
@click.option("--sbs", required=True, callback=utf8_text,
              help="Customer identifier, as the page decodes it.")
@click.option("--ranstr", required=True, callback=utf8_text,
              help="Random string, as the page decodes it.")
@secret_options(per_app=False)
def sign_command(
    sbs: str, ranstr: str, secret_env: str | None, secret_file: str | None, secret_prompt: bool
) -> None:
    """Print sbs_mm = md5(md5(sbs + "_" + AppSecret) + "_" + ranstr)."""
    secret = load_secrets(secret_env, secret_file, secret_prompt).default
    if secret is None:
        raise InputError("no secret: use --secret-env, --secret-file or --secret-prompt")
    click.echo(sign(sbs, ranstr, secret))
