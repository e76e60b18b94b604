"""``directlink snippet``: a server-side signer and link builder in the integrator's language."""

from __future__ import annotations

import click

from validator.cli.main import InputError, cli
from validator.signing_snippets import UnknownLanguage, snippet_text


@cli.command("snippet")
@click.argument("language", metavar="LANGUAGE")
def snippet_command(language: str) -> None:
    """Print a dependency-free signer for LANGUAGE: python, node, php, java, go, csharp or ruby.

    It signs sbs_mm = md5(md5(sbs + "_" + AppSecret) + "_" + ranstr) and builds
    the link with the values encoded as `directlink build` writes them. It runs
    on your server: the AppSecret comes from server-side configuration, never
    from the front end. Every snippet is tested against `directlink vectors`.
    """
    try:
        text = snippet_text(language)
    except UnknownLanguage as error:
        raise InputError(str(error)) from None
    click.echo(text, nl=False)

