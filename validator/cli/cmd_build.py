"""``directlink build``: typed values to a canonical link."""

from __future__ import annotations

import click

from validator import spec
from validator.build import BuildError, build
from validator.cli.main import InputError, cli
from validator.cli.options import load_secrets, secret_options
from validator.cli.output_options import quiet_option
from validator.config import ConfigError
from validator.report.terminal import terminal_text
from validator.report.wording import plural
from validator.signature import Secret


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
@click.option("--force", is_flag=True, default=False,
              help="Print the link even when its own check finds an error.")
@quiet_option
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
    force: bool,
    quiet: bool,
) -> None:
    """Print a canonical direct link; with --sbs and a secret, a signed one.

    The link is checked as `check` would: each warning is named on stderr, and
    an error refuses the link (exit status 2) unless --force.
    """
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
    # An unsigned sbs is what --unsigned asks for: DL301 is then a warning, not a refusal.
    _judge(link, secret, force=force, quiet=quiet, expected={"DL301"} if unsigned else set())
    if qr_file is not None:
        from validator.qr import QrError, write_qr

        try:
            write_qr(link, qr_file)
        except QrError as error:
            raise InputError(str(error)) from None
    click.echo(link)


def _judge(
    link: str, secret: Secret | None, *, force: bool, quiet: bool, expected: set[str]
) -> None:
    """The built link's own findings: warnings on stderr, an error refuses it."""
    from validator.check import check
    from validator.config import load_config
    from validator.rules.selection import check_selectors

    try:
        config = load_config()
        check_selectors(config)
    except ConfigError as error:
        raise InputError(str(error)) from None
    report = check(link, secret=secret, config=config)
    errors = [finding for finding in report.findings
              if finding.severity == "error" and finding.code not in expected]
    for finding in report.findings:
        severity = "warning" if finding.code in expected else finding.severity
        if severity == "info" or (quiet and severity != "error"):
            continue
        click.echo(f"{severity}: {finding.code} {finding.name}: "
                   f"{terminal_text(finding.message)}", err=True)
    if errors and not force:
        codes = ", ".join(sorted({finding.code for finding in errors}))
        raise InputError(f"the link draws {plural(len(errors), 'error')} ({codes}): fix the "
                         "values, or --force to print it anyway")
