"""Request and response bodies of the API, with the constraints the OpenAPI document states.

Every request model forbids fields it does not define, and a field named like
a secret is refused with a message saying why: the server holds the secrets.
Strings holding a lone surrogate (JSON can carry ``"\\ud800"``) are refused,
since no URL can carry them and no response could echo them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)

from validator import spec
from validator.rules import RULES, SelectorError, resolve_selectors
from validator.service.problems import SECRET_FIELD_REASON
from validator.signing_snippets import LANGUAGES

#: The longest link (in characters) a request may hold: twice what common web
#: servers accept in a request line (8 KiB), far past DL509's 2,000.
MAX_LINK_CHARS = spec.MAX_REQUEST_LINK_CHARS
#: The longest link of a batch (``/v1/check-many``, ``/v1/explain``'s ``batch``).
MAX_BATCH_LINK_CHARS = spec.MAX_BATCH_LINK_CHARS
#: The longest text a QR code is made of: at 4 UTF-8 bytes a character it still
#: fits a version-40 QR code at error correction level M (2331 bytes).
MAX_QR_CHARS = 500
MAX_VALUE_CHARS = spec.MAX_REQUEST_VALUE_CHARS


def _valid_unicode(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("holds a lone surrogate, which is not Unicode text") from None
    return text


def is_secret_like(name: str) -> bool:
    folded = name.lower().replace("-", "").replace("_", "")
    return "secret" in folded


def _whole_number(value: Any) -> Any:
    # JSON Schema's "integer" includes 2.0; booleans and strings are not numbers.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be an integer")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("must be an integer")
        return int(value)
    return value


WholeNumber = Annotated[int, BeforeValidator(_whole_number)]

LinkText = Annotated[
    str,
    Field(
        max_length=MAX_LINK_CHARS,
        description="A direct link, as pasted (whitespace around it is ignored).",
    ),
    AfterValidator(_valid_unicode),
]
BatchLinkText = Annotated[
    str,
    Field(
        max_length=MAX_BATCH_LINK_CHARS,
        description="A direct link of a batch, as pasted (whitespace around it is ignored).",
    ),
    AfterValidator(_valid_unicode),
]
ValueText = Annotated[str, Field(max_length=MAX_VALUE_CHARS), AfterValidator(_valid_unicode)]


class RequestModel(BaseModel):
    """Base of every request body: unknown fields and secret-like fields are refused.

    Strict: ``false`` is not ``0`` and ``"1"`` is not ``1``, as the document says.
    """

    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _refuse_secrets(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in data:
                if isinstance(key, str) and is_secret_like(key):
                    raise ValueError(
                        f"{SECRET_FIELD_REASON}: remove the field {key!r}; "
                        "the server reads each app's secret from its own configuration"
                    )
        return data


class ResponseModel(BaseModel):
    """Base of every response body.

    Fields the serializers add later are dropped rather than failing the
    response; ``tests/test_service.py`` compares the API's reports with
    ``report_to_dict`` so such a field is noticed and added here.
    """

    model_config = ConfigDict(extra="ignore")


# Health -------------------------------------------------------------------


class Health(ResponseModel):
    status: Literal["ok"] = Field(description="Always `ok` when the service answers.")
    version: str = Field(description="Version of directlink-validator.")


# Build --------------------------------------------------------------------

_APP_ID_PATTERN = r"^[A-Za-z0-9_-]{1,128}$"
_BASE_PATTERN = (
    r"^https?://[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
    r"(?::(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?"
    r"(?:/[A-Za-z0-9._~-]+)*/?$"
)


def _not_secret_like(name: str) -> str:
    if is_secret_like(name):
        raise ValueError(f"a link never carries a secret: no parameter named {name!r} (DL309)")
    return name


#: ``is_secret_like`` as a JSON Schema pattern (ECMA-262 has no case-insensitive flag).
SECRET_LIKE_PATTERN = "[Ss][-_]*[Ee][-_]*[Cc][-_]*[Rr][-_]*[Ee][-_]*[Tt]"


class ExtraParam(RequestModel):
    name: Annotated[
        str,
        Field(
            min_length=1,
            max_length=256,
            json_schema_extra={"not": {"pattern": SECRET_LIKE_PATTERN}},
            description="Any name but one like `secret` (DL309).",
        ),
        AfterValidator(_valid_unicode),
        AfterValidator(_not_secret_like),
    ]
    value: ValueText


class BuildRequest(RequestModel):
    """Values of a link. ``sbs`` is signed when the server has the app's secret."""

    app_id: Annotated[
        str, Field(pattern=_APP_ID_PATTERN, max_length=128, examples=["demo_app"])
    ]
    base: Annotated[
        str,
        Field(
            pattern=_BASE_PATTERN,
            max_length=2048,
            description="Scheme, host, optional port and base path.",
        ),
    ] = spec.DEFAULT_BASE
    chat_id: ValueText | None = Field(
        default=None, description="Open this chat session (adds `direct=1`)."
    )
    lang: ValueText | None = None
    sbs: ValueText | None = Field(default=None, description="Customer identifier to sign.")
    ranstr: ValueText | None = Field(
        default=None, description="Random string of the signature; generated when omitted."
    )
    name: ValueText | None = None
    nickname: ValueText | None = None
    email: ValueText | None = None
    phone: ValueText | None = None
    theme: Literal["light", "dark", "system"] | None = None
    is_app: bool = False
    customer_remark: ValueText | None = None
    ext_fk_id: ValueText | None = None
    referer: ValueText | None = None
    referer_url: ValueText | None = None
    source_title: ValueText | None = None
    extra: list[ExtraParam] = Field(default_factory=list, max_length=spec.MAX_EXTRA_PARAMS)
    sign: bool = Field(
        default=True, description="Sign `sbs` with the server's secret for the app, if it has one."
    )


