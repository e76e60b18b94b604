"""Check links: parse, resolve the page model, run the selected rules, build a :class:`Report`.

Two tiers: the screen (:mod:`validator.engine.screen`) answers for links of the
everyday shape in one pass; every other link, and every link of
:func:`check_many` (whose batch rules need the whole run), goes through the
full engine below.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from validator import arguments, spec
from validator.config import DEFAULT_CONFIG, Config
from validator.engine.lazy import LazyFinding
from validator.engine.screen import ScreenPlan, screen
from validator.keyring import EMPTY, Keyring, SecretLike
from validator.limits import check_link_length
from validator.model import SEVERITY_RANK, DirectLink, Finding, Report, Severity, finding_order
from validator.parse import parse
from validator.resolve import read_as_sdk, resolve
from validator.rules import RULES, BatchRule, LinkContext, Rule, resolve_selectors
from validator.signature import Secret


@lru_cache(maxsize=64)
def selected_rules(config: Config) -> tuple[tuple[Rule, ...], tuple[BatchRule, ...]]:
    """The per-link and the batch rules ``config`` enables, in code order."""
    selected = resolve_selectors(config.select) if config.select else resolve_selectors(["ALL"])
    codes = (selected | resolve_selectors(config.extend_select)) - resolve_selectors(config.ignore)
    per_link = tuple(rule for rule in RULES if rule.code in codes and not rule.batch)
    batch = tuple(
        rule for rule in RULES if rule.code in codes and isinstance(rule, BatchRule)
    )
    return per_link, batch


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


#: The screen's plan of the configuration checked last (looked up by identity:
#: hashing a Config on every call would cost more than the screen saves).
_last_screen_plan: list[ScreenPlan] = []


def screen_plan(config: Config) -> ScreenPlan:
    if _last_screen_plan and _last_screen_plan[0].config is config:
        return _last_screen_plan[0]
    codes = frozenset(rule.code for rule in selected_rules(config)[0])
    plan = ScreenPlan(config, codes)
    _last_screen_plan[:] = [plan]
    return plan


def keyring_of(
    keyring: Keyring | None,
    secret: SecretLike | None,
    secrets: Mapping[str, SecretLike] | None,
    known_secrets: Iterable[SecretLike],
) -> Keyring:
    """The keyring a call gives, or the one its ``secret``/``secrets``/``known_secrets`` make."""
    if keyring is not None:
        if secret is not None or secrets or tuple(known_secrets):
            raise TypeError("give either keyring or secret/secrets/known_secrets, not both")
        return keyring
    if secret is None and not secrets and not known_secrets:
        return EMPTY
    return Keyring.of(secret, secrets, known_secrets)


def _context(
    url: str | DirectLink,
    keyring: Keyring,
    accept_language: str | Sequence[str] | None,
    config: Config,
) -> LinkContext:
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


def _finish(config: Config, findings: list[Finding]) -> tuple[Finding, ...]:
    if config.severity_overrides:
        findings = [_override(config, finding) for finding in findings]
    findings.sort(key=finding_order)
    return tuple(findings)


def _override(config: Config, finding: Finding) -> Finding:
    severity = config.severity_for(finding.code)
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


def _run(context: LinkContext, plan: RulePlan, *, capped: bool = True) -> list[Finding]:
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


def _require_check_arguments(
    function: str,
    secret: object,
    secrets: object,
    accept_language: object,
    config: object,
) -> None:
    arguments.require_secret(function, "secret", secret, optional=True)
    arguments.require_secret_map(function, "secrets", secrets)
    arguments.require_languages(function, "accept_language", accept_language)
    arguments.require_config(function, config)


def _require_link(function: str, url: object) -> None:
    arguments.require_link(function, "url", url)
    if isinstance(url, DirectLink):
        check_link_length(url.input)
    elif isinstance(url, str):
        check_link_length(url)


def check(
    url: str | DirectLink,
    *,
    secret: SecretLike | None = None,
    secrets: Mapping[str, SecretLike] | None = None,
    accept_language: str | Sequence[str] | None = None,
    config: Config | None = None,
    known_secrets: Iterable[SecretLike] = (),
    keyring: Keyring | None = None,
) -> Report:
    """Check one link with every per-link rule ``config`` selects.

    ``secret`` is the AppSecret for any app; ``secrets`` maps app ids to
    their secrets and wins for the apps it names. ``accept_language`` is the
    visitor's ``Accept-Language`` header (or a list of tags) for the page model.
    ``known_secrets`` are further secrets (other apps', candidates) whose
    appearance in the link DL309 reports too. Each rule lists at most
    :data:`~validator.spec.MAX_FINDINGS_PER_RULE` findings (the last one says
    how many more).

    Raises ``TypeError`` naming an argument of the wrong type, and
    :class:`~validator.limits.LinkTooLongError` for a link over
    :data:`~validator.spec.MAX_LINK_CHARS`.
    ``keyring`` gives ``secret``, ``secrets`` and ``known_secrets`` at once
    (:class:`~validator.keyring.Keyring`).
    """
    _require_check_arguments("check", secret, secrets, accept_language, config)
    _require_link("check", url)
    config = config or DEFAULT_CONFIG
    ring = keyring_of(keyring, secret, secrets, known_secrets)
    if url.__class__ is str:
        text: str = url
        report = screen(text, screen_plan(config), ring.default, ring.per_app,
                        accept_language, ring.candidate_secrets)
        if report is not None:
            return report
    return full_check(url, ring.default, ring.per_app, accept_language, config,
                      ring.candidate_secrets)


def check_every_finding(
    url: str | DirectLink,
    *,
    secret: SecretLike | None = None,
    secrets: Mapping[str, SecretLike] | None = None,
    config: Config | None = None,
    keyring: Keyring | None = None,
) -> Report:
    """:func:`check` without argument checks nor the cap on findings per rule.

    ``fix`` needs every finding (16,384 empty pairs are 16,384 fixes).
    """
    config = config or DEFAULT_CONFIG
    ring = keyring_of(keyring, secret, secrets, ())
    if url.__class__ is str:
        text: str = url
        report = screen(text, screen_plan(config), ring.default, ring.per_app, None,
                        ring.candidate_secrets)
        if report is not None:
            return report
    return full_check(url, ring.default, ring.per_app, None, config, ring.candidate_secrets,
                      capped=False)


def check_parsed(
    text: str,
    parsed: DirectLink | None,
    *,
    secret: Secret | None,
    secrets: Mapping[str, Secret],
    config: Config,
) -> Report:
    """:func:`check` of ``text`` where its parse may be at hand already (an audit's extractor
    parses each link to decide it counts): the screen first, keeping that parse for the
    report; else the full engine on it. Raises as :func:`check` for a link over the limit.
    """
    _require_link("check", text)
    if parsed is not None and parsed.input != text:
        parsed = None
    report = screen(text, screen_plan(config), secret, secrets, None, ())
    if report is None:
        return full_check(parsed or text, secret, secrets, None, config, ())
    if parsed is not None:
        report.adopt(parsed)
    return report


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
    context = _context(url, Keyring.of(secret, secrets, known_secrets), accept_language, config)
    findings = _finish(config, _run(context, rule_plan(config), capped=capped))
    return Report(link=context.link, findings=findings, outcomes=context.outcomes)


def check_many(
    urls: Iterable[str | DirectLink],
    *,
    secret: SecretLike | None = None,
    secrets: Mapping[str, SecretLike] | None = None,
    accept_language: str | Sequence[str] | None = None,
    config: Config | None = None,
    known_secrets: Iterable[SecretLike] = (),
    keyring: Keyring | None = None,
) -> list[Report]:
    """Check many links, with the batch rules (DL310 ranstr-reused) across all of them.

    Reports come back in input order, one per link. Raises like :func:`check`.
    """
    _require_check_arguments("check_many", secret, secrets, accept_language, config)
    if isinstance(urls, str | bytes):
        raise TypeError("check_many() argument 'urls' must be an iterable of links, not a str")
    urls = list(urls)
    for url in urls:
        _require_link("check_many", url)
    config = config or DEFAULT_CONFIG
    ring = keyring_of(keyring, secret, secrets, known_secrets)
    plan = rule_plan(config)
    batch = selected_rules(config)[1]
    contexts = [_context(url, ring, accept_language, config) for url in urls]
    findings = [_run(context, plan) for context in contexts]
    for rule in batch:
        for index, finding in rule.check_batch(contexts):
            findings[index].append(finding)
    return [
        Report(link=context.link, findings=_finish(config, found), outcomes=context.outcomes)
        for context, found in zip(contexts, findings, strict=True)
    ]


def fails(report: Report, level: Severity) -> bool:
    """True where the report has a finding at or above ``level``."""
    threshold = SEVERITY_RANK[level]
    return any(SEVERITY_RANK[f.severity] >= threshold for f in report.findings)
