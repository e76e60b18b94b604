"""``directlink fix``: print each link with its fixes applied."""

from __future__ import annotations

import click

from validator.cli.config_options import build_config, rule_options
from validator.cli.main import EXIT_CLEAN, cli
from validator.cli.options import load_secrets, read_links, secret_options
from validator.cli.output_options import quiet_option
from validator.fix import fix_link
from validator.parse import parse
from validator.redact import Redactor
from validator.report.terminal import terminal_text


@cli.command("fix")
@click.argument("urls", nargs=-1)
@click.option("--unsafe-fixes", is_flag=True, default=False,
              help="Also apply fixes that change what the page does (add direct=1, "
              "choose between conflicting chat ids ...).")
@click.option("--show-fixes", is_flag=True, default=False,
              help="List the fixes applied to each link on stderr.")
@quiet_option
@rule_options
@secret_options()
def fix_command(
    urls: tuple[str, ...],
    unsafe_fixes: bool,
    show_fixes: bool,
    quiet: bool,
    config_path: str | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    context: str | None,
    secret_env: str | None,
    secret_file: str | None,
    secret_prompt: bool,
    secrets_file: str | None,
) -> None:
    """Print each URL (or - for one link a line on stdin) with its fixes applied.

    Safe fixes only by default: canonical lang, exact duplicates and empty
    pairs dropped, raw characters percent-encoded, sbs_mm re-signed when the
    secret is known. One fixed link a line, in input order.
    """
    config = build_config(config_path, select, extend_select, ignore, context)
    keyring = load_secrets(secret_env, secret_file, secret_prompt, secrets_file)
    redactor = Redactor(keyring)
    for source, text in read_links(urls):
        result = fix_link(text, keyring=keyring, unsafe=unsafe_fixes, config=config)
        # Masked by the spans of the input and of the fixed link that reveal a secret.
        shown = redactor.text(result.fixed, parse(result.fixed))
        shown = redactor.text(shown, parse(text))
        if shown != result.fixed and not quiet:
            click.echo(f"{source}: the link holds the AppSecret (DL309); masked", err=True)
        click.echo(terminal_text(shown))
        if show_fixes and not quiet:
            for code, description in result.applied:
                click.echo(f"{source}: {code} {terminal_text(description)}", err=True)
    raise SystemExit(EXIT_CLEAN)
