"""Running checks, fixes and builds for the API with the server's secrets and configuration."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from validator.check import check, check_many
from validator.config import DEFAULT_CONFIG, Config, ConfigError
from validator.fix import fix_link
from validator.keyring import EMPTY, Keyring
from validator.model import Report
from validator.record import Summary
from validator.redact import Redactor
from validator.rules import Rule
from validator.rules.selection import configured_severity, selected_rules
from validator.serialize import report_to_dict
from validator.service.models import (
    AppliedFix,
    BatchSummary,
    CheckOptions,
    FixResponse,
    ReportBody,
    RuleDoc,
    RuleSummary,
)
from validator.service.problems import INVALID_REQUEST, ApiProblem
from validator.service.settings import ServiceSettings


def effective_config(settings: ServiceSettings, options: CheckOptions) -> Config:
    """The server's configuration with the request's options applied, as the CLI's flags are.

    ``select`` replaces the configured selection (and its ``extend-select``);
    ``ignore`` adds to the configured one.
    """
    base = settings.config or DEFAULT_CONFIG
    changes: dict[str, Any] = {}
    if options.context is not None:
        changes["context"] = options.context
    if options.select is not None:
        changes["select"] = tuple(options.select)
        changes["extend_select"] = ()
    if options.ignore:
        changes["ignore"] = (*base.ignore, *options.ignore)
    if not changes:
        return base
    try:
        return base.replace(**changes)
    except ConfigError as error:  # pragma: no cover - the models only let valid values through
        raise ApiProblem(422, error.problem, type_=INVALID_REQUEST) from None


def report_body(report: Report, *, redact_pii: bool = False,
                keyring: Keyring = EMPTY) -> ReportBody:
    """The answer for one report: the spans of the link that reveal one of ``keyring``'s
    secrets masked with ``*`` of their length (spans into the link stay right)."""
    redactor = Redactor(keyring, pii=redact_pii, same_length=True)
    return ReportBody.model_validate(redactor.report_dict(report_to_dict(report), report.link))


def check_one(settings: ServiceSettings, link: str, options: CheckOptions) -> Report:
    return check(
        link,
        keyring=settings.keyring,
        accept_language=options.accept_language,
        config=effective_config(settings, options),
    )


def check_batch(
    settings: ServiceSettings, links: Sequence[str], options: CheckOptions
) -> list[Report]:
    return check_many(
        links,
        keyring=settings.keyring,
        accept_language=options.accept_language,
        config=effective_config(settings, options),
    )


def summarize(reports: Sequence[Report]) -> BatchSummary:
    summary = Summary.of_reports(reports)
    return BatchSummary(
        links=summary.links,
        ok=summary.links - summary.links_with_errors,
        errors=summary.by_severity["error"],
        warnings=summary.by_severity["warning"],
        infos=summary.by_severity["info"],
    )


def fix_one(
    settings: ServiceSettings, link: str, options: CheckOptions, *, unsafe: bool
) -> FixResponse:
    config = effective_config(settings, options)
    before = check_one(settings, link, options)
    result = fix_link(
        link,
        keyring=settings.keyring,
        unsafe=unsafe,
        config=config,
    )
    after = check_one(settings, result.fixed, options)
    remaining = set(after.codes())
    fixed_codes = sorted({code for code in before.codes() if code not in remaining})
    redactor = Redactor(settings.keyring, same_length=True)
    return FixResponse(
        input=redactor.text(link, before.link),
        fixed=redactor.text(redactor.text(result.fixed, after.link), before.link),
        changed=result.changed,
        applied=[AppliedFix(code=code, description=text) for code, text in result.applied],
        fixed_codes=fixed_codes,
        report=report_body(after, redact_pii=options.redact_pii, keyring=settings.keyring),
    )


def rule_summary(rule: Rule) -> RuleSummary:
    return RuleSummary(
        code=rule.code,
        name=rule.name,
        severity=rule.severity,
        family=rule.family,
        summary=rule.summary,
        fixable=rule.fixable,
        fix_safe=rule.fix_safe,
    )


def rule_doc(rule: Rule, settings: ServiceSettings) -> RuleDoc:
    config = settings.config or DEFAULT_CONFIG
    per_link, batch = selected_rules(config)
    return RuleDoc(
        **rule_summary(rule).model_dump(),
        why=rule.why,
        bad=rule.bad,
        good=rule.good,
        fix_description=rule.fix_description,
        configured_severity=configured_severity(config, rule.code),
        selected=rule in per_link or rule in batch,
    )
