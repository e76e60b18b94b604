"""``directlink check``: decode links and report what is wrong with them."""

from __future__ import annotations

import json

import click

from validator.cli.main import EXIT_CLEAN, EXIT_FINDINGS, cli
from validator.cli.options import read_links
from validator.model import DirectLink
from validator.parse import parse
from validator.serialize import link_to_dict


@cli.command("check")
@click.argument("urls", nargs=-1)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text")
def check_command(urls: tuple[str, ...], output_format: str) -> None:
    """Decode URL... (or - for one link a line on stdin) as the browser will."""
    links = [(source, parse(text)) for source, text in read_links(urls)]
    if output_format == "json":
        click.echo(json.dumps([link_to_dict(link) for _, link in links], ensure_ascii=False, indent=2))
    else:
        for source, link in links:
            click.echo(_describe(source, link))
    failed = any(not link.is_url or not link.is_direct_path for _, link in links)
    raise SystemExit(EXIT_FINDINGS if failed else EXIT_CLEAN)


def _describe(source: str, link: DirectLink) -> str:
    lines = [f"{source}: {link.text}"]
    if not link.is_url:
        lines.append(f"  not a URL: {link.error}")
    else:
        lines.append(f"  host {link.host}" + (f" port {link.port}" if link.port else ""))
        if link.app_id is None:
            lines.append(f"  path {link.path} is not <base>/direct/<app_id>")
        else:
            lines.append(f"  app id {link.app_id!r}, base path {link.base_path or '/'}")
    for param in link.params:
        lines.append(f"  {param.name} = {param.value!r}    (raw {param.raw!r})")
    return "\n".join(lines)
