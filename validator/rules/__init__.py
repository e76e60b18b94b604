"""The rule catalogue DL001..DL603: one self-documenting class per rule.

``RULES`` lists every rule by code; ``get_rule`` finds one by code or name;
``resolve_selectors`` turns ``select``/``ignore`` lists into codes.
"""

from __future__ import annotations

from validator.rules.base import BatchRule, LinkContext, Rule
from validator.rules.registry import ALL, RULES, SelectorError, get_rule, resolve_selectors

__all__ = [
    "ALL",
    "RULES",
    "BatchRule",
    "LinkContext",
    "Rule",
    "SelectorError",
    "get_rule",
    "resolve_selectors",
]
