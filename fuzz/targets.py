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
from typing import Any

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


# One harness per reader ------------------------------------------------------------------
#
# Each reader is fed raw bytes as a file would hold them, without the failure guard:
# a documented refusal (a budget, an image that is no image, a file that is no
# document) is an answer; any other exception is a defect the guard would hide.
# Budgets are small so a crafted input cannot make one run slow.

#: Budgets the reader harnesses run under.
FUZZ_BUDGET_PIXELS = 1 << 20
FUZZ_BUDGET_PART_BYTES = 1 << 16


def _budget() -> Any:
    from validator.extract import ReadBudget

    return ReadBudget(image_pixels=FUZZ_BUDGET_PIXELS, email_part_bytes=FUZZ_BUDGET_PART_BYTES,
                      html_depth=64)


def _refusals() -> tuple[type[BaseException], ...]:
    from validator.extract import BudgetExceeded, SkipFile

    refusals: list[type[BaseException]] = [BudgetExceeded, SkipFile]
    if _has("zxingcpp") and _has("PIL"):
        from validator.extract.qr import ImageError

        refusals.append(ImageError)
    return tuple(refusals)


def _check_found(items: Any, source: str) -> int:
    from validator.extract import ExtractedLink

    count = 0
    for found in items:
        location = found.location
        _require(location.line >= 1 and location.column >= 1, f"bad location in {source}")
        _require("\n" not in (location.part or "") and "\n" not in (location.json_path or ""),
                 f"a location label over two lines in {source}")
        if isinstance(found, ExtractedLink):
            _require(parse(found.url).is_url, f"{source} found {found.url!r}, not a URL")
            count += 1
    return count


def extract_eml(data: bytes) -> None:
    """An e-mail read part by part: only documented refusals, parts numbered in order."""
    from validator.extract.candidates import LinkFilter
    from validator.extract.eml import scan_eml

    try:
        _check_found(scan_eml(data, path="fuzz.eml", link_filter=LinkFilter(),
                              budget=_budget()), "the e-mail reader")
    except _refusals():
        return


def extract_csv(data: bytes) -> None:
    """CSV (first byte even) or TSV: no exception at all; a row the csv module
    refuses ends tabular reading, and the rest is read as text."""
    from validator.extract import ReadLog, extract_text

    if not data:
        return
    text = as_text(data[1:])
    kind = "csv" if data[0] % 2 == 0 else "tsv"
    log = ReadLog()
    _check_found(extract_text(text, kind=kind, log=log), "the table reader")
    for problem in log.problems:
        _require(problem.startswith("row ") and problem.endswith("the rest read as text"),
                 f"the table reader gave up otherwise: {problem}")


def extract_json(data: bytes) -> None:
    """JSON (first byte even) or JSON Lines read from bytes: no exception, short paths."""
    import io

    from validator import spec
    from validator.extract.candidates import LinkFilter
    from validator.extract.jsondoc import scan_json, scan_jsonl
    from validator.extract.text import decode_bytes, sniff_encoding

    if not data:
        return
    body = data[1:]
    if data[0] % 2 == 0:
        text, _ = decode_bytes(body)
        items = list(scan_json(text, path="fuzz.json", link_filter=LinkFilter()))
    else:
        items = list(scan_jsonl(io.BytesIO(body), path="fuzz.jsonl", link_filter=LinkFilter(),
                                encoding=sniff_encoding(body[:4096])))
    _check_found(items, "the JSON reader")
    # Every step is an index or a key cut at MAX_JSON_KEY_CHARS (escaping at most
    # doubles it), and at most MAX_JSON_PATH_STEPS steps are written.
    longest_step = 2 * (spec.MAX_JSON_KEY_CHARS + 32)
    longest_path = spec.MAX_JSON_PATH_STEPS * longest_step + 64
    for item in items:
        written = len(item.location.json_path or "")
        _require(written <= longest_path, "a JSON path written at full depth or key length")


def extract_html_deep(data: bytes) -> None:
    """HTML with a depth cap of 64: the flat tokenizing past it never raises."""
    from validator.extract.candidates import LinkFilter
    from validator.extract.html import scan_html

    text = as_text(data)
    _check_found(scan_html(text, path="fuzz.html", link_filter=LinkFilter(), max_depth=8),
                 "the HTML reader past its depth cap")
    _check_extracted(text, "html")


def extract_image(data: bytes) -> None:
    """Image bytes: decoded only within the budget, refused in words otherwise."""
    if not (_has("zxingcpp") and _has("PIL")):
        return
    from validator.extract.candidates import LinkFilter
    from validator.extract.qr import scan_image_bytes

    try:
        _check_found(scan_image_bytes(data, path="fuzz.png", link_filter=LinkFilter(),
                                      budget=_budget()), "the image reader")
    except _refusals():
        return


def decode_stream(data: bytes) -> None:
    """Streamed decoding loses nothing: chunks of 7 bytes find what one whole read finds."""
    import io

    from validator.extract.candidates import LinkFilter
    from validator.extract.text import decode_bytes, scan_stream, scan_string

    whole_text, _ = decode_bytes(data)
    if whole_text.startswith("\ufeff"):
        whole_text = whole_text[1:]
    links = LinkFilter()
    whole = [(f.url, f.location.line) for f in scan_string(whole_text, path="f", kind="text",
                                                             link_filter=links)]
    streamed = [(f.url, f.location.line) for f in scan_stream(io.BytesIO(data), path="f",
                                                              link_filter=links, chunk_bytes=7)]
    _require(streamed == whole, f"streamed decoding found {streamed}, a whole read {whole}")


# Explain -----------------------------------------------------------------------------------


def explain_signature(data: bytes) -> None:
    """explain() refuses only with ExplainError; nothing it renders leaks a credential."""
    from validator.diagnose import ExplainError, diagnosis_to_dict, explain
    from validator.report.explain_text import render_diagnosis

    text = as_text(data)
    try:
        diagnosis = explain(text, secret=FUZZ_SECRET)
    except ExplainError as refusal:
        message = str(refusal)
        _no_secret(message, "the refusal")
        for name in ("sbs", "ranstr", "sbs_mm"):
            # Once as missing, at most once more as written after '#'.
            named = len(re.findall(rf"(?<!\w){name}(?!\w)", message))
            _require(named <= 2, f"the refusal names {name} {named} times: {message!r}")
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
    "extract_eml": extract_eml,
    "extract_csv": extract_csv,
    "extract_json": extract_json,
    "extract_html_deep": extract_html_deep,
    "extract_image": extract_image,
    "decode_stream": decode_stream,
}

#: libFuzzer's -max_len per harness (8192 where not named): whole documents for the readers.
MAX_LEN: dict[str, int] = {
    "extract_eml": 1 << 17,
    "extract_csv": 1 << 16,
    "extract_json": 1 << 16,
    "extract_html": 1 << 16,
    "extract_html_deep": 1 << 16,
    "extract_image": 1 << 18,
    "decode_stream": 1 << 15,
}
