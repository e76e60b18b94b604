"""Tier two of the check engine: parse, resolve the page model, run the selected rules.

Every link the screen (:mod:`validator.engine.screen`) does not answer for
is checked here. The rules a configuration selects come from
:mod:`validator.rules.selection`; a :class:`RulePlan` looks up which of them
a link's signals call for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from validator import spec
from validator.config import Config
from validator.engine.lazy import LazyFinding
from validator.keyring import Keyring
from validator.model import DirectLink, Finding, Report, finding_order
from validator.parse import parse
from validator.resolve import read_as_sdk, resolve
from validator.rules import LinkContext, Rule
from validator.rules.selection import configured_severity, selected_rules
from validator.signature import Secret


class RulePlan:
    """Which rules to call for a link, looked up from its signals instead of testing each rule."""

    __slots__ = ("always", "by_signal", "rules")

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        self.rules = rules
        self.always = frozenset(i for i, rule in enumerate(rules) if rule.triggers is None)
        by_signal: dict[str, list[int]] = {}
        for index, rule in enumerate(rules):
            for signal in rule.triggers or ():
                by_signal.setdefault(signal, []).append(index)
        self.by_signal = {signal: tuple(indices) for signal, indices in by_signal.items()}

    def rules_for(self, signals: frozenset[str]) -> list[Rule]:
        """The rules that may fire on a link with ``signals``, in code order."""
        chosen = set(self.always)
        by_signal = self.by_signal
        for signal in signals:
            indices = by_signal.get(signal)
            if indices is not None:
                chosen.update(indices)
        rules = self.rules
        return [rules[index] for index in sorted(chosen)]


@lru_cache(maxsize=64)
def rule_plan(config: Config) -> RulePlan:
    return RulePlan(selected_rules(config)[0])


def link_context(
    url: str | DirectLink,
    keyring: Keyring,
    accept_language: str | Sequence[str] | None,
    config: Config,
) -> LinkContext:
    """What the rules see of one link: parsed, its app's secret chosen, its outcomes resolved."""
    link = url if isinstance(url, DirectLink) else parse(url)
    app_secret = keyring.for_app(link.app_id)
    sdk = read_as_sdk(link)
    outcomes = resolve(
        link,
        secret=app_secret,
        accept_language=accept_language,
        languages=config.languages,
        sdk=sdk,
    )
    return LinkContext(
        link=link,
        config=config,
        secret=app_secret,
        outcomes=outcomes,
        sdk=sdk,
        known_secrets=keyring.others(link.app_id),
    )


def finish_findings(config: Config, findings: list[Finding]) -> tuple[Finding, ...]:
    """A report's findings: the configured severities applied, in report order."""
    if config.severity_overrides:
        findings = [_override(config, finding) for finding in findings]
    findings.sort(key=finding_order)
    return tuple(findings)


def _override(config: Config, finding: Finding) -> Finding:
    severity = configured_severity(config, finding.code)
    if severity is None or severity == finding.severity:
        return finding
    if isinstance(finding, LazyFinding):
        return finding.with_severity(severity)
    return Finding(
        code=finding.code,
        name=finding.name,
        severity=severity,
        message=finding.message,
        span=finding.span,
        param=finding.param,
        fix=finding.fix,
        client=finding.client,
    )


def run_rules(context: LinkContext, plan: RulePlan, *, capped: bool = True) -> list[Finding]:
    """The findings of every rule of ``plan`` the link's signals call for."""
    findings: list[Finding] = []
    for rule in plan.rules_for(context.signals):
        found = rule.check(context)
        findings.extend(_capped(found) if capped else found)
    return findings


def _capped(found: Iterable[Finding]) -> list[Finding]:
    """At most :data:`~validator.spec.MAX_FINDINGS_PER_RULE` findings of one rule.

    The last one listed says how many more there are, so a link of 16,384
    ``&`` costs a hundred findings, not 16,384.
    """
    kept: list[Finding] = []
    more = 0
    for finding in found:
        if len(kept) < spec.MAX_FINDINGS_PER_RULE:
            kept.append(finding)
        else:
            more += 1
    if more:
        last = kept[-1]
        kept[-1] = Finding(
            code=last.code,
            name=last.name,
            severity=last.severity,
            message=f"{last.message} (and {more:,} more {last.code} in this link, not listed)",
            span=last.span,
            param=last.param,
            fix=last.fix,
            client=last.client,
        )
    return kept


def full_check(
    url: str | DirectLink,
    secret: Secret | None,
    secrets: Mapping[str, Secret],
    accept_language: str | Sequence[str] | None,
    config: Config,
    known_secrets: tuple[Secret, ...],
    *,
    capped: bool = True,
) -> Report:
    """Tier two: parse, resolve, and run every rule the link's signals call for.

    ``capped=False`` lists every finding (``fix`` needs each one).
    """
    keyring = Keyring.of(secret, secrets, known_secrets)
    context = link_context(url, keyring, accept_language, config)
    findings = finish_findings(config, run_rules(context, rule_plan(config), capped=capped))
    return Report(link=context.link, findings=findings, outcomes=context.outcomes)
