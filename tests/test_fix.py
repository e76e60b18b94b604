"""Fixes: safe by default, unsafe on request, fixed links free of what was fixed, idempotent."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validator import Config, check, fix, parse, sign, verify
from validator.fix import apply_replacements, fix_link

B = "https://visitorchat.twt.com/direct/demo_app"
SECRET = "fix-secret"
RANSTR = "Qm9yTnx3aWZpLXN0YXI"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{B}?lang=pt-BR", f"{B}?lang=pt"),
        (f"{B}?lang=ZH_tw&direct=1&chatid=s1", f"{B}?lang=zh-tw&direct=1&chatid=s1"),
        (f"{B}?direct=1&chatid=s1&chatid=s1", f"{B}?direct=1&chatid=s1"),
        (f"{B}?direct=1&&chatid=s1&", f"{B}?direct=1&chatid=s1"),
        (f"{B}?=x&direct=1&chatid=s1", f"{B}?direct=1&chatid=s1"),
        (f"{B}?name=Ann Lee", f"{B}?name=Ann%20Lee"),
        (f"{B}?name=José", f"{B}?name=Jos%C3%A9"),
        (f"{B}?name=100%", f"{B}?name=100%25"),
        (f"{B}?name=Ann\tLee", f"{B}?name=AnnLee"),
        (f"{B}/?lang=en", f"{B}?lang=en"),
        (f"{B}?lang=", B),
        (f"{B}?name=&email=", B),
        (f"{B}?direct=1&chatid=s1&chat_id=s1", f"{B}?direct=1&chatid=s1"),
        (f"{B}?sbs=a+b", f"{B}?sbs=a%20b"),
        (f"  {B}?lang=en \n", f"{B}?lang=en"),
    ],
)
def test_safe_fixes(url: str, expected: str) -> None:
    assert fix(url) == expected


def test_page_reads_the_same_values_after_safe_fixes() -> None:
    url = f"{B}?direct=1&chatid=a b&name=Jos\u00e9 %&&lang=pt-PT"
    fixed = fix(url)
    before, after = check(url).outcome, check(fixed).outcome
    assert (before.view, before.chat_id) == (after.view, after.chat_id)
    assert before.language == after.language
    assert dict(before.customer) == dict(after.customer)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"{B}?chatid=s1", f"{B}?direct=1&chatid=s1"),
        (f"{B}?direct=true&chatid=s1", f"{B}?direct=1&chatid=s1"),
        (f"{B}?direct=1&chatid=s1&chat_id=s2", f"{B}?direct=1&chatid=s1"),
        (f"{B}?direct=1&chatid=s1&chatid=s2", f"{B}?direct=1&chatid=s1"),
        (f"{B}?direct=1&chatId=s1", f"{B}?direct=1&chatid=s1"),
        (f"{B}#direct=1&chatid=s1", f"{B}?direct=1&chatid=s1"),
        ("http://visitorchat.twt.com/direct/demo_app?lang=en", f"{B}?lang=en"),
        (f"{B}?direct=1&chatid=%20s1", f"{B}?direct=1&chatid=s1"),
        (f"{B}?theme=Dark&visitor_id=1", f"{B}?theme=dark"),
    ],
)
def test_unsafe_fixes_only_on_request(url: str, expected: str) -> None:
    assert fix(url) == url
    assert fix(url, unsafe=True) == expected


def test_resigns_with_a_known_secret() -> None:
    wrong = f"{B}?sbs=42&sbs_mm={'0' * 32}&ranstr={RANSTR}"
    fixed = fix(wrong, secret=SECRET)
    assert fixed == f"{B}?sbs=42&sbs_mm={sign('42', RANSTR, SECRET)}&ranstr={RANSTR}"
    assert check(fixed, secret=SECRET).outcome.identity == "verified"
    # Without the secret there is nothing to sign with.
    assert fix(wrong) == wrong


def test_signs_an_unsigned_sbs_with_a_fresh_ranstr() -> None:
    fixed = parse(fix(f"{B}?sbs=42&name=Ann", secret=SECRET))
    assert fixed.ranstr is not None and len(fixed.ranstr) >= 16
    assert fixed.sbs_mm is not None and verify("42", fixed.ranstr, fixed.sbs_mm, SECRET)
    missing = parse(fix(f"{B}?sbs=42&sbs_mm={'a' * 32}", secret=SECRET))
    assert missing.ranstr and verify("42", missing.ranstr, missing.sbs_mm or "", SECRET)


def test_secrets_map_used_for_the_links_app() -> None:
    wrong = f"{B}?sbs=42&sbs_mm={'0' * 32}&ranstr={RANSTR}"
    assert "0" * 32 not in fix(wrong, secrets={"demo_app": SECRET})


def test_fix_respects_the_rule_selection() -> None:
    assert fix(f"{B}?lang=pt-BR", config=Config(ignore=("DL202",))) == f"{B}?lang=pt-BR"


def test_fix_reports_what_it_applied() -> None:
    result = fix_link(f"{B}?lang=pt-BR&&")
    assert result.changed
    assert [code for code, _ in result.applied] == ["DL202", "DL506", "DL506"]
    unchanged = fix_link(B)
    assert not unchanged.changed and unchanged.applied == ()


def test_apply_replacements() -> None:
    assert apply_replacements("abcdef", [((1, 2), "X"), ((4, 4), "--"), ((5, 6), "")]) == "aXcd--e"


pieces = st.sampled_from(
    [
        "direct=1", "direct=yes", "chatid=s1", "chatid=s2", "chat_id=s1", "chat_id= s3",
        "lang=pt-BR", "lang=", "lang=xx", "Lang=en", "name=Ann Lee", "name=", "email=a%2540b",
        "sbs=a+b", f"sbs_mm={'A' * 32}", "ranstr=aaaa", "", "=x", "note=100%", "note=%FF",
        "theme=Dark", "visitor_id=1", "randstr=x", "phone=+86 138", "name=张三", "x=\t1",
    ]
)


@given(
    st.lists(pieces, max_size=8),
    st.sampled_from(["", "/"]),
    st.sampled_from(["", "#frag", "#direct=1"]),
    st.booleans(),
)
def test_fixing_is_idempotent_and_removes_what_it_fixed(
    parts: list[str], slash: str, fragment: str, unsafe: bool
) -> None:
    url = f"{B}{slash}?{'&'.join(parts)}{fragment}"
    result = fix_link(url, secret=SECRET, unsafe=unsafe)
    assert fix(result.fixed, secret=SECRET, unsafe=unsafe) == result.fixed
    remaining = check(result.fixed, secret=SECRET).findings
    for finding in remaining:
        fixable = finding.fix is not None and finding.fix.replacements
        assert not (fixable and (finding.fix.safe or unsafe)), (result.fixed, finding)  # type: ignore[union-attr]


def test_fix_is_idempotent_when_dropping_pairs_exposes_trailing_controls() -> None:
    # Found by the parse_check fuzz harness: the first pass dropped the query,
    # leaving control characters at the end that only a second fix removed.
    from validator import fix

    once = fix("https://:pz\u0001\u0000?=%%FF&&=a+bx/direat=0")
    assert fix(once) == once


def _naive_overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] == b[0] or (a[0] < b[1] and b[0] < a[1])


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 5)), max_size=25))
def test_taken_spans_agree_with_pairwise_overlap(raw: list[tuple[int, int]]) -> None:
    from validator.fix import _TakenSpans

    taken = _TakenSpans()
    kept: list[tuple[int, int]] = []
    for start, width in raw:
        span = (start, start + width)
        expected = any(_naive_overlaps(span, other) for other in kept)
        assert taken.overlaps(span) == expected
        if not expected:
            taken.add((span, ""))
            kept.append(span)


def test_fixing_thousands_of_empty_pairs() -> None:
    from validator import fix

    # 8,000 empty pairs used to take seconds (every fix compared with every other).
    assert fix("https://h/direct/a?" + "&" * 8000 + "x=1") == "https://h/direct/a?x=1"
