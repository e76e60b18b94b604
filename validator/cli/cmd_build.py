"""``directlink build``: typed values to a canonical link."""

from __future__ import annotations

import click

from validator import spec
from validator.build import BuildError, build
from validator.cli.main import InputError, cli
from validator.cli.options import load_secrets, secret_options


@cli.command("build")
@click.option("--qr", "qr_file", type=click.Path(dir_okay=False), default=None,
              help="Also write the link as a QR code to FILE (.png or .svg).")
@click.option("--app-id", required=True, help="The app id (the path segment after /direct/).")
@click.option(
    "--base", default=spec.DEFAULT_BASE, show_default=True, help="Scheme, host and base path."
)
@click.option("--chat-id", default=None, help="Open this chat session directly (adds direct=1).")
@click.option("--lang", default=None, help="Page language code.")
@click.option("--sbs", default=None, help="Customer identifier; signed when a secret is given.")
@click.option(
    "--ranstr", default=None, help="Random string for the signature (generated when omitted)."
)
@click.option("--name", default=None)
@click.option("--nickname", default=None)
@click.option("--email", default=None)
@click.option("--phone", default=None)
@click.option("--theme", type=click.Choice(sorted(spec.THEMES)), default=None)
@click.option(
    "--is-app", is_flag=True, default=False, help="Mark the link as opened inside an app."
)
@secret_options(per_app=False)
@click.option(
    "--unsigned", is_flag=True, default=False, help="Do not sign sbs even if a secret is set."
)
def build_command(
    qr_file: str | None,
    app_id: str,
    base: str,
    chat_id: str | None,
    lang: str | None,
    sbs: str | None,
    ranstr: str | None,
    name: str | None,
    nickname: str | None,
    email: str | None,
    phone: str | None,
    theme: str | None,
    is_app: bool,
    secret_env: str | None,
    secret_file: str | None,
    secret_prompt: bool,
    unsigned: bool,
) -> None:
    """Print a canonical direct link; with --sbs and a secret, a signed one."""
    secrets = load_secrets(secret_env, secret_file, secret_prompt)
    secret = secrets.default if sbs is not None and not unsigned else None
    if sbs is not None and secret is None and not unsigned:
        raise InputError(
            "--sbs needs a secret to sign it (--secret-env, --secret-file, --secret-prompt) "
            "or --unsigned"
        )
    try:
        link = build(
            app_id,
            base=base,
            chat_id=chat_id,
            lang=lang,
            sbs=sbs,
            ranstr=ranstr,
            name=name,
            nickname=nickname,
            email=email,
            phone=phone,
            theme=theme,
            is_app=is_app,
            secret=secret,
        )
    except BuildError as error:
        raise InputError(str(error)) from None
    if qr_file is not None:
        from validator.qr import QrError, write_qr

        try:
            write_qr(link, qr_file)
        except QrError as error:
            raise InputError(str(error)) from None
    click.echo(link)
