"""What a rule is: a class that documents itself and yields findings for a link.

In the style of sqlfluff's rule classes: the class attributes hold the stable
code and name, the default severity, a one-line summary, why it matters, a
bad and a good example link, and whether a fix exists and is safe. The docs
(``docs/rules.md``, ``directlink rules CODE``, SARIF rule metadata) are
generated from these attributes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

from validator.model import (
    Client,
    DirectLink,
    Finding,
    Fix,
    Outcome,
    Param,
    Report,
    Severity,
    Span,
)
from validator.rules.signals import link_signals
from validator.signature import Secret

if TYPE_CHECKING:
    from validator.config import Config
    from validator.resolve import SdkReading


class LinkContext:
    """Everything a rule may look at for one link. Rules never re-parse.

    A plain class with slots (made once per link; rules read it, nothing compares
    or prints it), so that defining it costs no generated methods at import.
    """

    __slots__ = (
        "config", "first_params", "known_secrets", "link", "outcomes", "sdk", "secret", "signals"
    )

    def __init__(
        self,
        link: DirectLink,
        config: Config,
        secret: Secret | None,
        outcomes: Mapping[str, Outcome],
        sdk: SdkReading,
        known_secrets: tuple[Secret, ...] = (),
        first_params: dict[str, Param] | None = None,
        signals: frozenset[str] = frozenset(),
    ) -> None:
        self.link = link
        self.config = config
        #: The secret of this link's app, where one is known.
        self.secret = secret
        self.outcomes = outcomes
        self.sdk = sdk
        #: Every secret the caller gave (for DL309: another app's secret leaking counts too).
        self.known_secrets = known_secrets
        #: The first parameter of each name (the one the page reads), built once per link.
        if first_params is None:
            first_params = {}
        if not first_params:
            for param in link.params:
                first_params.setdefault(param.name, param)
        self.first_params = first_params
        #: Parameter names present and facts (see :mod:`validator.rules.signals`).
        self.signals = signals or link_signals(
            link,
            first_params,
            config,
            secret_known=secret is not None or bool(known_secrets),
            same_in_sdk=sdk.same_as_browser,
            identity=outcomes["browser"].identity,
        )

    @property
    def browser(self) -> Outcome:
        return self.outcomes["browser"]

    def param(self, name: str) -> Param | None:
        """The first parameter called ``name``, the one the page reads."""
        return self.first_params.get(name)


class Rule:
    """Base class: subclasses set the class attributes and implement :meth:`check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    family: ClassVar[str]
    summary: ClassVar[str]
    #: Why it matters, in a few sentences.
    why: ClassVar[str]
    bad: ClassVar[str]
    good: ClassVar[str]
    fixable: ClassVar[bool] = False
    #: Whether the fix (where there is one) keeps what the link means; unsafe fixes need opting in.
    fix_safe: ClassVar[bool] = True
    #: How the fix works, where there is one.
    fix_description: ClassVar[str] = ""
    #: A batch rule sees every link of a run at once (see :class:`BatchRule`).
    batch: ClassVar[bool] = False
    #: Parameter names or facts (:mod:`validator.rules.signals`) of which at least one
    #: must hold for the rule to fire; None means the rule always runs. Lets the
    #: engine skip most rules cheaply.
    triggers: ClassVar[frozenset[str] | None] = None

    def check(self, context: LinkContext) -> Iterator[Finding]:
        """Yield this rule's findings for one link."""
        return iter(())

    def finding(
        self,
        message: str,
        span: Span | None,
        *,
        param: str | None = None,
        fix: Fix | None = None,
        severity: Severity | None = None,
        client: Client | None = None,
    ) -> Finding:
        return Finding(
            code=self.code,
            name=self.name,
            severity=severity or self.severity,
            message=message,
            span=span,
            param=param,
            fix=fix,
            client=client,
        )

    def make_fix(
        self,
        description: str,
        replacements: Sequence[tuple[Span, str]],
        edits: Sequence[tuple[str, str | None]] = (),
        *,
        safe: bool | None = None,
    ) -> Fix:
        return Fix(
            description=description,
            safe=self.fix_safe if safe is None else safe,
            edits=tuple(edits),
            replacements=tuple(replacements),
        )


class BatchRule(Rule):
    """A rule that needs every link of a run (e.g. a ``ranstr`` used twice).

    It reads the run's reports, each as the per-link rules left it: a report of
    the screen parses its link only if the rule reads ``report.link``, so a rule
    should read :meth:`~validator.model.Report.value` first and the link only
    for the few links it reports.
    """

    batch = True

    def check_batch(self, reports: Sequence[Report]) -> Iterator[tuple[int, Finding]]:
        """Yield ``(index of the link, finding)``."""
        return iter(())


def value_span(param: Param) -> Span:
    """The value's span, or the whole pair's where the value is empty."""
    start, end = param.value_span
    return param.span if start == end else (start, end)


def removal_span(link: DirectLink, param: Param) -> Span:
    """The text to delete to drop ``param``: the pair and the ``&`` that joins it to a neighbour."""
    start, end = param.span
    text = link.input
    if end < len(text) and text[end] == "&":
        return (start, end + 1)
    if start > 0 and text[start - 1] == "&":
        return (start - 1, end)
    return (start, end)


def drop_param_fix(rule: Rule, link: DirectLink, param: Param, description: str) -> Fix:
    return rule.make_fix(description, [(removal_span(link, param), "")], [(param.name, None)])