# QR -----------------------------------------------------------------------


class QrRequest(RequestModel):
    link: Annotated[str, Field(max_length=MAX_QR_CHARS), AfterValidator(_valid_unicode)]
    scale: WholeNumber = Field(default=4, ge=1, le=20, description="Size of one module in pixels.")
    border: WholeNumber = Field(default=4, ge=0, le=10, description="Quiet zone in modules.")


# Explain ------------------------------------------------------------------


def _snippet_language(value: str) -> str:
    if value not in LANGUAGES:
        raise ValueError(f"no snippet for {value!r}: the languages are {', '.join(LANGUAGES)}")
    return value


SnippetLanguage = Annotated[
    str,
    AfterValidator(_snippet_language),
    WithJsonSchema({"type": "string", "enum": list(LANGUAGES)}),
]


class ExplainRequest(RequestModel):
    link: LinkText
    batch: list[BatchLinkText] = Field(
        default_factory=list,
        max_length=spec.MAX_LINKS_PER_REQUEST,
        description="Other links of the same batch: their sbs/ranstr may have been mixed up.",
    )
    language: SnippetLanguage | None = Field(
        default=None,
        description="A server language: on a mismatch, `fix_in_code` shows the lines of its "
        "signing snippet (`directlink snippet LANGUAGE`) that do right what the link did wrong.",
    )


class HashStep(ResponseModel):
    label: str
    algorithm: str
    encoding: str
    hashed: str = Field(description="The hashed string; the secret shows as `<AppSecret>`.")
    result: str = Field(description="The digest; a credential digest only as a fingerprint.")


class HypothesisMatch(ResponseModel):
    hypothesis: str = Field(description="Stable hypothesis id, e.g. `uppercase-hex`.")
    description: str
    fix: str
    variant: str
    uppercase: bool
    secret_label: str | None
    batch_index: int | None
    batch_link: str | None
    steps: list[HashStep]


class DiagnosisBody(ResponseModel):
    ok: bool
    headline: str
    expected: str
    given: str
    given_problem: str | None
    sbs: str
    ranstr: str
    raw_sbs: str | None
    raw_ranstr: str | None
    secret_length: int
    secret_fingerprint: str
    steps: list[HashStep]
    matches: list[str] = Field(
        description="Hypothesis ids reproducing the given sbs_mm, best first."
    )
    suggested: list[str]
    details: list[HypothesisMatch]


