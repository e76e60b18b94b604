"""Findings and reports whose costly parts are built the first time they are read.

The screen (:mod:`validator.engine.screen`) knows a healthy link's codes,
severities and spans from one pass over it; the message and fix of a finding,
the parsed link and the outcomes of a report are built only if a caller reads
them. Read, they equal what the full engine builds; compared, copied or
pickled, these objects behave as the plain :class:`Finding` and
:class:`Report` they stand for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from validator.model import Client, DirectLink, Finding, Fix, Outcome, Report, Severity, Span
from validator.signature import Secret

#: Builds a finding's message and fix from the arguments stored with it.
MessageMaker = Callable[..., tuple[str, Fix | None]]

_set = object.__setattr__


class LazyFinding(Finding):
    """A :class:`Finding` whose ``message`` and ``fix`` are ``make(*args)``, built when read."""

    __slots__ = ("_args", "_built", "_make")
    _make: MessageMaker
    _args: tuple[Any, ...]
    _built: tuple[str, Fix | None] | None

    def __init__(
        self,
        code: str,
        name: str,
        severity: Severity,
        span: Span | None,
        param: str | None,
        make: MessageMaker,
        args: tuple[Any, ...],
        client: Client | None = None,
    ) -> None:
        _set(self, "code", code)
        _set(self, "name", name)
        _set(self, "severity", severity)
        _set(self, "span", span)
        _set(self, "param", param)
        _set(self, "client", client)
        _set(self, "_make", make)
        _set(self, "_args", args)
        _set(self, "_built", None)

    def _parts(self) -> tuple[str, Fix | None]:
        built: tuple[str, Fix | None] | None = self._built
        if built is None:
            built = self._make(*self._args)
            _set(self, "_built", built)
        return built

    @property
    def message(self) -> str:
        return self._parts()[0]

    @property
    def fix(self) -> Fix | None:
        return self._parts()[1]

    def with_severity(self, severity: Severity) -> LazyFinding:
        """The same finding at another severity, still unbuilt where it was."""
        copy = LazyFinding(
            self.code, self.name, severity, self.span, self.param, self._make, self._args,
            self.client,
        )
        _set(copy, "_built", self._built)
        return copy

    def _fields(self) -> tuple[object, ...]:
        return (
            self.code, self.name, self.severity, self.message, self.span, self.param, self.fix,
            self.client,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self._fields() == (
            other.code, other.name, other.severity, other.message, other.span, other.param,
            other.fix, other.client,
        )

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return repr(Finding(*self._fields()))  # type: ignore[arg-type]

    def __reduce__(self) -> tuple[Any, tuple[object, ...]]:
        return (Finding, self._fields())


class LazyReport(Report):
    """A :class:`Report` whose ``link`` (parsed) and ``outcomes`` are built when first read."""

    __slots__ = ("_accept_language", "_languages", "_link", "_outcomes", "_secret", "_text")
    _text: str
    _secret: Secret | None
    _accept_language: str | Sequence[str] | None
    _languages: tuple[str, ...]
    _link: DirectLink | None
    _outcomes: Mapping[str, Outcome] | None

    def __init__(
        self,
        text: str,
        findings: tuple[Finding, ...],
        secret: Secret | None,
        accept_language: str | Sequence[str] | None,
        languages: tuple[str, ...],
    ) -> None:
        _set(self, "findings", findings)
        _set(self, "_text", text)
        _set(self, "_secret", secret)
        _set(self, "_accept_language", accept_language)
        _set(self, "_languages", languages)
        _set(self, "_link", None)
        _set(self, "_outcomes", None)

    @property
    def link(self) -> DirectLink:
        link: DirectLink | None = self._link
        if link is None:
            from validator.parse import parse

            link = parse(self._text)
            _set(self, "_link", link)
        return link

    @property
    def outcomes(self) -> Mapping[str, Outcome]:
        outcomes: Mapping[str, Outcome] | None = self._outcomes
        if outcomes is None:
            from validator.resolve import resolve

            outcomes = resolve(
                self.link,
                secret=self._secret,
                accept_language=self._accept_language,
                languages=self._languages,
            )
            _set(self, "_outcomes", outcomes)
        return outcomes

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Report):
            return NotImplemented
        return (self.link, self.findings, self.outcomes) == (
            other.link, other.findings, other.outcomes,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(Report(self.link, self.findings, self.outcomes))

    def __reduce__(self) -> tuple[Any, tuple[object, ...]]:
        return (Report, (self.link, self.findings, dict(self.outcomes)))
