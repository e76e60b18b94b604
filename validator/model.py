"""The typed, immutable model: a parsed link, its parameters, findings, outcomes.

Spans are ``(start, end)`` character offsets into the ORIGINAL input string,
end exclusive, so output can underline the exact columns a user typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import FrozenInstanceError, dataclass, fields
from reprlib import recursive_repr
from typing import Any, Literal, NamedTuple, TypeVar, dataclass_transform

from validator import spec

#: Makes a named tuple from every one of its fields without the ``__new__`` that
#: :class:`~typing.NamedTuple` generates in Python: the parser, the screen and
#: extraction make one per parameter or link, millions in an audit.
new_named_tuple = tuple.__new__

Span = tuple[int, int]
Severity = Literal["error", "warning", "info"]
View = Literal["session", "home"]
LanguageSource = Literal["lang-param", "browser", "fallback"]
Identity = Literal["anonymous", "unverified", "verified", "rejected"]
Client = Literal["browser", "sdk"]
#: A parameter as an audit record shows it: (name, decoded value, raw pair, start, end),
#: a plain tuple since an audit makes one for every parameter of every link.
RecordParam = tuple[str, str, str, int, int]


class _NoValues(Mapping[str, str]):
    """The first values of a link without a query: empty and read-only, and pickled as a
    reference to its one instance (a ``MappingProxyType`` cannot be pickled at all)."""

    __slots__ = ()

    def __getitem__(self, key: str) -> str:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __contains__(self, key: object) -> bool:
        return False

    def __repr__(self) -> str:
        return "{}"

    def __reduce__(self) -> str:
        return "NO_VALUES"


#: The one empty :attr:`DirectLink.first_values`.
NO_VALUES: Mapping[str, str] = _NoValues()

SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}

_T = TypeVar("_T")
_set = object.__setattr__

#: What ``@dataclass(frozen=True)`` generates, and, with ``slots=True``, adds for pickling.
_GENERATED = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")
_GENERATED_FOR_SLOTS = ("__getstate__", "__setstate__")


@dataclass_transform(frozen_default=True)
def frozen_dataclass_written_out(*, slots: bool = False) -> Callable[[type[_T]], type[_T]]:
    """``@dataclass(frozen=True, slots=slots)`` for a class that writes out the methods
    the dataclass would generate.

    A frozen dataclass generates six methods with ``exec`` when it is defined
    (about 0.8 M instructions each), which every start of the command pays for
    the public values it defines. Written in the class body, they are compiled
    into its bytecode once. ``@dataclass`` still makes the fields, ``__match_args__``
    and (with ``slots``) the slots, and ``__dataclass_params__`` says what a frozen
    dataclass's says, so ``fields()``, ``replace()``, ``asdict()`` and dataclass
    subclasses treat the class as one. ``tests/test_model_dataclasses.py`` holds each
    class to the one ``@dataclass`` generates.
    """

    def decorate(cls: type[_T]) -> type[_T]:
        written = set(vars(cls))
        missing = [name for name in (*_GENERATED, *(_GENERATED_FOR_SLOTS if slots else ()))
                   if name not in written]
        if missing:
            raise TypeError(f"{cls.__qualname__} does not write out {', '.join(missing)}")
        made = dataclass(init=False, repr=False, eq=False, slots=slots)(cls)
        params: Any = vars(made)["__dataclass_params__"]
        params.init = params.repr = params.eq = params.frozen = True
        return made

    return decorate


def _getstate(self: Any) -> list[object]:
    """A slotted frozen dataclass's state: its fields' values in order."""
    return [getattr(self, field.name) for field in fields(self)]


def _setstate(self: Any, state: list[object]) -> None:
    for field, value in zip(fields(self), state, strict=False):
        _set(self, field.name, value)


class Param(NamedTuple):
    """One ``name=value`` piece of a query, decoded and raw.

    ``value`` is what the page sees (``URLSearchParams``), ``raw`` the text of
    the whole piece as written (tabs and newlines the browser drops removed).
    Offsets are into the original input: ``start``/``end`` bound the piece,
    ``name_end`` ends the name, ``value_start`` starts the value (both equal
    ``end`` where the piece has no ``=``).
    """

    name: str
    value: str
    raw: str
    start: int
    name_end: int
    value_start: int
    end: int

    @property
    def span(self) -> Span:
        return (self.start, self.end)

    @property
    def name_span(self) -> Span:
        return (self.start, self.name_end)

    @property
    def value_span(self) -> Span:
        return (self.value_start, self.end)

    @property
    def has_equals(self) -> bool:
        return "=" in self.raw

    @property
    def raw_name(self) -> str:
        equals = self.raw.find("=")
        return self.raw if equals < 0 else self.raw[:equals]

    @property
    def raw_value(self) -> str | None:
        """The value as written, or ``None`` where the piece has no ``=``."""
        equals = self.raw.find("=")
        return None if equals < 0 else self.raw[equals + 1 :]


class DirectLink(NamedTuple):
    """A direct link as the browser reads it; immutable and cheap to make.

    ``is_url`` is False where the browser would not accept the text as an
    absolute URL with a host; ``error`` then says why. Everything that could
    still be read (the query, for instance) is kept so rules can say more.
    """

    input: str
    is_url: bool
    error: str | None
    scheme: str | None
    username: str
    password: str | None
    host: str | None
    port: int | None
    path: str
    base_path: str | None
    app_id: str | None
    trailing_slash: bool
    query: str | None
    fragment: str | None
    params: tuple[Param, ...]
    fragment_params: tuple[Param, ...]
    query_span: Span | None
    fragment_span: Span | None
    app_id_span: Span | None
    path_span: Span | None
    authority_span: Span | None
    scheme_span: Span | None
    #: Span of the link itself inside ``input`` (surrounding whitespace excluded).
    content_span: Span
    #: Positions in ``input`` of tabs and newlines the browser silently drops.
    removed_whitespace: tuple[int, ...] = ()
    #: The first decoded value of every name, as the page reads them.
    first_values: Mapping[str, str] = NO_VALUES

    # Generic access -------------------------------------------------------

    def get(self, name: str) -> str | None:
        """First decoded value for ``name``, as ``URLSearchParams.get``."""
        return self.first_values.get(name)

    def get_all(self, name: str) -> tuple[str, ...]:
        """Every decoded value for ``name``, in order."""
        return tuple(p.value for p in self.params if p.name == name)

    def has(self, name: str) -> bool:
        return name in self.first_values

    def param(self, name: str) -> Param | None:
        """The first parameter called ``name`` (the one the page reads)."""
        if name not in self.first_values:
            return None
        for p in self.params:
            if p.name == name:
                return p
        return None  # pragma: no cover - _first and params agree

    def params_named(self, name: str) -> tuple[Param, ...]:
        return tuple(p for p in self.params if p.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    # Documented fields ------------------------------------------------------

    @property
    def direct(self) -> str | None:
        return self.get(spec.DIRECT)

    @property
    def chat_id_key(self) -> str | None:
        """The key the page reads the chat id from: ``chatid`` first, else ``chat_id``."""
        for key in spec.CHAT_ID_KEYS:
            if key in self.first_values:
                return key
        return None

    @property
    def chat_id(self) -> str | None:
        key = self.chat_id_key
        return None if key is None else self.first_values[key]

    @property
    def lang(self) -> str | None:
        return self.get(spec.LANG)

    @property
    def sbs(self) -> str | None:
        return self.get(spec.SBS)

    @property
    def sbs_mm(self) -> str | None:
        return self.get(spec.SBS_MM)

    @property
    def ranstr(self) -> str | None:
        return self.get(spec.RANSTR)

    @property
    def name(self) -> str | None:
        return self.get(spec.NAME)

    @property
    def nickname(self) -> str | None:
        return self.get(spec.NICKNAME)

    @property
    def email(self) -> str | None:
        return self.get(spec.EMAIL)

    @property
    def phone(self) -> str | None:
        return self.get(spec.PHONE)

    @property
    def theme(self) -> str | None:
        return self.get(spec.THEME)

    @property
    def is_app(self) -> str | None:
        return self.get(spec.IS_APP)

    @property
    def is_direct_path(self) -> bool:
        """True where the path has the ``<base>/direct/<app_id>`` shape."""
        return self.app_id is not None

    @property
    def text(self) -> str:
        """The link without the surrounding whitespace the browser strips."""
        start, end = self.content_span
        return self.input[start:end]


@frozen_dataclass_written_out(slots=True)
class Fix:
    """A corrected link, and whether applying it cannot change what was meant."""

    description: str
    safe: bool
    #: Parameter edits that make up the fix: ``(name, new value or None to drop)``.
    edits: tuple[tuple[str, str | None], ...] = ()
    #: The same fix as text edits on the original input: ``(span, replacement)``,
    #: non-overlapping (as ruff's ``Edit``); applying them gives the fixed link.
    replacements: tuple[tuple[Span, str], ...] = ()

    def __init__(
        self,
        description: str,
        safe: bool,
        edits: tuple[tuple[str, str | None], ...] = (),
        replacements: tuple[tuple[Span, str], ...] = (),
    ) -> None:
        _set(self, "description", description)
        _set(self, "safe", safe)
        _set(self, "edits", edits)
        _set(self, "replacements", replacements)

    @recursive_repr()
    def __repr__(self) -> str:
        return self.__class__.__qualname__ + (
            f"(description={self.description!r}, safe={self.safe!r}, edits={self.edits!r}, "
            f"replacements={self.replacements!r})"
        )

    def __eq__(self, other: Any) -> bool:
        if other.__class__ is self.__class__:
            return (self.description, self.safe, self.edits, self.replacements) == (
                other.description, other.safe, other.edits, other.replacements,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.description, self.safe, self.edits, self.replacements))

    def __setattr__(self, name: str, value: object) -> None:
        if name in _FIX_FIELDS:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        if name in _FIX_FIELDS:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super().__delattr__(name)

    __getstate__ = _getstate
    __setstate__ = _setstate


_FIX_FIELDS = ("description", "safe", "edits", "replacements")


#: A finding's fields in their order (:meth:`Finding.field_values`).
FindingValues = tuple[str, str, Severity, str, Span | None, str | None, Fix | None, Client | None]


@frozen_dataclass_written_out(slots=True)
class Finding:
    """What a rule found in a link: code, name, severity, message, where, and any fix."""

    code: str
    name: str
    severity: Severity
    message: str
    span: Span | None = None
    param: str | None = None
    fix: Fix | None = None
    #: The client a finding concerns, where it concerns only one.
    client: Client | None = None

    def __init__(
        self,
        code: str,
        name: str,
        severity: Severity,
        message: str,
        span: Span | None = None,
        param: str | None = None,
        fix: Fix | None = None,
        client: Client | None = None,
    ) -> None:
        _set(self, "code", code)
        _set(self, "name", name)
        _set(self, "severity", severity)
        _set(self, "message", message)
        _set(self, "span", span)
        _set(self, "param", param)
        _set(self, "fix", fix)
        _set(self, "client", client)

    @recursive_repr()
    def __repr__(self) -> str:
        return self.__class__.__qualname__ + (
            f"(code={self.code!r}, name={self.name!r}, severity={self.severity!r}, "
            f"message={self.message!r}, span={self.span!r}, param={self.param!r}, "
            f"fix={self.fix!r}, client={self.client!r})"
        )

    def __eq__(self, other: Any) -> bool:
        if other.__class__ is self.__class__:
            return self.field_values() == other.field_values()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.field_values())

    def __setattr__(self, name: str, value: object) -> None:
        if name in _FINDING_FIELDS:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        if name in _FINDING_FIELDS:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super().__delattr__(name)

    __getstate__ = _getstate
    __setstate__ = _setstate

    def field_values(self) -> FindingValues:
        """The fields in their order: code, name, severity, message, span, param, fix, client
        (one call where a lazy finding would answer eight)."""
        return (self.code, self.name, self.severity, self.message, self.span, self.param,
                self.fix, self.client)


_FINDING_FIELDS = ("code", "name", "severity", "message", "span", "param", "fix", "client")


def finding_order(finding: Finding) -> tuple[int, int, str]:
    """The order a report lists findings in: by position, the worst first, then by code."""
    start = finding.span[0] if finding.span is not None else -1
    return (start, -SEVERITY_RANK[finding.severity], finding.code)


@frozen_dataclass_written_out(slots=True)
class Outcome:
    """What the visitor gets when the link is opened in one client."""

    view: View
    chat_id: str | None
    language: str
    language_source: LanguageSource
    identity: Identity
    customer: Mapping[str, str]
    #: Assumptions the model made where the documentation is silent.
    assumptions: tuple[str, ...] = ()
    #: Why the client refused the link outright, where it did.
    rejected_reason: str | None = None
    sbs: str | None = None

    def __init__(
        self,
        view: View,
        chat_id: str | None,
        language: str,
        language_source: LanguageSource,
        identity: Identity,
        customer: Mapping[str, str],
        assumptions: tuple[str, ...] = (),
        rejected_reason: str | None = None,
        sbs: str | None = None,
    ) -> None:
        _set(self, "view", view)
        _set(self, "chat_id", chat_id)
        _set(self, "language", language)
        _set(self, "language_source", language_source)
        _set(self, "identity", identity)
        _set(self, "customer", customer)
        _set(self, "assumptions", assumptions)
        _set(self, "rejected_reason", rejected_reason)
        _set(self, "sbs", sbs)

    @recursive_repr()
    def __repr__(self) -> str:
        return self.__class__.__qualname__ + (
            f"(view={self.view!r}, chat_id={self.chat_id!r}, language={self.language!r}, "
            f"language_source={self.language_source!r}, identity={self.identity!r}, "
            f"customer={self.customer!r}, assumptions={self.assumptions!r}, "
            f"rejected_reason={self.rejected_reason!r}, sbs={self.sbs!r})"
        )

    def __eq__(self, other: Any) -> bool:
        if other.__class__ is self.__class__:
            return (
                self.view, self.chat_id, self.language, self.language_source, self.identity,
                self.customer, self.assumptions, self.rejected_reason, self.sbs,
            ) == (
                other.view, other.chat_id, other.language,
                other.language_source, other.identity, other.customer,
                other.assumptions, other.rejected_reason, other.sbs,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((
            self.view, self.chat_id, self.language, self.language_source, self.identity,
            self.customer, self.assumptions, self.rejected_reason, self.sbs,
        ))

    def __setattr__(self, name: str, value: object) -> None:
        if name in _OUTCOME_FIELDS:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        if name in _OUTCOME_FIELDS:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super().__delattr__(name)

    __getstate__ = _getstate
    __setstate__ = _setstate


_OUTCOME_FIELDS = (
    "view", "chat_id", "language", "language_source", "identity", "customer", "assumptions",
    "rejected_reason", "sbs",
)


@frozen_dataclass_written_out(slots=True)
class Report:
    """A checked link: what the rules found in it and what each client makes of it."""

    link: DirectLink
    findings: tuple[Finding, ...]
    outcomes: Mapping[str, Outcome]

    def __init__(
        self, link: DirectLink, findings: tuple[Finding, ...], outcomes: Mapping[str, Outcome]
    ) -> None:
        _set(self, "link", link)
        _set(self, "findings", findings)
        _set(self, "outcomes", outcomes)

    @recursive_repr()
    def __repr__(self) -> str:
        return self.__class__.__qualname__ + (
            f"(link={self.link!r}, findings={self.findings!r}, outcomes={self.outcomes!r})"
        )

    def __eq__(self, other: Any) -> bool:
        if other.__class__ is self.__class__:
            return (self.link, self.findings, self.outcomes) == (
                other.link, other.findings, other.outcomes,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.link, self.findings, self.outcomes))

    def __setattr__(self, name: str, value: object) -> None:
        if name in _REPORT_FIELDS:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        if name in _REPORT_FIELDS:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super().__delattr__(name)

    __getstate__ = _getstate
    __setstate__ = _setstate

    @property
    def outcome(self) -> Outcome:
        """The browser's outcome."""
        return self.outcomes["browser"]

    @property
    def ok(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    def worst(self) -> Severity | None:
        worst: Severity | None = None
        for finding in self.findings:
            if worst is None or SEVERITY_RANK[finding.severity] > SEVERITY_RANK[worst]:
                worst = finding.severity
        return worst

    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.findings)

    def value(self, name: str) -> str | None:
        """The link's first decoded value for ``name`` (``link.get(name)``)."""
        return self.link.get(name)

    def link_parts(self) -> tuple[str | None, str | None, tuple[RecordParam, ...]]:
        """The link's app id, host and parameters: what an audit record shows of it."""
        link = self.link
        return link.app_id, link.host, tuple([
            (param.name, param.value, param.raw, param.start, param.end) for param in link.params
        ])

    def with_findings(self, findings: tuple[Finding, ...]) -> Report:
        """The same report with ``findings`` (a batch rule's added to a link's own)."""
        return Report(self.link, findings, self.outcomes)