class SnippetLine(ResponseModel):
    line: int = Field(description="Line number in the snippet file.")
    text: str


class SnippetFix(ResponseModel):
    hypothesis: str | None = Field(
        description="The mistake these lines avoid; `null`: the cause is unknown, so the "
        "two hashing steps to compare with."
    )
    lines: list[SnippetLine]


class FixInCode(ResponseModel):
    language: str
    title: str
    file: str = Field(description="The snippet's file name in the package.")
    command: str = Field(description="The command that prints the whole snippet.")
    fixes: list[SnippetFix]


ExplainVerdict = Literal["verified", "mismatch", "unsigned", "no-secret", "not-a-direct-link"]


class ExplainResponse(ResponseModel):
    verdict: ExplainVerdict = Field(
        description=(
            "`verified`: the signature is right; `mismatch`: it is wrong (see diagnosis); "
            "`unsigned`: the link has no complete signature; `no-secret`: the server has no "
            "secret for the app; `not-a-direct-link`: no app id to look a secret up by."
        )
    )
    app_id: str | None
    message: str = Field(description="The verdict in one sentence.")
    diagnosis: DiagnosisBody | None
    fix_in_code: FixInCode | None = Field(
        default=None, description="With `language` and a mismatch: the snippet lines to copy."
    )


# Reports (the structure of ``validator.serialize.report_to_dict``) ---------

Severity = Literal["error", "warning", "info"]
SpanBody = Annotated[
    list[int],
    Field(
        min_length=2,
        max_length=2,
        description="`[start, end)` character offsets into the link as given.",
    ),
]


class ParamBody(ResponseModel):
    name: str = Field(description="Decoded name, as the page reads it.")
    value: str = Field(description="Decoded value, as the page reads it.")
    raw: str = Field(description="The `name=value` piece as written.")
    raw_name: str
    raw_value: str | None = Field(description="The value as written; null without `=`.")
    span: SpanBody
    value_span: SpanBody


class LinkBody(ResponseModel):
    input: str
    is_url: bool
    error: str | None
    scheme: str | None
    host: str | None
    port: int | None
    path: str
    base_path: str | None
    app_id: str | None
    trailing_slash: bool
    has_credentials: bool
    query: str | None
    fragment: str | None
    params: list[ParamBody]
    fragment_params: list[ParamBody] = Field(description="Parameters after `#` (not read).")
    chat_id: str | None
    lang: str | None


class ParamEdit(ResponseModel):
    param: str
    value: str | None = Field(description="The new value, or null to drop the parameter.")


class Replacement(ResponseModel):
    span: SpanBody
    content: str


class FixBody(ResponseModel):
    description: str
    safe: bool = Field(description="Whether applying it keeps what the link does.")
    edits: list[ParamEdit]
    replacements: list[Replacement]


class FindingBody(ResponseModel):
    code: str = Field(description="Stable rule code, e.g. `DL101`.")
    name: str = Field(description="Stable kebab-case rule name.")
    severity: Severity
    message: str
    span: SpanBody | None
    param: str | None
    client: Literal["browser", "sdk"] | None
    fix: FixBody | None


class OutcomeBody(ResponseModel):
    view: Literal["session", "home"]
    chat_id: str | None
    language: str
    language_source: Literal["lang-param", "browser", "fallback"]
    identity: Literal["anonymous", "unverified", "verified", "rejected"]
    customer: dict[str, str]
    sbs: str | None
    assumptions: list[str]
    rejected_reason: str | None


class ReportBody(ResponseModel):
    """One link's report: the same structure as `directlink check --format json`."""

    link: LinkBody
    ok: bool = Field(description="No finding of severity error.")
    worst: Severity | None
    summary: str = Field(description="What the page will do, in one line.")
    findings: list[FindingBody]
    outcome: OutcomeBody = Field(description="What a browser does with the link.")
    outcomes: dict[str, OutcomeBody] = Field(description="Per client: `browser`, `sdk`.")
    redacted: bool = Field(default=False, description="Customer data masked (`redact_pii`).")


# Check --------------------------------------------------------------------

