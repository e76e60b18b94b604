"""What a configuration asks of the rule catalogue: the rules it selects and their severities.

:mod:`validator.config` keeps rule selectors as the file writes them; they are
checked here, against the catalogue, where the configuration is applied. The
command line and the service check a configuration as soon as they have it
(:func:`check_selectors`), before any link is read; :func:`selected_rules`
checks it too, so a configuration built or loaded through the Python API
fails with the same :class:`~validator.config.ConfigError`, naming the file
and the key, before any link is judged.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from validator.config import Config, ConfigError
from validator.model import Severity
from validator.rules.base import BatchRule, Rule
from validator.rules.registry import RULES, SelectorError, get_rule, resolve_selectors

#: The source named for a configuration that came from no file.
UNNAMED_SOURCE = "<config>"

_SELECTOR_KEYS = (("select", "select"), ("ignore", "ignore"), ("extend_select", "extend-select"))


def check_selectors(config: Config, source: str | None = None) -> None:
    """Raise :class:`~validator.config.ConfigError` for a selector that selects no rule.

    The error names ``source`` (default: the configuration's file) and the key
    as the file spells it; with ``source`` given (``"command-line options"``)
    the keys are named bare, as options are.
    """
    where = source or config.source or UNNAMED_SOURCE
    prefix = "" if source else config.key_prefix
    for attribute, key in _SELECTOR_KEYS:
        try:
            resolve_selectors(getattr(config, attribute))
        except SelectorError as error:
            raise ConfigError(where, prefix + key, str(error)) from None
    for glob, rules in config.per_file_ignores:
        try:
            resolve_selectors(rules)
        except SelectorError as error:
            raise ConfigError(where, f"{prefix}per-file-ignores.{glob}", str(error)) from None
    for selector, _ in config.severity_overrides:
        if get_rule(selector) is None:
            raise ConfigError(where, f"{prefix}severity.{selector}", "no such rule")


@lru_cache(maxsize=64)
def severity_overrides(config: Config) -> Mapping[str, Severity]:
    """The configured severity of each overridden rule, by code (a name counts as its code;
    where two entries name one rule, the first wins)."""
    check_selectors(config)
    overrides: dict[str, Severity] = {}
    for selector, severity in config.severity_overrides:
        rule = get_rule(selector)
        if rule is not None:
            overrides.setdefault(rule.code, severity)
    return overrides


def configured_severity(config: Config, code: str) -> Severity | None:
    """The severity ``config`` sets for rule ``code``, or None where it leaves the default."""
    return severity_overrides(config).get(code)


@lru_cache(maxsize=64)
def selected_rules(config: Config) -> tuple[tuple[Rule, ...], tuple[BatchRule, ...]]:
    """The per-link and the batch rules ``config`` enables, in code order."""
    check_selectors(config)
    selected = resolve_selectors(config.select) if config.select else resolve_selectors(["ALL"])
    codes = (selected | resolve_selectors(config.extend_select)) - resolve_selectors(config.ignore)
    per_link = tuple(rule for rule in RULES if rule.code in codes and not rule.batch)
    batch = tuple(
        rule for rule in RULES if rule.code in codes and isinstance(rule, BatchRule)
    )
    return per_link, batch
