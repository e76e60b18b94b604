"""Assertions for users' own test suites (pytest or unittest).

    from validator.testing import assert_valid_link

    def test_my_builder():
        assert_valid_link(my_builder("s1"), secret=os.environ["APP_SECRET"], chat_id="s1")

A failing assertion raises :class:`LinkAssertionError` (an ``AssertionError``)
whose message is the checker's text diagnostic: the link with the offending
columns underlined, what the page will do, every finding with its fix.
Importing this module does not need hypothesis.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence

from validator.check import check
from validator.config import Config
from validator.keyring import SecretLike
from validator.model import SEVERITY_RANK, Finding, Identity, Report, Severity

__all__ = ["LinkAssertionError", "assert_valid_link"]


class LinkAssertionError(AssertionError):
    """A link failed :func:`assert_valid_link`; ``report`` holds the full check result."""

    def __init__(self, message: str, report: Report) -> None:
        super().__init__(message)
        self.report = report


def _allowed(finding: Finding, allow: Iterable[str]) -> bool:
    """``allow`` holds codes (``DL312``), code prefixes (``DL3``) or names."""
    return any(
        finding.code.startswith(item) or finding.name == item for item in allow
    )


def assert_valid_link(
    url: str,
    *,
    secret: SecretLike | None = None,
    secrets: Mapping[str, SecretLike] | None = None,
    allow: Sequence[str] = (),
    fail_on: Severity = "warning",
    config: Config | None = None,
    context: str | None = None,
    accept_language: str | Sequence[str] | None = None,
    chat_id: str | None = None,
    language: str | None = None,
    identity: Identity | None = None,
) -> Report:
    """Fail unless ``url`` is a clean direct link; return the report for further checks.

    ``fail_on``: the lowest severity that fails (``warning`` by default: a
    generator's output should be spotless; ``info`` findings never fail unless
    ``fail_on="info"``). ``allow``: codes, code prefixes or rule names that do
    not fail. ``secret``/``secrets``: the AppSecret(s) to verify ``sbs_mm``
    with. ``chat_id``/``language``/``identity``: what the page must do in a
    browser (open that session, show that language, treat the visitor as
    ``verified`` ...). ``context``: where the link is published (``public``,
    ``qr``, ``email``) for the context-dependent rules.
    """
    if context is not None:
        config = dataclasses.replace(config or Config(), context=context)
    report = check(
        url, secret=secret, secrets=secrets, config=config, accept_language=accept_language
    )
    threshold = SEVERITY_RANK[fail_on]
    failing = [
        finding
        for finding in report.findings
        if SEVERITY_RANK[finding.severity] >= threshold and not _allowed(finding, allow)
    ]
    outcome = report.outcome
    wrong: list[str] = []
    if chat_id is not None and (outcome.view != "session" or outcome.chat_id != chat_id):
        opened = f"session {outcome.chat_id!r}" if outcome.view == "session" else "the home page"
        wrong.append(f"expected the page to open session {chat_id!r}, it opens {opened}")
    if language is not None and outcome.language != language:
        wrong.append(f"expected language {language!r}, the page shows {outcome.language!r}")
    if identity is not None and outcome.identity != identity:
        wrong.append(f"expected identity {identity!r}, the page sees {outcome.identity!r}")
    if not failing and not wrong:
        return report
    codes = ", ".join(dict.fromkeys(f.code for f in failing))
    headline = []
    if failing:
        headline.append(f"{len(failing)} finding(s) at or above {fail_on}: {codes}")
    headline.extend(wrong)
    message = "direct link check failed: " + "; ".join(headline) + "\n" + _render(report)
    raise LinkAssertionError(message, report)


def _render(report: Report) -> str:
    try:
        from validator.report.text import render_report
    except ImportError:  # pragma: no cover - the text renderer ships with the package
        lines = [f"  {report.link.input}"]
        lines += [f"  {f.severity:<8} {f.code} {f.name}  {f.message}" for f in report.findings]
        return "\n".join(lines)
    return render_report(report, color=False)