MAX_LINKS = spec.MAX_LINKS_PER_REQUEST


def _selector_choices() -> list[str]:
    choices = {"ALL"}
    for rule in RULES:
        choices.add(rule.name)
        choices.update(rule.code[:end] for end in range(2, len(rule.code) + 1))
    return sorted(choices)


SELECTOR_CHOICES = frozenset(_selector_choices())


def _known_selector(value: str) -> str:
    if value not in SELECTOR_CHOICES:
        raise ValueError(
            f"{value!r} selects no rule (give ALL, a code such as DL101, a prefix such as DL3, "
            "or a rule name)"
        )
    try:
        resolve_selectors([value])
    except SelectorError as error:  # pragma: no cover - the choices come from the registry
        raise ValueError(str(error)) from None
    return value


Selector = Annotated[
    str,
    AfterValidator(_known_selector),
    WithJsonSchema({"type": "string", "enum": sorted(SELECTOR_CHOICES)}),
]


AcceptLanguage = Annotated[str, Field(max_length=1024), AfterValidator(_valid_unicode)]


class CheckOptions(RequestModel):
    accept_language: AcceptLanguage | None = Field(
        default=None,
        description="The visitor browser's Accept-Language, e.g. `pt-BR,pt;q=0.9,en;q=0.8`.",
    )
    context: Literal["private", "public", "qr", "email"] | None = Field(
        default=None, description="Where the link is published; default: the server's config."
    )
    select: list[Selector] | None = Field(
        default=None,
        max_length=200,
        description="Rules to run (replaces the server's selection): codes, prefixes, names, ALL.",
    )
    ignore: list[Selector] = Field(
        default_factory=list,
        max_length=200,
        description="Rules to skip, on top of those the server's config ignores.",
    )
    redact_pii: bool = Field(
        default=False, description="Mask sbs and customer fields in the report."
    )


class CheckRequest(CheckOptions):
    link: LinkText


class CheckManyRequest(CheckOptions):
    links: list[BatchLinkText] = Field(
        max_length=MAX_LINKS,
        description=f"At most {MAX_LINKS} links of at most {MAX_BATCH_LINK_CHARS} characters, "
        "checked as one batch.",
    )


class BatchSummary(ResponseModel):
    links: int
    ok: int = Field(description="Links without an error.")
    errors: int
    warnings: int
    infos: int


class CheckManyResponse(ResponseModel):
    reports: list[ReportBody] = Field(description="One report per link, in request order.")
    summary: BatchSummary


# Fix ----------------------------------------------------------------------


class FixRequest(CheckOptions):
    link: LinkText
    unsafe: bool = Field(
        default=False, description="Also apply fixes that change what the link does."
    )


class AppliedFix(ResponseModel):
    code: str
    description: str


class FixResponse(ResponseModel):
    input: str
    fixed: str = Field(description="The fixed link (the input, trimmed, when nothing applied).")
    changed: bool
    applied: list[AppliedFix]
    fixed_codes: list[str] = Field(description="Codes reported before and no longer after.")
    report: ReportBody = Field(description="The report of the fixed link.")


# Build response -------------------------------------------------------------


class BuildResponse(ResponseModel):
    link: str = Field(description="The canonical link.")
    signed: bool = Field(description="Whether `sbs_mm` was computed with the server's secret.")
    note: str | None = Field(description="Why `sbs` was left unsigned, where it was.")
    report: ReportBody = Field(description="The report of the built link.")


# Rules --------------------------------------------------------------------


class RuleSummary(ResponseModel):
    code: str
    name: str
    severity: Severity = Field(description="Default severity.")
    family: str
    summary: str
    fixable: bool
    fix_safe: bool


class RuleList(ResponseModel):
    rules: list[RuleSummary]


class RuleDoc(RuleSummary):
    why: str = Field(description="Why it matters.")
    bad: str = Field(description="A link the rule reports.")
    good: str = Field(description="The same link done right.")
    fix_description: str
    configured_severity: Severity | None = Field(
        description="The severity the server's configuration gives it, where overridden."
    )
    selected: bool = Field(description="Whether the server's configuration runs it.")
