"""The fuzz targets: one function per harness, taking raw bytes, raising on a defect.

A target raises where the code under test crashes (any exception that is not
the documented refusal) or misjudges (an oracle below fails). The same
targets are driven by atheris (``fuzz/atheris_main.py``, coverage-guided) and
by hypothesis (``fuzz/hypothesis_main.py``, where atheris is missing), and
``tests/test_corpora.py`` replays every regression file through them.

Bytes become text as ``bytes.decode("utf-8", "surrogateescape")``: valid
UTF-8 stays as it is, every other byte becomes a lone surrogate, so the
fuzzer reaches the "any Python str" inputs the API promises to take.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from validator import parse, spec
from validator.build import BuildError, rebuild
from validator.signature import Secret, inner_digest, verify

#: The AppSecret the harnesses check with; any output holding it is a leak.
FUZZ_SECRET = Secret("f0c1e5a7b2d94e6c8a3b5d7e9f1a2c4b")
_CODE = re.compile(r"DL[0-9]{3}")
_SEVERITIES = frozenset({"error", "warning", "info"})


class Misjudgement(AssertionError):
    """An oracle failed: the code ran but gave a wrong answer."""


def as_text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise Misjudgement(message)


def _no_secret(text: str, where: str) -> None:
    _require(FUZZ_SECRET.reveal() not in text, f"the AppSecret leaked into {where}")


# Parse and check ---------------------------------------------------------------------


def check_parse(text: str) -> None:
    """parse() never raises; spans point into the input; rebuild is canonical."""
    link = parse(text)
    length = len(text)
    _require(link.is_url == (link.error is None), "is_url and error disagree")
    if link.is_url:
        _require(link.host is not None, "a URL without a host")
    for param in (*link.params, *link.fragment_params):
        for start, end in (param.span, param.name_span, param.value_span):
            _require(0 <= start <= end <= length, f"span {start, end} outside the input")
    seen: dict[str, str] = {}
    for param in link.params:
        seen.setdefault(param.name, param.value)
    for name, value in seen.items():
        _require(link.get(name) == value, f"get({name!r}) is not the first value")
    if link.is_url and link.app_id is not None:
        try:
            canonical = rebuild(link)
        except BuildError:
            return
        again = parse(canonical)
        _require(again.is_url, f"the canonical form {canonical!r} is not a URL")
        for key in spec.CANONICAL_ORDER:
            if key != spec.DIRECT:
                _require(again.get(key) == link.get(key) or key == spec.CHATID, f"{key} changed")
        _require(again.chat_id == link.chat_id, "the chat id changed when rebuilt")
        _require(rebuild(again) == canonical, "rebuilding the canonical form changed it")


def _check_report(text: str) -> None:
    from validator.check import check

    report = check(text, secret=FUZZ_SECRET)
    length = len(text)
    for finding in report.findings:
        _require(bool(_CODE.fullmatch(finding.code)), f"bad code {finding.code!r}")
        _require(finding.severity in _SEVERITIES, f"bad severity {finding.severity!r}")
        if finding.span is not None:
            start, end = finding.span
            _require(0 <= start <= end <= length, f"{finding.code} span outside the input")
        _no_secret(finding.message, f"the {finding.code} message")
        if finding.fix is not None:
            _no_secret(finding.fix.description, f"the {finding.code} fix")
    _require(set(report.outcomes) >= {"browser", "sdk"}, "an outcome is missing")
    link = report.link
    browser = report.outcome
    codes = set(report.codes())
    if browser.view == "session":
        _require(link.direct == spec.DIRECT_VALUE, "a session opens without direct=1")
        _require(bool(link.chat_id), "a session opens without a chat id")
    signed = link.sbs is not None and link.sbs_mm is not None and link.ranstr is not None
    genuine = signed and verify(link.sbs or "", link.ranstr or "", link.sbs_mm or "", FUZZ_SECRET)
    if browser.identity == "verified":
        _require(genuine, "identity 'verified' for a signature that does not verify")
    if genuine:
        _require(not codes & {"DL306", "DL307"}, "a correct signature reported as wrong")
    elif signed and link.is_url:
        _require(bool(codes & {"DL306", "DL307"}), "a wrong signature went unreported")
    if "DL101" in codes:
        _require(link.direct is None and link.chat_id is not None, "DL101 without its cause")


def _check_fix(text: str) -> None:
    from validator.check import check
    from validator.fix import fix

    fixed = fix(text)
    if fixed == text:
        return
    _require(fix(fixed) == fixed, "fix is not idempotent")
    left = [f.code for f in check(fixed).findings if f.fix is not None and f.fix.safe]
    _require(not left, f"fix left safe-fixable findings {left}")


def parse_check(data: bytes) -> None:
    text = as_text(data)
    check_parse(text)
    if _has("validator.check"):
        _check_report(text)
    # fix() re-checks the link up to ten times: run it on one input in four
    # (picked by the last byte, so libFuzzer can steer into it) to keep speed.
    if data and data[-1] % 4 == 0 and _has("validator.fix"):
        _check_fix(text)


# Extraction -------------------------------------------------------------------------------

_KINDS = ("text", "markdown", "json", "csv")


def _check_extracted(text: str, kind: str) -> None:
    from validator.extract import ExtractedLink, extract_text

    for found in extract_text(text, kind=kind):  # type: ignore[arg-type]
        _require(found.location.line >= 1 and found.location.column >= 1, "bad location")
        if isinstance(found, ExtractedLink):
            link = parse(found.url)
            _require(link.is_url, f"extracted {found.url!r}, which is not a URL")


def extract_from_text(data: bytes) -> None:
    """Text, Markdown, JSON and CSV extraction (the first byte picks the kind)."""
    if not data:
        return
    _check_extracted(as_text(data[1:]), _KINDS[data[0] % len(_KINDS)])


def extract_from_html(data: bytes) -> None:
    _check_extracted(as_text(data), "html")


# Explain -----------------------------------------------------------------------------------


def explain_signature(data: bytes) -> None:
    """explain() refuses only with ExplainError; nothing it renders leaks a credential."""
    from validator.diagnose import ExplainError, diagnosis_to_dict, explain
    from validator.report.explain_text import render_diagnosis

    text = as_text(data)
    try:
        diagnosis = explain(text, secret=FUZZ_SECRET)
    except ExplainError as refusal:
        _no_secret(str(refusal), "the refusal")
        return
    rendered = render_diagnosis(diagnosis, url=text)
    serialised = repr(diagnosis_to_dict(diagnosis))
    for output, where in ((rendered, "the text diagnosis"), (serialised, "the JSON diagnosis")):
        if FUZZ_SECRET.reveal() not in text:
            _no_secret(output, where)
        digest = inner_digest(diagnosis.sbs, FUZZ_SECRET)
        if digest not in text:
            _require(digest not in output, f"the full inner digest leaked into {where}")
    _require(diagnosis.ok == (diagnosis.given == diagnosis.expected), "ok disagrees with values")


def _has(module: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


#: Harness name -> target. Seed corpora live in ``corpora/fuzz/<name>/``.
TARGETS: dict[str, Callable[[bytes], None]] = {
    "parse_check": parse_check,
    "extract_text": extract_from_text,
    "extract_html": extract_from_html,
    "explain": explain_signature,
}
