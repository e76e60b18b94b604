"""``directlink vectors``: the signature test vectors, for integrators' own test suites."""

from __future__ import annotations

import json

import click

from validator.cli.main import cli
from validator.signing_vectors import vectors


@cli.command("vectors")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "jsonl"]),
    default="json",
    show_default=True,
    help="json: the whole document; jsonl: one vector a line.",
)
def vectors_command(output_format: str) -> None:
    """Print the sbs_mm test vectors: valid signatures of values implementations get wrong,
    and invalid ones, each what a named mistake produces.

    Run them against your own signer in CI: every valid vector must reproduce
    sbs_mm, every invalid one must not (docs/signing-kit.md).
    """
    document = vectors()
    if output_format == "jsonl":
        for item in document["vectors"]:
            click.echo(json.dumps(item, ensure_ascii=False))
        return
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))
