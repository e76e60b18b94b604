"""The API's endpoints, versioned under ``/v1``, plus ``/healthz``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from validator.build import BuildError, build
from validator.diagnose import ExplainError, diagnosis_to_dict, explain
from validator.parse import parse
from validator.redact import Redactor
from validator.rules import RULES, get_rule
from validator.service.checking import (
    check_batch,
    check_one,
    fix_one,
    report_body,
    rule_doc,
    rule_summary,
    summarize,
)
from validator.service.models import (
    BuildRequest,
    BuildResponse,
    CheckManyRequest,
    CheckManyResponse,
    CheckOptions,
    CheckRequest,
    DiagnosisBody,
    ExplainRequest,
    ExplainResponse,
    FixInCode,
    FixRequest,
    FixResponse,
    Health,
    QrRequest,
    ReportBody,
    RuleDoc,
    RuleList,
)
from validator.service.openapi import error_responses
from validator.service.problems import (
    CANNOT_BUILD,
    SECRET_IN_LINK,
    UNKNOWN_RULE,
    UNSUPPORTED_MEDIA_TYPE,
    ApiProblem,
)
from validator.service.qr import qr_svg
from validator.service.redaction import SecretMatcher
from validator.service.settings import ServiceSettings
from validator.signing_snippets import fix_for
from validator.version import __version__


async def get_settings(request: Request) -> ServiceSettings:
    settings: ServiceSettings = request.app.state.settings
    return settings


async def require_json(request: Request) -> None:
    """Bodies are JSON: any other media type is refused with 415."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        raise ApiProblem(
            415,
            "send the body as application/json"
            + (f" (got {media_type})" if media_type else " (no Content-Type given)"),
            type_=UNSUPPORTED_MEDIA_TYPE,
        )


Settings = Annotated[ServiceSettings, Depends(get_settings)]
JSON_BODY = [Depends(require_json)]
POST_ERRORS = error_responses(413, 415, 422)

router = APIRouter()


@router.get("/healthz", tags=["service"], responses=error_responses())
async def healthz() -> Health:
    """Liveness: answers while the service runs."""
    return Health(status="ok", version=__version__)


@router.post("/v1/check", tags=["checks"], dependencies=JSON_BODY, responses=POST_ERRORS)
def check_link(body: CheckRequest, settings: Settings) -> ReportBody:
    """Check one link: findings with spans and fixes, and what the page will do.

    The signature is checked with the server's secret for the link's app.
    """
    # In a worker thread like every check: a typical link takes a fraction of a
    # millisecond, but a pathological one (thousands of unknown keys) far longer,
    # and the event loop must keep answering meanwhile.
    report = check_one(settings, body.link, body)
    return report_body(report, redact_pii=body.redact_pii, keyring=settings.keyring)


@router.post("/v1/check-many", tags=["checks"], dependencies=JSON_BODY, responses=POST_ERRORS)
def check_links(body: CheckManyRequest, settings: Settings) -> CheckManyResponse:
    """Check up to 32 links as one batch (batch rules such as DL310 see all of them)."""
    reports = check_batch(settings, body.links, body)
    return CheckManyResponse(
        reports=[report_body(r, redact_pii=body.redact_pii, keyring=settings.keyring)
                 for r in reports],
        summary=summarize(reports),
    )


@router.post("/v1/fix", tags=["links"], dependencies=JSON_BODY, responses=POST_ERRORS)
def fix_link(body: FixRequest, settings: Settings) -> FixResponse:
    """Apply the fixes the findings carry (safe ones unless `unsafe`), and check the result."""
    return fix_one(settings, body.link, body, unsafe=body.unsafe)


@router.get("/v1/rules", tags=["rules"], responses=error_responses())
async def list_rules() -> RuleList:
    """Every rule of the catalogue, by code."""
    return RuleList(rules=[rule_summary(rule) for rule in RULES])


@router.get("/v1/rules/{rule}", tags=["rules"], responses=error_responses(404))
async def get_rule_doc(rule: str, settings: Settings) -> RuleDoc:
    """One rule's documentation, by code (`DL101`) or name (`chatid-without-direct`)."""
    found = get_rule(rule)
    if found is None:
        raise ApiProblem(
            404,
            f"no rule {rule!r}: give a code such as DL101 or a name such as chatid-without-direct",
            type_=UNKNOWN_RULE,
            title="Unknown rule",
        )
    return rule_doc(found, settings)


