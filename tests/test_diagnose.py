"""Signature diagnosis: every hypothesis reproduced from an independent mistaken signer.

The mistaken signers below are written the way an integrator's server code
would be, not with the diagnosis module's helpers, so a wrong hypothesis
implementation cannot agree with itself.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from urllib.parse import quote

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from validator import Diagnosis, Secret, build, explain, sign
from validator.diagnose import (
    HYPOTHESES,
    HYPOTHESIS_IDS,
    SECRET_PLACEHOLDER,
    UNKNOWN_CAUSE,
    ExplainError,
    diagnose_signature,
    diagnosis_to_dict,
    given_problem,
)
from validator.keyring import Keyring, spellings
from validator.redact import Redactor
from validator.signature import inner_digest

SECRET = "s3cr3t/+ é&"
STAGING = "staging-secret-0001"
SBS = "张三 john"
RANSTR = "Xk9fQ2mZ7pL4wR8t"
SPEC_IDS = (
    "uppercase-hex",
    "uppercase-inner-digest",
    "single-md5",
    "missing-separator",
    "wrong-separator",
    "swapped-order",
    "hmac-md5",
    "sha1",
    "sha256",
    "secret-whitespace",
    "raw-encoded-values",
    "plus-kept-literal",
    "non-utf8-encoding",
    "raw-digest-bytes",
    "other-secret",
    "other-link-values",
)


def md5(text: str | bytes, encoding: str = "utf-8") -> str:
    data = text.encode(encoding) if isinstance(text, str) else text
    return hashlib.md5(data).hexdigest()


def sha(name: str, text: str) -> str:
    return hashlib.new(name, text.encode()).hexdigest()


def correct(sbs: str, ranstr: str, secret: str) -> str:
    return md5(md5(f"{sbs}_{secret}") + "_" + ranstr)


# Mistaken signers: (sbs, ranstr, secret) -> sbs_mm
Signer = Callable[[str, str, str], str]

MISTAKES: dict[str, Signer] = {
    "uppercase-hex": lambda b, r, k: correct(b, r, k).upper(),
    "uppercase-inner-digest": lambda b, r, k: md5(md5(f"{b}_{k}").upper() + "_" + r),
    "single-md5": lambda b, r, k: md5(f"{b}_{k}_{r}"),
    "missing-separator": lambda b, r, k: md5(md5(b + k) + r),
    "wrong-separator": lambda b, r, k: md5(md5(f"{b}|{k}") + "|" + r),
    "swapped-order": lambda b, r, k: md5(md5(f"{k}_{b}") + "_" + r),
    "hmac-md5": lambda b, r, k: md5(
        hmac.new(k.encode(), b.encode(), hashlib.md5).hexdigest() + "_" + r
    ),
    "sha1": lambda b, r, k: sha("sha1", sha("sha1", f"{b}_{k}") + "_" + r),
    "sha256": lambda b, r, k: sha("sha256", sha("sha256", f"{b}_{k}") + "_" + r),
    "secret-whitespace": lambda b, r, k: correct(b, r, k + "\n"),
    "raw-digest-bytes": lambda b, r, k: md5(
        hashlib.md5(f"{b}_{k}".encode()).digest() + b"_" + r.encode()
    ),
}


def link(sbs: str, ranstr: str, sbs_mm: str, *, raw_sbs: str | None = None) -> str:
    written = quote(sbs, safe="") if raw_sbs is None else raw_sbs
    return (
        "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=7"
        f"&sbs={written}&ranstr={quote(ranstr, safe='')}&sbs_mm={sbs_mm}"
    )


def test_hypothesis_ids_are_the_spec_ids() -> None:
    assert set(HYPOTHESIS_IDS) == set(SPEC_IDS)
    assert len(HYPOTHESIS_IDS) == len(SPEC_IDS)
    for item in HYPOTHESES:
        assert item.description and item.fix


def test_correct_signature_is_ok_with_no_matches() -> None:
    diagnosis = explain(link(SBS, RANSTR, correct(SBS, RANSTR, SECRET)), secret=SECRET)
    assert diagnosis.ok
    assert diagnosis.matches == ()
    assert diagnosis.details == ()
    assert diagnosis.expected == diagnosis.given == sign(SBS, RANSTR, SECRET)
    assert diagnosis.headline == "The signature is correct."


@pytest.mark.parametrize("hypothesis_id", sorted(MISTAKES))
def test_each_mistake_is_named_first(hypothesis_id: str) -> None:
    given_mm = MISTAKES[hypothesis_id](SBS, RANSTR, SECRET)
    diagnosis = explain(link(SBS, RANSTR, given_mm), secret=SECRET)
    assert not diagnosis.ok
    assert diagnosis.matches[0] == hypothesis_id, diagnosis.matches
    assert diagnosis.details[0].hypothesis == hypothesis_id
    assert diagnosis.headline != UNKNOWN_CAUSE
    assert diagnosis.headline.lower().startswith(diagnosis.details[0].description[:20].lower())
    fixed = explain(link(SBS, RANSTR, correct(SBS, RANSTR, SECRET)), secret=SECRET)
    assert fixed.ok and fixed.matches == ()


def test_plus_kept_literal_is_named_first() -> None:
    sbs_written = "john+doe"  # the page reads "john doe"
    given_mm = correct("john+doe", RANSTR, SECRET)
    diagnosis = explain(link("", RANSTR, given_mm, raw_sbs=sbs_written), secret=SECRET)
    assert diagnosis.sbs == "john doe"
    assert diagnosis.matches[0] == "plus-kept-literal"
    fixed = explain(link("john doe", RANSTR, correct("john doe", RANSTR, SECRET)), secret=SECRET)
    assert fixed.ok and fixed.matches == ()


def test_plus_kept_literal_without_raw_text() -> None:
    given_mm = correct("a+b c", RANSTR, SECRET)
    diagnosis = diagnose_signature("a b c", RANSTR, given_mm, SECRET)
    assert diagnosis.matches[0] == "plus-kept-literal"


def test_raw_encoded_values_is_named_first() -> None:
    raw = "john%20doe%40example.com"
    given_mm = correct(raw, RANSTR, SECRET)
    diagnosis = explain(link("", RANSTR, given_mm, raw_sbs=raw), secret=SECRET)
    assert diagnosis.sbs == "john doe@example.com"
    assert diagnosis.matches[0] == "raw-encoded-values"
    assert "plus-kept-literal" not in diagnosis.matches


def test_raw_encoded_ranstr_with_lower_case_escapes() -> None:
    ranstr = "a/b c"
    given_mm = correct(SBS, "a%2fb%20c", SECRET)
    diagnosis = diagnose_signature(SBS, ranstr, given_mm, SECRET)
    assert diagnosis.matches[0] == "raw-encoded-values"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "latin-1"])
def test_non_utf8_encoding_is_named_first(encoding: str) -> None:
    sbs = "张三" if encoding != "latin-1" else "José Müller"
    inner = md5(f"{sbs}_{STAGING}", encoding)
    given_mm = md5(f"{inner}_{RANSTR}", encoding)
    diagnosis = explain(link(sbs, RANSTR, given_mm), secret=STAGING)
    assert diagnosis.matches[0] == "non-utf8-encoding"


def test_non_utf8_encoding_only_where_encodable() -> None:
    # Emoji cannot be written in Latin-1, GBK or GB18030 ... except GB18030 can.
    sbs = "😀"
    given_mm = md5(md5(f"{sbs}_{STAGING}", "gb18030") + "_" + RANSTR, "gb18030")
    assert diagnose_signature(sbs, RANSTR, given_mm, STAGING).matches[0] == "non-utf8-encoding"
    latin = "Ærø"
    given_mm = md5(md5(f"{latin}_{STAGING}", "latin-1") + "_" + RANSTR, "latin-1")
    assert diagnose_signature(latin, RANSTR, given_mm, STAGING).matches[0] == "non-utf8-encoding"


@pytest.mark.parametrize(
    "used", [SECRET + "\n", SECRET + "\r\n", SECRET + " ", SECRET + "  ", " " + SECRET]
)
def test_secret_whitespace_variants(used: str) -> None:
    diagnosis = explain(link(SBS, RANSTR, correct(SBS, RANSTR, used)), secret=SECRET)
    assert diagnosis.matches[0] == "secret-whitespace"


def test_secret_whitespace_trimmed_off_a_secret_that_has_it() -> None:
    secret = "  padded-secret\t"
    for used in (secret.strip(), secret.rstrip(), secret.lstrip()):
        diagnosis = diagnose_signature(SBS, RANSTR, correct(SBS, RANSTR, used), secret)
        assert diagnosis.matches[0] == "secret-whitespace", used


@pytest.mark.parametrize("separator", ["-", "|", ":", ""])
def test_separators(separator: str) -> None:
    given_mm = md5(md5(f"{SBS}{separator}{SECRET}") + separator + RANSTR)
    expected = "missing-separator" if separator == "" else "wrong-separator"
    assert diagnose_signature(SBS, RANSTR, given_mm, SECRET).matches[0] == expected


def test_separator_wrong_in_one_step_only() -> None:
    given_mm = md5(md5(f"{SBS}_{SECRET}") + "-" + RANSTR)
    assert diagnose_signature(SBS, RANSTR, given_mm, SECRET).matches[0] == "wrong-separator"
    given_mm = md5(md5(f"{SBS}{SECRET}") + "_" + RANSTR)
    assert diagnose_signature(SBS, RANSTR, given_mm, SECRET).matches[0] == "missing-separator"


@pytest.mark.parametrize(
    "mistaken",
    [
        lambda: md5(RANSTR + "_" + md5(f"{SBS}_{SECRET}")),
        lambda: md5(md5(f"{RANSTR}_{SECRET}") + "_" + SBS),
    ],
)
def test_swapped_order_variants(mistaken: Callable[[], str]) -> None:
    assert diagnose_signature(SBS, RANSTR, mistaken(), SECRET).matches[0] == "swapped-order"


@pytest.mark.parametrize(
    "mistaken",
    [
        lambda: hmac.new(SECRET.encode(), f"{SBS}_{RANSTR}".encode(), "md5").hexdigest(),
        lambda: hmac.new(
            md5(f"{SBS}_{SECRET}").encode(), RANSTR.encode(), "md5"
        ).hexdigest(),
        lambda: hmac.new(
            SECRET.encode(),
            (hmac.new(SECRET.encode(), SBS.encode(), "md5").hexdigest() + "_" + RANSTR).encode(),
            "md5",
        ).hexdigest(),
    ],
)
def test_hmac_constructions(mistaken: Callable[[], str]) -> None:
    assert diagnose_signature(SBS, RANSTR, mistaken(), SECRET).matches[0] == "hmac-md5"


def test_sha_only_in_the_outer_step() -> None:
    given_mm = sha("sha256", md5(f"{SBS}_{SECRET}") + "_" + RANSTR)
    diagnosis = diagnose_signature(SBS, RANSTR, given_mm, SECRET)
    assert diagnosis.matches == ("sha256",)
    assert "64 hex digits" in (diagnosis.given_problem or "")


def test_other_secret_names_the_label_never_the_value() -> None:
    candidates = {f"rotated-{i}": Secret(f"old-secret-{i:04d}") for i in range(9)}
    candidates["staging"] = Secret(STAGING)
    diagnosis = explain(
        link(SBS, RANSTR, correct(SBS, RANSTR, STAGING)), secret=SECRET, candidates=candidates
    )
    assert diagnosis.matches[0] == "other-secret"
    assert diagnosis.details[0].secret_label == "staging"
    data = repr(diagnosis) + repr(diagnosis_to_dict(diagnosis))
    assert STAGING not in data and SECRET not in data


def test_other_secret_from_unlabelled_candidates() -> None:
    diagnosis = diagnose_signature(
        SBS, RANSTR, correct(SBS, RANSTR, STAGING), SECRET, candidates=["x" * 20, STAGING]
    )
    assert diagnosis.matches[0] == "other-secret"
    assert diagnosis.details[0].secret_label == "candidate 2"


def test_other_link_values_names_the_batch_link() -> None:
    other = link("李四", "Qw3rTy7uIo9pAs2d", "0" * 32)
    mixed_ranstr = correct(SBS, "Qw3rTy7uIo9pAs2d", SECRET)
    mixed_sbs = correct("李四", RANSTR, SECRET)
    batch = [link("x", "y" * 16, "1" * 32), other]
    for given_mm in (mixed_ranstr, mixed_sbs):
        diagnosis = explain(link(SBS, RANSTR, given_mm), secret=SECRET, batch=batch)
        assert diagnosis.matches[0] == "other-link-values"
        assert diagnosis.details[0].batch_index == 1
        assert diagnosis.details[0].batch_link == other


def test_combined_mistake_names_both() -> None:
    given_mm = MISTAKES["sha1"](SBS, RANSTR, SECRET).upper()
    diagnosis = diagnose_signature(SBS, RANSTR, given_mm, SECRET)
    assert diagnosis.matches == ("sha1", "uppercase-hex")
    assert diagnosis.details[0].uppercase
    assert "upper-case" in diagnosis.headline


def test_both_digests_upper_cased() -> None:
    given_mm = md5(md5(f"{SBS}_{SECRET}").upper() + "_" + RANSTR).upper()
    diagnosis = diagnose_signature(SBS, RANSTR, given_mm, SECRET)
    assert diagnosis.matches == ("uppercase-inner-digest", "uppercase-hex")


def test_unknown_cause_is_honest() -> None:
    diagnosis = diagnose_signature(SBS, RANSTR, "0123456789abcdef" * 2, SECRET)
    assert not diagnosis.ok
    assert diagnosis.matches == ()
    assert diagnosis.headline == UNKNOWN_CAUSE
    assert diagnosis.given_problem is None


@pytest.mark.parametrize(
    ("given_mm", "problem", "suggested"),
    [
        ("A" * 32, "upper-case", ("uppercase-hex",)),
        ("a" * 40, "SHA-1", ("sha1",)),
        ("a" * 64, "SHA-256", ("sha256",)),
        ("a" * 31, "31 hex digits", ()),
        ("z" * 32, "not a hex digit", ()),
        ("", "empty", ()),
        (" " + "a" * 32, "whitespace", ()),
    ],
)
def test_malformed_given_is_described(
    given_mm: str, problem: str, suggested: tuple[str, ...]
) -> None:
    text, hints = given_problem(given_mm)
    assert text is not None and problem in text
    assert hints == suggested
    diagnosis = diagnose_signature(SBS, RANSTR, given_mm, SECRET)
    assert not diagnosis.ok
    assert diagnosis.given_problem == text
    assert diagnosis.suggested == suggested  # nothing reproduces these


def test_well_formed_given_has_no_problem() -> None:
    assert given_problem("0" * 32) == (None, ())


def test_steps_mask_secret_and_inner_digest() -> None:
    diagnosis = diagnose_signature(SBS, RANSTR, "0" * 32, SECRET)
    inner = inner_digest(SBS, SECRET)
    first, second = diagnosis.steps
    assert first.hashed == f"{SBS}_{SECRET_PLACEHOLDER}"
    assert first.result == inner[:6] + "…"
    assert second.hashed == f"<inner digest {inner[:6]}…>_{RANSTR}"
    assert second.result == diagnosis.expected
    everything = repr(diagnosis) + repr(diagnosis_to_dict(diagnosis))
    assert SECRET not in everything and inner not in everything


def test_every_match_hides_secret_and_inner_digest() -> None:
    inner = inner_digest(SBS, SECRET)
    for hypothesis_id, signer in MISTAKES.items():
        diagnosis = diagnose_signature(SBS, RANSTR, signer(SBS, RANSTR, SECRET), SECRET)
        text = repr(diagnosis) + repr(diagnosis_to_dict(diagnosis))
        assert SECRET not in text, hypothesis_id
        assert inner not in text.lower(), hypothesis_id
        assert diagnosis.details[0].steps, hypothesis_id


def test_explain_needs_a_signature() -> None:
    with pytest.raises(ExplainError, match="sbs_mm"):
        explain("https://visitorchat.twt.com/direct/demo_app?sbs=1&ranstr=abc", secret=SECRET)
    with pytest.raises(ExplainError, match="sbs or ranstr or sbs_mm"):
        explain("https://visitorchat.twt.com/direct/demo_app", secret=SECRET)


def test_explain_uses_the_first_value_the_page_reads() -> None:
    good = sign("first", RANSTR, SECRET)
    url = link("first", RANSTR, good) + "&sbs=second"
    assert explain(url, secret=SECRET).ok


def test_redact_masks_every_form() -> None:
    secret = Secret(SECRET)
    redactor = Redactor(Keyring(secret))
    for form in spellings(secret):
        assert redactor.text(f"x{form}y") == f"x{SECRET_PLACEHOLDER}y"
    assert Redactor(Keyring(Secret("abc"))).text("abc") == "abc"  # too short to search for


def test_diagnosis_is_frozen() -> None:
    diagnosis = diagnose_signature(SBS, RANSTR, "0" * 32, SECRET)
    assert isinstance(diagnosis, Diagnosis)
    with pytest.raises(AttributeError):
        diagnosis.ok = True  # type: ignore[misc]


# ---------------------------------------------------------------------------
# Properties over random Unicode values

values = st.text(max_size=24)
secrets = st.text(min_size=1, max_size=24)


def _signed_link(sbs: str, ranstr: str, sbs_mm: str) -> str:
    return build("demo_app", chat_id="7", sbs=sbs, ranstr=ranstr, sbs_mm=sbs_mm)


@given(sbs=values, ranstr=values, secret=secrets)
def test_property_correct_link_is_ok(sbs: str, ranstr: str, secret: str) -> None:
    diagnosis = explain(_signed_link(sbs, ranstr, correct(sbs, ranstr, secret)), secret=secret)
    assert diagnosis.ok
    assert diagnosis.matches == ()


@given(
    sbs=values,
    ranstr=values,
    secret=secrets,
    hypothesis_id=st.sampled_from(sorted(MISTAKES)),
)
def test_property_mistake_is_among_matches(
    sbs: str, ranstr: str, secret: str, hypothesis_id: str
) -> None:
    given_mm = MISTAKES[hypothesis_id](sbs, ranstr, secret)
    assume(given_mm != correct(sbs, ranstr, secret))  # upper() of an all-digit digest
    diagnosis = explain(_signed_link(sbs, ranstr, given_mm), secret=secret)
    assert not diagnosis.ok
    assert hypothesis_id in diagnosis.matches


@given(parts=st.lists(values, min_size=2, max_size=4), ranstr=values, secret=secrets)
def test_property_plus_kept_literal(parts: list[str], ranstr: str, secret: str) -> None:
    # The server signed "a+b" and wrote the '+' bare into the link; the page reads "a b".
    signed = "+".join(parts)
    raw = "+".join(quote(part, safe="") for part in parts)
    url = link("", ranstr, correct(signed, ranstr, secret), raw_sbs=raw)
    diagnosis = explain(url, secret=secret)
    assert diagnosis.sbs == " ".join(parts)
    assert "plus-kept-literal" in diagnosis.matches
    if len(parts) <= 3 and not any(" " in part for part in parts):
        # Without the raw text, the values alone still lead there.
        again = diagnose_signature(diagnosis.sbs, ranstr, diagnosis.given, secret)
        assert "plus-kept-literal" in again.matches


@given(
    sbs=st.text(alphabet="张三李四王五赵钱孙周吴郑 abc", min_size=1, max_size=12),
    ranstr=values,
    secret=st.text(alphabet="abcdefXYZ0123_-", min_size=1, max_size=16),
    encoding=st.sampled_from(["gbk", "gb18030"]),
)
def test_property_non_utf8(sbs: str, ranstr: str, secret: str, encoding: str) -> None:
    assume(not sbs.isascii())
    try:
        given_mm = md5(md5(f"{sbs}_{secret}", encoding) + "_" + ranstr, encoding)
    except UnicodeEncodeError:
        assume(False)
        return
    diagnosis = diagnose_signature(sbs, ranstr, given_mm, secret)
    assert "non-utf8-encoding" in diagnosis.matches


@given(sbs=values, ranstr=values, secret=secrets, other=secrets)
def test_property_other_secret(sbs: str, ranstr: str, secret: str, other: str) -> None:
    assume(other != secret)
    diagnosis = diagnose_signature(
        sbs, ranstr, correct(sbs, ranstr, other), secret, candidates={"old": other}
    )
    assert "other-secret" in diagnosis.matches


@given(sbs=values, ranstr=values, secret=secrets, other_sbs=values)
def test_property_other_link_values(sbs: str, ranstr: str, secret: str, other_sbs: str) -> None:
    assume(other_sbs != sbs)
    other = _signed_link(other_sbs, ranstr + "x", "0" * 32)
    diagnosis = diagnose_signature(
        sbs, ranstr, correct(other_sbs, ranstr, secret), secret, batch=[other]
    )
    assert "other-link-values" in diagnosis.matches


def test_whitespace_around_a_correct_signature() -> None:
    good = sign(SBS, RANSTR, SECRET)
    diagnosis = diagnose_signature(SBS, RANSTR, good + " ", SECRET)
    assert not diagnosis.ok
    assert diagnosis.matches == ()
    assert "whitespace" in diagnosis.headline
    assert "whitespace" in (diagnosis.given_problem or "")


def test_non_utf8_in_the_secret_only() -> None:
    secret = "秘密-key"
    given_mm = md5(md5(f"abc_{secret}", "gbk") + "_" + RANSTR)
    diagnosis = diagnose_signature("abc", RANSTR, given_mm, secret)
    assert diagnosis.matches[0] == "non-utf8-encoding"
    assert "first hashed string" in diagnosis.details[0].variant


def test_docs_hold_the_current_hypothesis_table() -> None:
    from pathlib import Path

    from validator.diagnose import hypotheses_markdown

    docs = Path(__file__).resolve().parent.parent / "docs" / "explain.md"
    assert hypotheses_markdown() in docs.read_text(encoding="utf-8"), (
        "docs/explain.md is stale: paste validator.diagnose.hypotheses_markdown() into it"
    )


@given(sbs=values, ranstr=values, secret=secrets)
def test_property_raw_encoded_values(sbs: str, ranstr: str, secret: str) -> None:
    encoded = quote(sbs, safe="")
    assume(encoded != sbs)
    url = _signed_link(sbs, ranstr, correct(encoded, ranstr, secret))
    assert "raw-encoded-values" in explain(url, secret=secret).matches


def test_explain_says_when_the_signature_sits_in_the_fragment() -> None:
    url = f"https://visitorchat.twt.com/direct/demo_app#sbs=1&ranstr={RANSTR}&sbs_mm={'0' * 32}"
    with pytest.raises(ExplainError, match="after '#'"):
        explain(url, secret=SECRET)


def test_hypothesis_inputs_hide_secret_and_inner_digest() -> None:
    from validator.mistakes import Inputs

    inner = inner_digest(SBS, SECRET)
    inputs = Inputs(SBS, RANSTR, SECRET, None, None, (), (), inner, "0" * 32)
    assert SECRET not in repr(inputs) and inner not in repr(inputs)


def test_every_hypothesis_has_a_named_first_example() -> None:
    # Ids whose "named first" example needs a link, candidates or a batch live in their
    # own tests above; every other id is in MISTAKES. A new hypothesis needs one too.
    own_tests = {
        "plus-kept-literal": test_plus_kept_literal_is_named_first,
        "raw-encoded-values": test_raw_encoded_values_is_named_first,
        "non-utf8-encoding": test_non_utf8_encoding_is_named_first,
        "other-secret": test_other_secret_names_the_label_never_the_value,
        "other-link-values": test_other_link_values_names_the_batch_link,
    }
    assert set(MISTAKES) | set(own_tests) == set(HYPOTHESIS_IDS)
    assert not set(MISTAKES) & set(own_tests)


def test_sdk_view_where_plus_is_read_literally() -> None:
    base = "https://visitorchat.twt.com/direct/demo_app?sbs=john+doe&ranstr=" + RANSTR
    browser_signed = explain(f"{base}&sbs_mm={sign('john doe', RANSTR, SECRET)}", secret=SECRET)
    assert browser_signed.ok
    assert browser_signed.sdk is not None
    assert browser_signed.sdk.sbs == "john+doe"
    assert browser_signed.sdk.ok is False
    app_signed = explain(f"{base}&sbs_mm={sign('john+doe', RANSTR, SECRET)}", secret=SECRET)
    assert not app_signed.ok
    assert app_signed.sdk is not None and app_signed.sdk.ok is True
    assert diagnosis_to_dict(app_signed)["sdk"] == {"sbs": "john+doe", "ranstr": RANSTR, "ok": True}


def test_sdk_view_absent_when_clients_agree_and_none_when_rejected() -> None:
    assert explain(link(SBS, RANSTR, "0" * 32), secret=SECRET).sdk is None
    assert diagnose_signature(SBS, RANSTR, "0" * 32, SECRET).sdk is None  # no raw text
    rejected = diagnose_signature("a%zz", RANSTR, "0" * 32, SECRET, raw_sbs="a%zz")
    assert rejected.sdk is not None
    assert rejected.sdk.sbs is None and rejected.sdk.ok is None


def test_other_link_values_in_upper_case() -> None:
    other = link("李四", "Qw3rTy7uIo9pAs2d", "0" * 32)
    given_mm = correct("李四", RANSTR, SECRET).upper()
    diagnosis = diagnose_signature(SBS, RANSTR, given_mm, SECRET, batch=[other, other])
    assert diagnosis.matches == ("other-link-values", "uppercase-hex")
    assert diagnosis.details[0].batch_index == 0
    assert diagnosis.details[0].steps[0].hashed == "李四_<AppSecret>"


def test_lone_surrogates_from_an_api_caller_do_not_crash() -> None:
    diagnosis = diagnose_signature("a\ud800", "\udfff", "0" * 32, SECRET)
    assert not diagnosis.ok and diagnosis.matches == ()
    assert "a\ud800_" in diagnosis.steps[0].hashed


any_text = st.text(alphabet=st.characters(blacklist_categories=()), max_size=16)


@given(sbs=any_text, ranstr=any_text, given_mm=any_text, secret=any_text.filter(bool))
def test_property_any_str_is_diagnosed_and_rendered(
    sbs: str, ranstr: str, given_mm: str, secret: str
) -> None:
    from validator.report.explain_text import render_diagnosis

    if any("\ud800" <= ch <= "\udfff" for ch in secret):
        # A secret is text: one with a lone surrogate is refused, clearly, up front.
        with pytest.raises(ValueError, match="lone surrogate"):
            diagnose_signature(sbs, ranstr, given_mm, secret, raw_sbs=sbs, raw_ranstr=ranstr)
        return
    diagnosis = diagnose_signature(
        sbs, ranstr, given_mm, secret, raw_sbs=sbs, raw_ranstr=ranstr, candidates=[secret + "x"]
    )
    assert diagnosis.ok == (given_mm == diagnosis.expected)
    render_diagnosis(diagnosis, url=sbs)
    diagnosis_to_dict(diagnosis)
