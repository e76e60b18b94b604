"""Options that pick the configuration and the rules: ``--config``, ``--select`` and the rest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from validator import spec
from validator.cli.main import InputError
from validator.config import Config, ConfigError, load_config

F = TypeVar("F", bound=Callable[..., Any])


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select DL1,DL2 --select DL3`` -> ``("DL1", "DL2", "DL3")``."""
    return tuple(item.strip() for value in values for item in value.split(",") if item.strip())


def rule_options(function: F) -> F:
    """Add ``--config``, ``--select``, ``--ignore``, ``--extend-select`` and ``--context``."""
    options = [
        click.option(
            "--config",
            "config_path",
            metavar="PATH",
            default=None,
            help="Configuration file (directlink.toml, or pyproject.toml with "
            "[tool.directlink]). Default: the nearest one from the working directory up.",
        ),
        click.option(
            "--select",
            multiple=True,
            metavar="RULES",
            help="Only these rules: codes, prefixes (DL3), names or families, comma-separated. "
            "Replaces the configured selection.",
        ),
        click.option(
            "--extend-select", multiple=True, metavar="RULES", help="Add rules to the selection."
        ),
        click.option("--ignore", multiple=True, metavar="RULES", help="Leave these rules out."),
        click.option(
            "--context",
            type=click.Choice(spec.CONTEXTS),
            default=None,
            help="Where the link is published (public, qr and email tighten DL313, DL403, "
            "DL509). Default: the configuration's, else private.",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def build_config(
    config_path: str | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    context: str | None,
) -> Config:
    """The configuration file's settings with the command-line options on top, every rule
    selector checked (the file's named as the file, the options' as options)."""
    from validator.rules.selection import check_selectors

    try:
        config = load_config(config_path)
        check_selectors(config)
        changes: dict[str, Any] = {}
        if select:
            changes["select"] = _split(select)
        if extend_select:
            changes["extend_select"] = config.extend_select + _split(extend_select)
        if ignore:
            changes["ignore"] = config.ignore + _split(ignore)
        if context:
            changes["context"] = context
        if not changes:
            return config
        config = config.replace(**changes)
        check_selectors(config, "command-line options")
        return config
    except ConfigError as error:
        raise InputError(str(error)) from None