@router.post(
    "/v1/explain",
    tags=["signature"],
    dependencies=JSON_BODY,
    responses=POST_ERRORS,
)
def explain_link(body: ExplainRequest, settings: Settings) -> ExplainResponse:
    """Check a link's signature against the server's secret for its app, and diagnose a mismatch.

    The secret never leaves the server: hashed strings show it as
    `<AppSecret>` and the inner digest only by its first six hex characters.
    """
    link = parse(body.link)
    if link.app_id is None:
        return ExplainResponse(
            verdict="not-a-direct-link",
            app_id=None,
            message="the link has no /direct/<app_id> path, so no app secret applies",
            diagnosis=None,
        )
    secret = settings.keyring.for_app(link.app_id)
    if secret is None:
        return ExplainResponse(
            verdict="no-secret",
            app_id=link.app_id,
            message=f"the server has no secret for app {link.app_id!r}",
            diagnosis=None,
        )
    try:
        diagnosis = explain(
            link,
            secret=secret,
            candidates=settings.keyring.labelled_others(link.app_id),
            batch=body.batch,
        )
    except ExplainError as error:
        return ExplainResponse(
            verdict="unsigned", app_id=link.app_id, message=str(error), diagnosis=None
        )
    code = fix_for(body.language, diagnosis)
    return ExplainResponse(
        verdict="verified" if diagnosis.ok else "mismatch",
        app_id=link.app_id,
        message=diagnosis.headline if not diagnosis.ok else "the signature is right",
        diagnosis=DiagnosisBody.model_validate(
            Redactor(settings.keyring, same_length=True).secrets(diagnosis_to_dict(diagnosis),
                                                                 link)),
        fix_in_code=None if code is None else FixInCode.model_validate(code),
    )


@router.post(
    "/v1/qr",
    tags=["links"],
    dependencies=JSON_BODY,
    response_class=Response,
    responses={
        200: {
            "description": "The QR code as an SVG image.",
            "content": {"image/svg+xml": {"schema": {"type": "string"}}},
        },
        **POST_ERRORS,
    },
)
def qr_code(body: QrRequest, request: Request, settings: Settings) -> Response:
    """A QR code (SVG) of a link, to print or to scan with a phone.

    A link that carries one of the server's secrets gets no QR code: printed,
    it would hand the secret to whoever scans it.
    """
    matcher: SecretMatcher = request.app.state.secret_matcher
    if matcher.contains_secret(body.link) or settings.keyring.exposed_spans(parse(body.link)):
        raise ApiProblem(
            422,
            "the link carries an AppSecret (DL309): fix the link before printing it",
            type_=SECRET_IN_LINK,
            title="The link carries a secret",
        )
    svg = qr_svg(body.link, scale=body.scale, border=body.border)
    return Response(svg, media_type="image/svg+xml")


@router.post("/v1/build", tags=["links"], dependencies=JSON_BODY, responses=POST_ERRORS)
def build_link(body: BuildRequest, settings: Settings) -> BuildResponse:
    """Build a canonical link; `sbs` is signed when the server has the app's secret."""
    link, signed, note = build_values(body, settings)
    report = check_one(settings, link, CheckOptions())
    return BuildResponse(link=link, signed=signed, note=note,
                         report=report_body(report, keyring=settings.keyring))


def build_values(body: BuildRequest, settings: ServiceSettings) -> tuple[str, bool, str | None]:
    """The built link, whether it is signed, and a note when sbs was left unsigned."""
    secret = settings.keyring.for_app(body.app_id) if body.sbs is not None and body.sign else None
    note = None
    if body.sbs is not None and secret is None:
        note = "sbs is not signed: " + (
            "signing was not asked for"
            if not body.sign
            else f"the server has no secret for app {body.app_id!r}"
        )
    try:
        link = build(
            body.app_id,
            base=body.base,
            chat_id=body.chat_id,
            lang=body.lang,
            sbs=body.sbs,
            ranstr=body.ranstr,
            name=body.name,
            nickname=body.nickname,
            email=body.email,
            phone=body.phone,
            theme=body.theme,
            is_app=body.is_app,
            customer_remark=body.customer_remark,
            ext_fk_id=body.ext_fk_id,
            referer=body.referer,
            referer_url=body.referer_url,
            source_title=body.source_title,
            extra=[(p.name, p.value) for p in body.extra],
            secret=secret,
        )
    except BuildError as error:
        raise ApiProblem(
            422, str(error), type_=CANNOT_BUILD, title="Cannot build the link"
        ) from None
    return link, secret is not None, note