_REPORT_FIELDS = ("link", "findings", "outcomes")


def apply_replacements(text: str, replacements: Sequence[tuple[Span, str]]) -> str:
    """Apply non-overlapping ``(span, content)`` edits to ``text`` (a :class:`Fix`'s
    ``replacements`` to the input it was found in)."""
    pieces: list[str] = []
    position = 0
    for (start, end), content in sorted(set(replacements), key=lambda r: (r[0][0], r[0][1])):
        pieces.append(text[position:start])
        pieces.append(content)
        position = max(position, end)
    pieces.append(text[position:])
    return "".join(pieces)


_IDENTITY_WORDS: dict[str, str] = {
    "anonymous": "an anonymous visitor",
    "unverified": "customer {sbs} (signature not checked: no secret)",
    "verified": "verified customer {sbs}",
    "rejected": "customer {sbs}, whose signature the page rejects",
}


def describe(outcome: Outcome) -> str:
    """One line on what the page will do: "opens session X in Português as verified customer 42"."""
    if outcome.rejected_reason is not None:
        return f"does not open: {outcome.rejected_reason}"
    where = (
        f"opens session {outcome.chat_id}" if outcome.view == "session" else "opens the home page"
    )
    language = spec.LANGUAGE_NAMES.get(outcome.language, outcome.language)
    who = _IDENTITY_WORDS[outcome.identity].format(sbs=outcome.sbs)
    how = {"lang-param": "", "browser": " (browser language)", "fallback": " (fallback)"}
    return f"{where} in {language}{how[outcome.language_source]} as {who}"
