"""Rule metadata for the formats that describe rules (SARIF ``tool.driver.rules``, HTML).

Read from the rule classes themselves, so the help text in a SARIF file is
the rule's own documentation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True, slots=True)
class RuleInfo:
    code: str
    name: str
    severity: str
    summary: str
    why: str = ""
    bad: str = ""
    good: str = ""
    fixable: bool = False
    family: str = ""


@cache
def rule_info(code: str, name: str = "", severity: str = "warning") -> RuleInfo:
    """The rule ``code`` as its class documents it; the finding's own name where unknown."""
    rule = _find_rule(code)
    if rule is None:
        return RuleInfo(code, name or code, severity, name.replace("-", " ") or code)
    return RuleInfo(
        code=code,
        name=str(getattr(rule, "name", name)),
        severity=str(getattr(rule, "severity", severity)),
        summary=str(getattr(rule, "summary", "")),
        why=str(getattr(rule, "why", "")),
        bad=str(getattr(rule, "bad", "")),
        good=str(getattr(rule, "good", "")),
        fixable=bool(getattr(rule, "fixable", False)),
        family=str(getattr(rule, "family", "")),
    )


def _find_rule(code: str) -> Any:
    # Imported when a format first describes a rule: the other formats never load the catalogue.
    from validator.rules import get_rule

    return get_rule(code)


def help_markdown(info: RuleInfo) -> str:
    parts = [f"**{info.code} {info.name}** ({info.severity}): {info.summary}"]
    if info.why:
        parts.append(info.why)
    if info.bad:
        parts.append(f"Bad: `{info.bad}`")
    if info.good:
        parts.append(f"Good: `{info.good}`")
    return "\n\n".join(parts)


def help_text(info: RuleInfo) -> str:
    parts = [f"{info.code} {info.name}: {info.summary}"]
    if info.why:
        parts.append(info.why)
    if info.bad:
        parts.append(f"Bad:  {info.bad}")
    if info.good:
        parts.append(f"Good: {info.good}")
    return "\n".join(parts)
