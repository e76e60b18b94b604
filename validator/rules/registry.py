"""The rule catalogue: every rule by code, lookup by code or name, and selectors."""

from __future__ import annotations

from validator.rules import batch, customer, direct, encoding, identity, language, sdk, structure
from validator.rules.base import Rule

#: Every rule, ordered by code.
RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            *structure.RULES,
            *direct.RULES,
            *language.RULES,
            *identity.RULES,
            *batch.RULES,
            *customer.RULES,
            *encoding.RULES,
            *sdk.RULES,
        ),
        key=lambda rule: rule.code,
    )
)

_BY_CODE = {rule.code: rule for rule in RULES}
_BY_NAME = {rule.name: rule for rule in RULES}

ALL = "ALL"


class SelectorError(ValueError):
    """A selector names no rule."""


def get_rule(code_or_name: str) -> Rule | None:
    """The rule with this code (any case) or kebab-case name, or None."""
    text = code_or_name.strip()
    return _BY_CODE.get(text.upper()) or _BY_NAME.get(text.lower())


def resolve_selectors(selectors: tuple[str, ...] | list[str]) -> frozenset[str]:
    """Codes a list of selectors picks: ``ALL``, codes, prefixes (``DL3``), names or families.

    Families: structure, direct, language, identity, customer, encoding, sdk.
    """
    codes: set[str] = set()
    for selector in selectors:
        text = selector.strip()
        if text.upper() == ALL:
            codes.update(_BY_CODE)
            continue
        rule = get_rule(text)
        if rule is not None:
            codes.add(rule.code)
            continue
        family = {r.code for r in RULES if r.family == text.lower()}
        if family:
            codes.update(family)
            continue
        prefix = text.upper()
        matched = {code for code in _BY_CODE if code.startswith(prefix)}
        if not prefix.startswith("DL") or not matched:
            raise SelectorError(
                f"{selector!r} selects no rule (a code, a prefix such as DL3, a name or a family)"
            )
        codes.update(matched)
    return frozenset(codes)
