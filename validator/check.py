"""Check links: the public calls that parse, resolve, run the selected rules and report.

Two tiers: the screen (:mod:`validator.engine.screen`) answers for links of the
everyday shape in one pass; every other link goes through the full engine
(:mod:`validator.engine.full`). :func:`check_many` checks each link so, then
hands the reports to the batch rules, which parse only the links they report.
This module checks the caller's arguments and picks the tier; it judges
nothing itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from validator import arguments
from validator.config import DEFAULT_CONFIG, Config
from validator.engine.full import finish_findings, full_check
from validator.engine.screen import screen, screen_plan
from validator.keyring import EMPTY, Keyring, SecretLike
from validator.last_made import LastMade
from validator.limits import check_link_length
from validator.model import SEVERITY_RANK, DirectLink, Finding, Report, Severity
from validator.rules.selection import selected_rules
from validator.signature import Secret, require_secret, require_secret_map


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
    if not secrets and not known_secrets:
        if secret is None:
            return EMPTY
        return _keyring_of_secret(secret)
    return Keyring.of(secret, secrets, known_secrets)


#: The keyring of the last lone ``secret`` given: a str or a Secret cannot change, so the
#: same object makes the same keyring, and a run checking link after link builds it once.
_keyring_of_secret: LastMade[SecretLike, Keyring] = LastMade(Keyring.of)


def _require_check_arguments(
    function: str,
    secret: object,
    secrets: object,
    accept_language: object,
    config: object,
) -> None:
    # Each check runs only for an argument given (a plain str secret needs none): the
    # checks cost a link's check a tenth of its time where they all ran.
    if secret is not None and secret.__class__ is not str:
        require_secret(function, "secret", secret, optional=True)
    if secrets is not None:
        require_secret_map(function, "secrets", secrets)
    if accept_language is not None:
        arguments.require_languages(function, "accept_language", accept_language)
    if config is not None and config.__class__ is not Config:
        arguments.require_config(function, config)


def _require_link(function: str, url: object) -> None:
    if isinstance(url, str):
        check_link_length(url)
        return
    arguments.require_link(function, "url", url)
    if isinstance(url, DirectLink):
        check_link_length(url.input)


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
    return _report_of(url, keyring_of(keyring, secret, secrets, known_secrets),
                      accept_language, config)


def _report_of(url: str | DirectLink, ring: Keyring,
               accept_language: str | Sequence[str] | None, config: Config) -> Report:
    """The report of one link whose arguments are checked: the screen's where it answers
    (text only), else the full engine's."""
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
    # Each link as check() reports it; the batch rules then read the reports, and parse
    # only the links they report.
    reports = [_report_of(url, ring, accept_language, config) for url in urls]
    added: dict[int, list[Finding]] = {}
    for rule in selected_rules(config)[1]:
        for index, finding in rule.check_batch(reports):
            added.setdefault(index, []).append(finding)
    for index, findings in added.items():
        report = reports[index]
        reports[index] = report.with_findings(
            finish_findings(config, [*report.findings, *findings]))
    return reports


def fails(report: Report, level: Severity) -> bool:
    """True where the report has a finding at or above ``level``."""
    threshold = SEVERITY_RANK[level]
    return any(SEVERITY_RANK[f.severity] >= threshold for f in report.findings)
