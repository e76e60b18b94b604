"""``directlink rules``: the rule catalogue, or one rule's documentation."""

from __future__ import annotations

import json

import click

from validator.cli.main import InputError, cli
from validator.rules import RULES, get_rule
from validator.rules.docs import fix_label, rule_text, rule_to_dict


@cli.command("rules")
@click.argument("rule", required=False)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def rules_command(rule: str | None, output_format: str) -> None:
    """List every rule, or print the documentation of RULE (a code such as DL101 or a name)."""
    if rule is not None:
        found = get_rule(rule)
        if found is None:
            raise InputError(f"no rule {rule!r}: run `directlink rules` for the list")
        if output_format == "json":
            click.echo(json.dumps(rule_to_dict(found), ensure_ascii=False, indent=2))
        else:
            click.echo(rule_text(found))
        return
    if output_format == "json":
        click.echo(json.dumps([rule_to_dict(r) for r in RULES], ensure_ascii=False, indent=2))
        return
    width = max(len(r.name) for r in RULES)
    for entry in RULES:
        click.echo(
            f"{entry.code}  {entry.name:<{width}}  {entry.severity:<7}  "
            f"{fix_label(entry):<6}  {entry.summary}"
        )
