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

from validator.link_shape import head_app_id, head_host
from validator.model import (
    Client,
    DirectLink,
    Finding,
    FindingValues,
    Fix,
    Outcome,
    RecordParam,
    Report,
    Severity,
    Span,
)
from validator.parse import parse
from validator.resolve import page_outcome
from validator.signature import Secret

#: Builds a finding's message and fix from the arguments stored with it.
MessageMaker = Callable[..., tuple[str, Fix | None]]

_set = object.__setattr__


class LazyFinding(Finding):
    """A :class:`Finding` whose ``message`` and ``fix`` are ``make(*args)``, built when read.

    Its fields live in one tuple: a finding is made for nearly every link, and
    one attribute is much cheaper to set than eight.
    """

    __slots__ = ("_built", "_data")
    #: (code, name, severity, span, param, client, make, args)
    _data: tuple[str, str, Severity, Span | None, str | None, Client | None, MessageMaker,
                 tuple[Any, ...]]
    #: The message and fix once built (None before: a slot never set would raise on
    #: every first read, and raising costs more than the rest of the read).
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
        _set(self, "_data", (code, name, severity, span, param, client, make, args))
        _set(self, "_built", None)

    @property
    def code(self) -> str:
        return self._data[0]

    @property
    def name(self) -> str:
        return self._data[1]

    @property
    def severity(self) -> Severity:
        return self._data[2]

    @property
    def span(self) -> Span | None:
        return self._data[3]

    @property
    def param(self) -> str | None:
        return self._data[4]

    @property
    def client(self) -> Client | None:
        return self._data[5]

    def _parts(self) -> tuple[str, Fix | None]:
        built = self._built
        if built is None:
            data = self._data
            built = data[6](*data[7])
            _set(self, "_built", built)
        return built

    @property
    def built(self) -> bool:
        """Whether the message and fix have been built yet."""
        return self._built is not None

    @property
    def message(self) -> str:
        return self._parts()[0]

    @property
    def fix(self) -> Fix | None:
        return self._parts()[1]

    def with_severity(self, severity: Severity) -> LazyFinding:
        """The same finding at another severity, still unbuilt where it was."""
        data = self._data
        copy = _new(LazyFinding)
        _set(copy, "_data", (*data[:2], severity, *data[3:]))
        _set(copy, "_built", self._built)
        return copy

    def field_values(self) -> FindingValues:
        data = self._data
        message, fix = self._parts()
        return (data[0], data[1], data[2], message, data[3], data[4], fix, data[5])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self.field_values() == other.field_values()

    def __hash__(self) -> int:
        return hash(self.field_values())

    def __repr__(self) -> str:
        return repr(Finding(*self.field_values()))

    def __reduce__(self) -> tuple[Any, tuple[object, ...]]:
        return (Finding, self.field_values())


_new = object.__new__


def lazy_finding(
    code: str,
    name: str,
    severity: Severity,
    span: Span | None,
    param: str | None,
    make: MessageMaker,
    args: tuple[Any, ...],
) -> LazyFinding:
    """A :class:`LazyFinding`, made without the call of its constructor (the screen's path)."""
    finding = _new(LazyFinding)
    _set(finding, "_data", (code, name, severity, span, param, None, make, args))
    _set(finding, "_built", None)
    return finding


#: A screened link's decoded values by name, each with the spans the screen found:
#: (value, start of the pair, start of the value, end of the pair).
ScreenFields = Mapping[str, tuple[str, int, int, int]]


class LazyReport(Report):
    """A :class:`Report` whose ``link`` (parsed) and ``outcomes`` are built when first read.

    The outcomes come from the screen's decoded values, with no parse: the page model
    (:func:`validator.resolve.page_outcome`) reads them as it reads a parsed link's. A
    screened link has a ``<base>/direct/<app_id>`` path and nothing the two clients read
    differently (no ``+``, repeated or empty key, bad escape or byte, empty pair), so
    :func:`~validator.resolve.resolve` would give the SDK the browser's outcome too.
    """

    __slots__ = ("_data", "_link", "_outcomes")
    #: (text, the app's secret, accept_language, languages, the screen's fields).
    _data: tuple[str, Secret | None, str | Sequence[str] | None, tuple[str, ...], ScreenFields]
    #: The parse and the outcomes once built (None before, as a finding's message).
    _link: DirectLink | None
    _outcomes: Mapping[str, Outcome] | None

    def __init__(
        self,
        text: str,
        findings: tuple[Finding, ...],
        secret: Secret | None,
        accept_language: str | Sequence[str] | None,
        languages: tuple[str, ...],
        fields: ScreenFields,
    ) -> None:
        _set(self, "findings", findings)
        _set(self, "_data", (text, secret, accept_language, languages, fields))
        _set(self, "_link", None)
        _set(self, "_outcomes", None)

    @property
    def link(self) -> DirectLink:
        link = self._link
        if link is None:
            link = parse(self._data[0])
            _set(self, "_link", link)
        return link

    def value(self, name: str) -> str | None:
        entry = self._data[4].get(name)
        return None if entry is None else entry[0]

    def link_parts(self) -> tuple[str | None, str | None, tuple[RecordParam, ...]]:
        """As :meth:`Report.link_parts`, read from the screen's fields with no parse."""
        text, fields = self._data[0], self._data[4]
        entries = list(fields.items())
        query_start = entries[0][1][1]  # the screen takes only queries of one pair or more
        params = tuple([
            (name, value, text[start:end], start, end)
            for name, (value, start, _value_start, end) in entries
        ])
        return head_app_id(text, query_start), head_host(text), params

    def with_findings(self, findings: tuple[Finding, ...]) -> LazyReport:
        """The same report with ``findings``; its parse and outcomes still unbuilt if they were."""
        copy = _new(LazyReport)
        _set(copy, "findings", findings)
        _set(copy, "_data", self._data)
        _set(copy, "_link", self._link)
        _set(copy, "_outcomes", self._outcomes)
        return copy

    def adopt(self, link: DirectLink) -> None:
        """Take ``link`` as the parse of this report's text (it must be ``parse(text)``)."""
        if link.input != self._data[0]:
            raise ValueError("the link is not the parse of this report's text")
        _set(self, "_link", link)

    @property
    def outcomes(self) -> Mapping[str, Outcome]:
        outcomes = self._outcomes
        if outcomes is None:
            _, secret, accept_language, languages, fields = self._data
            # A plain dict's own get: the page model reads a dozen values a link.
            values = {name: entry[0] for name, entry in fields.items()}
            browser = page_outcome(
                values.get, secret=secret, accept_language=accept_language, languages=languages
            )
            outcomes = {"browser": browser, "sdk": browser}
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
