"""Plain-data (JSON-ready) forms of the model, shared by every output and the HTTP API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from validator.model import DirectLink, Finding, Fix, Outcome, Param, Report, describe
from validator.redact import Redactor

if TYPE_CHECKING:
    from validator.extract.model import Location


def param_to_dict(param: Param) -> dict[str, Any]:
    return {
        "name": param.name,
        "value": param.value,
        "raw": param.raw,
        "raw_name": param.raw_name,
        "raw_value": param.raw_value,
        "span": list(param.span),
        "value_span": list(param.value_span),
    }


def link_to_dict(link: DirectLink) -> dict[str, Any]:
    return {
        "input": link.input,
        "is_url": link.is_url,
        "error": link.error,
        "scheme": link.scheme,
        "host": link.host,
        "port": link.port,
        "path": link.path,
        "base_path": link.base_path,
        "app_id": link.app_id,
        "trailing_slash": link.trailing_slash,
        "has_credentials": bool(link.username) or link.password is not None,
        "query": link.query,
        "fragment": link.fragment,
        "params": [param_to_dict(p) for p in link.params],
        "fragment_params": [param_to_dict(p) for p in link.fragment_params],
        "chat_id": link.chat_id,
        "lang": link.lang,
    }


def location_to_dict(location: Location) -> dict[str, Any]:
    """Where a link was found: path, line, column, kind, json_path, part (in that order;
    written out, which is twice as fast as ``Location._asdict``)."""
    return {
        "path": location.path,
        "line": location.line,
        "column": location.column,
        "kind": location.kind,
        "json_path": location.json_path,
        "part": location.part,
    }


# Reports --------------------------------------------------------------------


def fix_to_dict(fix: Fix) -> dict[str, Any]:
    return {
        "description": fix.description,
        "safe": fix.safe,
        "edits": [{"param": name, "value": value} for name, value in fix.edits],
        "replacements": [
            {"span": list(span), "content": content} for span, content in fix.replacements
        ],
    }


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    # The fields in one call: a lazy finding's are properties, and an audit writes a
    # finding for nearly every link.
    code, name, severity, message, span, param, fix, client = finding.field_values()
    return {
        "code": code,
        "name": name,
        "severity": severity,
        "message": message,
        "span": list(span) if span is not None else None,
        "param": param,
        "client": client,
        "fix": fix_to_dict(fix) if fix is not None else None,
    }


def outcome_to_dict(outcome: Outcome) -> dict[str, Any]:
    return {
        "view": outcome.view,
        "chat_id": outcome.chat_id,
        "language": outcome.language,
        "language_source": outcome.language_source,
        "identity": outcome.identity,
        "customer": dict(outcome.customer),
        "sbs": outcome.sbs,
        "assumptions": list(outcome.assumptions),
        "rejected_reason": outcome.rejected_reason,
    }


def report_to_dict(report: Report, *, redact_pii: bool = False) -> dict[str, Any]:
    """The whole report as plain data: link, findings (spans, fixes), outcome and outcomes.

    With ``redact_pii`` the values of ``sbs`` and the customer fields are masked
    with ``*`` of the same length in the input (so spans stay valid) and
    replaced by ``***`` in values and messages.
    """
    data = {
        "link": link_to_dict(report.link),
        "ok": report.ok,
        "worst": report.worst(),
        "summary": describe(report.outcome),
        "findings": [finding_to_dict(f) for f in report.findings],
        "outcome": outcome_to_dict(report.outcome),
        "outcomes": {client: outcome_to_dict(o) for client, o in report.outcomes.items()},
    }
    return Redactor(pii=True).report_dict(data, report.link) if redact_pii else data
