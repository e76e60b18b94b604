"""Every rule: a link that fires it (exact code, severity, span) and a near miss that does not."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from validator import Config, check, check_many, sign
from validator.model import Finding
from validator.rules import RULES, get_rule, resolve_selectors
from validator.rules.docs import render_markdown

B = "https://visitorchat.twt.com/direct/demo_app"
SECRET = "k3y-for-tests"
RANSTR = "Qm9yTnx3aWZpLXN0YXI"
GOOD_MM = sign("42", RANSTR, SECRET)
SIGNED = f"{B}?sbs=42&sbs_mm={GOOD_MM}&ranstr={RANSTR}"
HEX = "0cc175b9c0f1b6a831c399e269772661"


@dataclass
class Case:
    code: str
    fires: str
    #: The text the finding's span covers, and which occurrence of it (0 = first).
    marked: str
    severity: str
    near_miss: str
    occurrence: int = 0
    options: dict[str, Any] = field(default_factory=dict)
    near_options: dict[str, Any] | None = None


CASES = [
    Case("DL001", "visitorchat.twt.com/direct/demo_app", "visitorchat.twt.com/direct/demo_app",
         "error", B),
    Case("DL002", "http://visitorchat.twt.com/direct/demo_app", "http", "error", B),
    Case("DL003", "https://visitorchat.twt.com/chat/demo_app", "/chat/demo_app", "error", B),
    Case("DL004", "https://visitorchat.twt.com/direct/demo%20app", "demo%20app", "error",
         "https://visitorchat.twt.com/direct/demo-App_1"),
    Case("DL005", "https://u:p@visitorchat.twt.com/direct/demo_app", "u:p@", "error", B),
    Case("DL006", f"{B}#direct=1&chatid=s1", "direct=1", "warning", f"{B}#direct-links"),
    Case("DL007", B, "visitorchat.twt.com", "warning", B,
         options={"config": Config(allowed_hosts=("visitor.chattwt.com",))},
         near_options={"config": Config(allowed_hosts=("*.twt.com",))}),
    Case("DL008", f"{B}/?direct=1&chatid=s1", "/", "warning", f"{B}?direct=1&chatid=s1",
         occurrence=4),
    Case("DL101", f"{B}?chatid=s1", "chatid=s1", "error", f"{B}?direct=0&chatid=s1"),
    Case("DL102", f"{B}?direct=1", "direct=1", "error", f"{B}?direct=1&chatid="),
    Case("DL103", f"{B}?direct=true&chatid=s1", "true", "error", f"{B}?direct=1&chatid=s1"),
    Case("DL104", f"{B}?direct=1&chatid=s1&chat_id=s2", "chat_id=s2", "error",
         f"{B}?direct=1&chatid=s1&chat_id=s1"),
    Case("DL105", f"{B}?direct=1&chatid=", "chatid=", "error", f"{B}?direct=1&chatid=0"),
    Case("DL106", f"{B}?direct=1&chatid=s1&chat_id=s1", "chat_id=s1", "info",
         f"{B}?direct=1&chatid=s1&chat_id=s2"),
    Case("DL201", f"{B}?lang=xx", "xx", "warning", f"{B}?lang=ja"),
    Case("DL202", f"{B}?lang=pt-BR", "pt-BR", "warning", f"{B}?lang=pt"),
    Case("DL203", f"{B}?lang=&direct=1&chatid=s1", "lang=", "warning", f"{B}?direct=1&chatid=s1"),
    Case("DL301", f"{B}?sbs=42", "sbs=42", "error", SIGNED),
    Case("DL302", f"{B}?sbs_mm={HEX}&ranstr={RANSTR}", f"sbs_mm={HEX}", "error", SIGNED),
    Case("DL303", f"{B}?sbs=42&sbs_mm={HEX}", f"sbs_mm={HEX}", "error", SIGNED),
    Case("DL304", f"{B}?sbs=42&sbs_mm={HEX}&ranstr=x7Qa", "x7Qa", "warning", SIGNED),
    Case("DL305", f"{B}?sbs=42&sbs_mm={HEX}&ranstr=1700000000000000", "1700000000000000",
         "warning", SIGNED),
    Case("DL306", f"{B}?sbs=42&sbs_mm={HEX.upper()}&ranstr={RANSTR}", HEX.upper(), "error",
         f"{B}?sbs=42&sbs_mm={HEX}&ranstr={RANSTR}"),
    Case("DL307", f"{B}?sbs=42&sbs_mm={'0' * 32}&ranstr={RANSTR}", "0" * 32, "error", SIGNED,
         options={"secret": SECRET}, near_options={"secret": SECRET}),
    Case("DL308", SIGNED, f"sbs_mm={GOOD_MM}", "info", SIGNED, near_options={"secret": SECRET}),
    Case("DL309", f"{B}?sbs=42&App_Secret=zzz", "App_Secret=zzz", "error", f"{B}?sbs=42&sec=zzz"),
    Case("DL311", f"{B}?sbs=john+doe", "john+doe", "warning", f"{B}?sbs=john%20doe"),
    Case("DL312", f"{B}?name=Ann", "name=Ann", "info", f"{B}?sbs=42"),
    Case("DL313", SIGNED, "sbs=42", "info", SIGNED, options={"secret": SECRET}, near_options={}),
    Case("DL401", f"{B}?email=ann.example.com", "ann.example.com", "warning",
         f"{B}?email=ann%40example.com"),
    Case("DL402", f"{B}?phone=call-me", "call-me", "warning", f"{B}?phone=%2B8613800000000"),
    Case("DL403", f"{B}?name=Ann", "name=Ann", "warning", f"{B}?name=Ann",
         options={"config": Config(context="public")}, near_options={}),
    Case("DL404", f"{B}?name=&sbs=1", "name=", "info", f"{B}?name=Ann"),
    Case("DL501", f"{B}?direct=1&chatid=s1&chatid=s2", "chatid=s2", "warning",
         f"{B}?direct=1&chatid=s1"),
    Case("DL502", f"{B}?session=s1", "session", "info", f"{B}?chatId=s1"),
    Case("DL503", f"{B}?direct=1&chatId=s1", "chatId", "warning", f"{B}?session=s1"),
    Case("DL504", f"{B}?name=100%", "%", "warning", f"{B}?name=100%25"),
    Case("DL505", f"{B}?note=%D5%C5", "%D5%C5", "warning", f"{B}?note=%E5%BC%A0"),
    Case("DL506", f"{B}?direct=1&&chatid=s1", "&", "info", f"{B}?direct=1&chatid=s1",
         occurrence=1),
    Case("DL507", f"{B}?name=Ann Lee", " ", "warning", f"{B}?name=Ann%20Lee"),
    Case("DL508", f"{B}?email=ann%2540example.com", "ann%2540example.com", "warning",
         f"{B}?email=ann%40example.com"),
    Case("DL509", f"{B}?name={'a' * 2000}", "a" * (len(B) + 6), "warning",
         f"{B}?name={'a' * 1900}", occurrence=0),
    Case("DL510", f"{B}?direct=1&chatid=s1%20", "s1%20", "warning", f"{B}?direct=1&chatid=s1"),
    Case("DL511", f"{B}?direct=1&chatid={{SESSION_ID}}", "{SESSION_ID}", "error",
         f"{B}?direct=1&chatid=session-1"),
    Case("DL512", f"{B}?sbs=john+doe", "sbs=john+doe", "warning", f"{B}?sbs=john%20doe"),
    Case("DL601", f"{B}?visitor_id=1", "visitor_id=1", "warning", f"{B}?visitor=1"),
    Case("DL602", f"{B}?theme=Dark", "Dark", "warning", f"{B}?theme=dark"),
    Case("DL603", f"{B}?is_app=true", "true", "warning", f"{B}?is_app=1"),
]


def _span(url: str, marked: str, occurrence: int) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = url.index(marked, start + 1)
    return (start, start + len(marked))


def _of(code: str, findings: tuple[Finding, ...]) -> list[Finding]:
    return [f for f in findings if f.code == code]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.code)
def test_rule_fires_with_severity_and_span(case: Case) -> None:
    report = check(case.fires, **case.options)
    found = _of(case.code, report.findings)
    assert found, f"{case.code} did not fire: {report.codes()}"
    first = found[0]
    assert first.severity == case.severity
    if case.code == "DL509":
        start, end = report.link.content_span
        assert first.span == (start + 2000, end)
    else:
        assert first.span == _span(case.fires, case.marked, case.occurrence)
    assert first.name == get_rule(case.code).name  # type: ignore[union-attr]
    assert first.message


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.code)
def test_near_miss_does_not_fire(case: Case) -> None:
    options = case.options if case.near_options is None else case.near_options
    report = check(case.near_miss, **options)
    assert case.code not in report.codes()


def test_every_rule_has_a_case() -> None:
    covered = {case.code for case in CASES} | {"DL310"}
    assert covered == {rule.code for rule in RULES}


def test_ranstr_reused_is_a_batch_rule() -> None:
    first = f"{B}?sbs=1&sbs_mm={HEX}&ranstr={RANSTR}"
    second = f"{B}?sbs=2&sbs_mm={HEX}&ranstr={RANSTR}"
    other = f"{B}?sbs=3&sbs_mm={HEX}&ranstr=Zm9vYmFyYmF6cXV4cXV1"
    reports = check_many([first, second, other])
    assert [r.codes().count("DL310") for r in reports] == [1, 1, 0]
    finding = _of("DL310", reports[1].findings)[0]
    assert finding.severity == "warning"
    assert finding.span == _span(second, RANSTR, 0)
    assert finding.message == f"ranstr={RANSTR!r} is also used by 1 other link: at link 1"
    # The same link twice is one link, and a single check never sees other links.
    assert "DL310" not in check_many([first, first])[0].codes()
    assert "DL310" not in check(first).codes()


def test_secret_value_in_link_is_exposed_without_being_printed() -> None:
    secret = "S3cr3t-Value-99"
    for written in (secret, "S3cr3t%2DValue%2D99", "x" + secret):
        url = f"{B}?sbs=42&note={written}"
        found = _of("DL309", check(url, secret=secret).findings)
        assert len(found) == 1, written
        assert secret not in found[0].message
        assert found[0].span == _span(url, f"note={written}", 0)
    assert "DL309" not in check(f"{B}?sbs=42&note=other", secret=secret).codes()


def test_bearer_link_is_a_warning_in_public_contexts() -> None:
    for context in ("public", "qr", "email"):
        report = check(SIGNED, secret=SECRET, config=Config(context=context))
        assert _of("DL313", report.findings)[0].severity == "warning"


def test_qr_context_has_a_shorter_length_limit() -> None:
    url = f"{B}?name={'a' * 300}"
    assert "DL509" not in check(url).codes()
    assert "DL509" in check(url, config=Config(context="qr")).codes()


def test_invalid_utf8_is_an_error_in_documented_parameters() -> None:
    finding = _of("DL505", check(f"{B}?name=%D5%C5").findings)[0]
    assert finding.severity == "error"


def test_signature_diagnosis_in_messages() -> None:
    upper = sign("42", RANSTR, SECRET).upper()
    report = check(f"{B}?sbs=42&sbs_mm={upper}&ranstr={RANSTR}", secret=SECRET)
    (finding,) = _of("DL306", report.findings)
    assert "upper" in finding.message.lower() and "Diagnosis" in finding.message
    assert "DL307" not in report.codes()
    sha = "a" * 40
    assert "SHA-1" in _of("DL306", check(f"{B}?sbs=42&sbs_mm={sha}&ranstr={RANSTR}").findings)[
        0
    ].message


def test_unknown_param_is_not_reported_twice() -> None:
    codes = check(f"{B}?chatId=s1&source=ios&secret=x&utm_source=mail").codes()
    assert codes.count("DL502") == 1  # utm_source only
    assert {"DL503", "DL601", "DL309"} <= set(codes)


def test_misspelling_by_edit_distance() -> None:
    for typo, meant in (("randstr", "ranstr"), ("nicknme", "nickname"), ("sbsmm", "sbs_mm")):
        (finding,) = _of("DL503", check(f"{B}?{typo}=x").findings)
        assert repr(meant) in finding.message


def test_template_placeholders_in_every_form() -> None:
    for placeholder in ("{{sbs}}", "${sbs}", "<sbs>", "%7Bsbs%7D", "YOUR_SBS", ":sbs"):
        assert "DL511" in check(f"{B}?sbs={placeholder}").codes(), placeholder
    report = check("https://visitorchat.twt.com/direct/YOUR_APP_ID")
    assert "DL511" in report.codes() and "DL004" not in report.codes()


def test_selectors_accept_codes_prefixes_names() -> None:
    assert resolve_selectors(["DL1"]) == {f"DL10{i}" for i in range(1, 7)}
    assert resolve_selectors(["chatid-without-direct", "dl202"]) == {"DL101", "DL202"}


def test_docs_are_generated_from_the_rules() -> None:
    docs = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
    assert docs.read_text(encoding="utf-8") == render_markdown(), (
        "docs/rules.md is stale: run `python -m validator.rules.docs > docs/rules.md`"
    )


def test_every_rule_documents_itself() -> None:
    for rule in RULES:
        assert rule.code and rule.name and rule.summary and rule.why, rule.code
        assert rule.bad and rule.good and rule.severity in ("error", "warning", "info")
        assert rule.__doc__, rule.code
        if rule.fixable:
            assert rule.fix_description, rule.code


def test_raw_plus_in_phone_reads_as_a_space() -> None:
    url = f"{B}?phone=+8613800000000"
    (finding,) = _of("DL402", check(url).findings)
    assert "%2B" in finding.message and finding.fix is not None and not finding.fix.safe
    assert "DL402" not in check(f"{B}?phone=%2B8613800000000").codes()


def test_a_short_secret_inside_a_random_value_is_no_exposure() -> None:
    from validator import Secret, build, check

    secret = Secret("x")
    url = build("demo_app", sbs="42", ranstr="xkcdXYZxyz0123456789", secret=secret)
    assert "DL309" not in [f.code for f in check(url, secret=secret).findings]
    assert "DL309" in [f.code for f in check(url + "&note=x", secret=secret).findings]
