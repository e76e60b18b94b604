"""Signature diagnosis as its user reads it: the words of each cause, the data, the first cause.

The signatures below are computed the way a mistaken server would, with hashlib
and hmac directly, never with the diagnosis module's helpers. What is asserted
is what :func:`~validator.diagnose.explain`, :func:`diagnose_signature`,
:func:`signature_cause` and :func:`diagnosis_to_dict` give a caller: the
headline, the hypotheses named and their order, each match's fields, the shape
problem of the given value, the SDK's reading and the JSON-ready form.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

import pytest

from validator import Secret
from validator.diagnose import (
    Cause,
    ExplainError,
    diagnose_signature,
    diagnosis_to_dict,
    explain,
    given_problem,
    hypothesis,
    signature_cause,
)
from validator.limits import LinkTooLongError
from validator.mistakes import SdkView
from validator.parse import parse
from validator.spec import MAX_LINK_CHARS

SECRET = "Sup3r-secret_value-0042"
STAGING = "staging-secret-0001"
SBS = "john doe"
RANSTR = "Xk9fQ2mZ7pL4wR8t"
OTHER_SBS = "李四"
OTHER_RANSTR = "Qw3rTy7uIo9pAs2d"
BASE = "https://visitorchat.twt.com/direct/demo_app"

UNKNOWN = "No known mistake reproduces the given sbs_mm (unknown cause)."
WHITESPACE = (
    "sbs_mm is the right signature but has whitespace around it, which the page keeps: "
    "remove it."
)
UPPER_PROBLEM = "sbs_mm has upper-case hex digits; the page expects lower case"


def md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def correct(sbs: str, ranstr: str, secret: str) -> str:
    return md5(md5(f"{sbs}_{secret}") + "_" + ranstr)


def fingerprint_of(digest: str) -> str:
    return digest[:6] + "…"


def link(sbs: str, ranstr: str, sbs_mm: str, *, raw_sbs: str | None = None,
         raw_ranstr: str | None = None) -> str:
    written_sbs = quote(sbs, safe="") if raw_sbs is None else raw_sbs
    written_ranstr = quote(ranstr, safe="") if raw_ranstr is None else raw_ranstr
    return f"{BASE}?direct=1&chatid=7&sbs={written_sbs}&ranstr={written_ranstr}&sbs_mm={sbs_mm}"


def correct_step_dicts(sbs: str, ranstr: str, secret: str) -> list[dict[str, object]]:
    inner = md5(f"{sbs}_{secret}")
    return [
        {"label": "inner digest", "algorithm": "md5", "encoding": "utf-8",
         "hashed": f"{sbs}_<AppSecret>", "key": None, "result": fingerprint_of(inner)},
        {"label": "sbs_mm", "algorithm": "md5", "encoding": "utf-8",
         "hashed": f"<inner digest {fingerprint_of(inner)}>_{ranstr}", "key": None,
         "result": correct(sbs, ranstr, secret)},
    ]


# ---------------------------------------------------------------------------
# The shape of the given value, in the words a user reads


@pytest.mark.parametrize(
    ("given_mm", "problem", "suggested"),
    [
        ("", "sbs_mm is empty", ()),
        (" " + "a" * 32, "sbs_mm has whitespace around it", ()),
        ("a" * 32 + "\n", "sbs_mm has whitespace around it", ()),
        ("0123g56789abcdef-" + "z" * 15, "sbs_mm holds 'g', which is not a hex digit", ()),
        ("a-" + "b" * 30, "sbs_mm holds '-', which is not a hex digit", ()),
        ("a" * 40, "sbs_mm has 40 hex digits, the length of a SHA-1 digest (MD5 gives 32)",
         ("sha1",)),
        ("A" * 40, "sbs_mm has 40 hex digits, the length of a SHA-1 digest (MD5 gives 32)",
         ("sha1",)),
        ("b" * 64, "sbs_mm has 64 hex digits, the length of a SHA-256 digest (MD5 gives 32)",
         ("sha256",)),
        ("c" * 31, "sbs_mm has 31 hex digits; an MD5 digest has 32", ()),
        ("c" * 33, "sbs_mm has 33 hex digits; an MD5 digest has 32", ()),
        ("d" * 41, "sbs_mm has 41 hex digits; an MD5 digest has 32", ()),
        ("e" * 65, "sbs_mm has 65 hex digits; an MD5 digest has 32", ()),
        ("0123456789ABCDEF" * 2, UPPER_PROBLEM, ("uppercase-hex",)),
        ("0123456789abcdeF" * 2, UPPER_PROBLEM, ("uppercase-hex",)),
        ("0123456789abcdef" * 2, None, ()),
        ("0" * 32, None, ()),
    ],
)
def test_given_problem_words(given_mm: str, problem: str | None,
                             suggested: tuple[str, ...]) -> None:
    assert given_problem(given_mm) == (problem, suggested)
    diagnosis = diagnose_signature(SBS, RANSTR, given_mm, SECRET)
    assert diagnosis.ok is False
    assert diagnosis.given_problem == problem
    assert diagnosis.suggested == suggested  # nothing reproduces these values
    assert diagnosis.matches == ()
    assert diagnosis.headline == UNKNOWN


def test_a_suggestion_that_matches_is_not_repeated() -> None:
    given_mm = sha1(sha1(f"{SBS}_{SECRET}") + "_" + RANSTR)
    diagnosis = diagnose_signature(SBS, RANSTR, given_mm, SECRET)
    assert diagnosis.matches == ("sha1",)
    assert diagnosis.suggested == ()
    assert diagnosis.given_problem == (
        "sbs_mm has 40 hex digits, the length of a SHA-1 digest (MD5 gives 32)"
    )


# ---------------------------------------------------------------------------
# Headlines


def test_correct_signature_words_and_data() -> None:
    good = correct(SBS, RANSTR, SECRET)
    diagnosis = diagnose_signature(SBS, RANSTR, good, SECRET)
    assert diagnosis.ok is True
    assert diagnosis.headline == "The signature is correct."
    assert diagnosis.matches == () and diagnosis.details == () and diagnosis.suggested == ()
    assert diagnosis.given_problem is None
    assert signature_cause(SBS, RANSTR, good, SECRET) is None
    assert signature_cause(SBS, RANSTR, good, SECRET, batch=[link(OTHER_SBS, RANSTR, good)]) is None


def test_upper_case_signature_headline_keeps_its_lower_case_start() -> None:
    given_mm = correct(SBS, RANSTR, SECRET).upper()
    diagnosis = diagnose_signature(SBS, RANSTR, given_mm, SECRET)
    headline = "sbs_mm was computed with upper-case hex digits (MD5 hex digest upper-cased)."
    assert diagnosis.matches == ("uppercase-hex",)
    assert diagnosis.headline == headline
    assert diagnosis.given_problem == UPPER_PROBLEM
    assert diagnosis.suggested == ()
    (match,) = diagnosis.details
    assert match.uppercase is False  # upper case is the mistake itself, not an addition to it
    assert match.variant == "MD5 hex digest upper-cased"
    assert signature_cause(SBS, RANSTR, given_mm, SECRET) == Cause("uppercase-hex", headline)


def test_a_description_in_prose_starts_with_a_capital() -> None:
    given_mm = md5(md5(f"{SBS}_{SECRET}").upper() + "_" + RANSTR)
    headline = (
        "The inner digest md5(sbs + '_' + AppSecret) was upper-cased before the second MD5 "
        "(inner digest in upper case before the second MD5)."
    )
    assert diagnose_signature(SBS, RANSTR, given_mm, SECRET).headline == headline
    assert signature_cause(SBS, RANSTR, given_mm, SECRET) == Cause(
        "uppercase-inner-digest", headline
    )


def test_a_description_naming_a_value_starts_as_written() -> None:
    given_mm = md5(f"{SBS}_{SECRET}_{RANSTR}")
    headline = (
        "sbs_mm was computed as one MD5 over the concatenation instead of two nested MD5s "
        "(md5(sbs + '_' + AppSecret + '_' + ranstr))."
    )
    assert diagnose_signature(SBS, RANSTR, given_mm, SECRET).headline == headline
    assert signature_cause(SBS, RANSTR, given_mm, SECRET) == Cause("single-md5", headline)


def test_a_mistake_written_in_upper_case_says_so_in_the_headline() -> None:
    given_mm = sha1(sha1(f"{SBS}_{SECRET}") + "_" + RANSTR).upper()
    headline = (
        "sbs_mm was computed with SHA-1 instead of MD5 (SHA-1 in both steps), "
        "and written in upper-case hex digits."
    )
    diagnosis = diagnose_signature(SBS, RANSTR, given_mm, SECRET)
    assert diagnosis.matches == ("sha1", "uppercase-hex")
    assert diagnosis.headline == headline
    assert diagnosis.details[0].uppercase is True
    assert len(diagnosis.details) == 1  # uppercase-hex is named for the case, not matched
    assert signature_cause(SBS, RANSTR, given_mm, SECRET) == Cause("sha1", headline)


def test_a_lower_case_match_is_not_called_upper_case() -> None:
    given_mm = md5(md5(f"{SBS}-{SECRET}") + "-" + RANSTR)
    diagnosis = diagnose_signature(SBS, RANSTR, given_mm, SECRET)
    assert diagnosis.matches == ("wrong-separator",)
    assert diagnosis.details[0].uppercase is False
    assert diagnosis.headline == (
        "sbs_mm was computed with a different separator than '_' ('-' instead of '_' in both "
        "steps)."
    )


def test_unknown_cause_words() -> None:
    given_mm = "0123456789abcdef" * 2
    assert diagnose_signature(SBS, RANSTR, given_mm, SECRET).headline == UNKNOWN
    assert signature_cause(SBS, RANSTR, given_mm, SECRET) == Cause(None, UNKNOWN)
    batch = [link(OTHER_SBS, OTHER_RANSTR, "0" * 32)]
    assert signature_cause(SBS, RANSTR, given_mm, SECRET, batch=batch) == Cause(None, UNKNOWN)


@pytest.mark.parametrize("around", [" {}", "{} ", "{}\n", "\t{}\r\n"])
def test_whitespace_around_the_right_signature(around: str) -> None:
    given_mm = around.format(correct(SBS, RANSTR, SECRET))
    diagnosis = diagnose_signature(SBS, RANSTR, given_mm, SECRET)
    assert diagnosis.ok is False
    assert diagnosis.headline == WHITESPACE
    assert diagnosis.matches == () and diagnosis.details == () and diagnosis.suggested == ()
    assert diagnosis.given_problem == "sbs_mm has whitespace around it"
    assert diagnosis.given == given_mm
    assert signature_cause(SBS, RANSTR, given_mm, SECRET) == Cause(None, WHITESPACE)
    batch = [link(OTHER_SBS, OTHER_RANSTR, "0" * 32)]
    assert signature_cause(SBS, RANSTR, given_mm, SECRET, batch=batch) == Cause(None, WHITESPACE)


def test_whitespace_around_a_wrong_signature_is_diagnosed_without_it() -> None:
    given_mm = " " + md5(f"{SBS}_{SECRET}_{RANSTR}") + "\n"
    diagnosis = diagnose_signature(SBS, RANSTR, given_mm, SECRET)
    assert diagnosis.matches == ("single-md5",)
    assert diagnosis.given_problem == "sbs_mm has whitespace around it"
    assert signature_cause(SBS, RANSTR, given_mm, SECRET) == Cause(
        "single-md5", diagnosis.headline
    )


# ---------------------------------------------------------------------------
# What each match tells


def test_other_secret_match_fields() -> None:
    given_mm = correct(SBS, RANSTR, STAGING)
    diagnosis = diagnose_signature(
        SBS, RANSTR, given_mm, SECRET, candidates={"own": SECRET, "staging": STAGING}
    )
    assert diagnosis.matches == ("other-secret",)
    (match,) = diagnosis.details
    item = hypothesis("other-secret")
    assert match.hypothesis == "other-secret"
    assert match.description == item.description
    assert match.fix == item.fix
    assert match.variant == "candidate secret 'staging'"
    assert match.uppercase is False
    assert match.secret_label == "staging"
    assert match.batch_index is None and match.batch_link is None
    first, second = match.steps
    assert first.hashed == f"{SBS}_<candidate secret staging>"
    assert first.result == fingerprint_of(md5(f"{SBS}_{STAGING}"))
    assert second.result == given_mm
    assert diagnosis.headline == (
        "sbs_mm was signed with another secret from the candidate list "
        "(candidate secret 'staging')."
    )


def test_the_own_secret_among_the_candidates_is_not_another_secret() -> None:
    given_mm = correct(SBS, RANSTR, STAGING)
    diagnosis = diagnose_signature(SBS, RANSTR, given_mm, SECRET, candidates=[SECRET, STAGING])
    assert diagnosis.details[0].secret_label == "candidate 2"
    upper = diagnose_signature(
        SBS, RANSTR, correct(SBS, RANSTR, SECRET).upper(), SECRET, candidates=[SECRET]
    )
    assert upper.matches == ("uppercase-hex",)


def test_other_link_values_match_fields() -> None:
    other = link(OTHER_SBS, OTHER_RANSTR, "0" * 32)
    given_mm = correct(SBS, OTHER_RANSTR, SECRET)
    diagnosis = diagnose_signature(SBS, RANSTR, given_mm, SECRET, batch=[other])
    assert diagnosis.matches == ("other-link-values",)
    (match,) = diagnosis.details
    item = hypothesis("other-link-values")
    assert (match.description, match.fix) == (item.description, item.fix)
    assert match.variant == "the ranstr of batch link 1"
    assert match.uppercase is False
    assert match.secret_label is None
    assert match.batch_index == 0
    assert match.batch_link == other
    assert match.steps[1].hashed.endswith("_" + OTHER_RANSTR)
    headline = (
        "sbs_mm was computed from the sbs or ranstr of another link in the batch "
        "(the ranstr of batch link 1)."
    )
    assert diagnosis.headline == headline
    assert signature_cause(SBS, RANSTR, given_mm, SECRET, batch=[other]) == Cause(
        "other-link-values", headline
    )
    # Without the batch nothing explains it.
    assert signature_cause(SBS, RANSTR, given_mm, SECRET) == Cause(None, UNKNOWN)


def test_batch_links_may_be_parsed_links() -> None:
    other = link(OTHER_SBS, OTHER_RANSTR, "0" * 32)
    given_mm = correct(OTHER_SBS, RANSTR, SECRET)
    batch = [parse(link("x", "y" * 16, "1" * 32)), parse(other)]
    diagnosis = diagnose_signature(SBS, RANSTR, given_mm, SECRET, batch=batch)
    assert diagnosis.matches == ("other-link-values",)
    assert diagnosis.details[0].variant == "the sbs of batch link 2"
    assert diagnosis.details[0].batch_index == 1
    assert diagnosis.details[0].batch_link == other
    cause = signature_cause(SBS, RANSTR, given_mm, Secret(SECRET), batch=batch)
    assert cause == Cause("other-link-values", diagnosis.headline)
    mixed = diagnose_signature(SBS, RANSTR, given_mm, SECRET, batch=[batch[0], other])
    assert mixed.details[0].batch_link == other


def test_other_link_values_in_upper_case_first_cause() -> None:
    other = link(OTHER_SBS, OTHER_RANSTR, "0" * 32)
    given_mm = correct(SBS, OTHER_RANSTR, SECRET).upper()
    diagnosis = diagnose_signature(SBS, RANSTR, given_mm, SECRET, batch=[other])
    assert diagnosis.matches == ("other-link-values", "uppercase-hex")
    assert diagnosis.details[0].uppercase is True
    assert signature_cause(SBS, RANSTR, given_mm, SECRET, batch=[other]) == Cause(
        "other-link-values",
        "sbs_mm was computed from the sbs or ranstr of another link in the batch "
        "(the ranstr of batch link 1), and written in upper-case hex digits.",
    )


def test_one_match_per_hypothesis_in_precedence_order() -> None:
    # md5(md5("a b_K") + "_" + r) is the '+' reading of "a+b" and its form encoding alike.
    sbs = "a b"
    given_mm = correct("a+b", RANSTR, SECRET)
    diagnosis = diagnose_signature(sbs, RANSTR, given_mm, SECRET)
    assert diagnosis.matches == ("plus-kept-literal", "raw-encoded-values")
    assert [m.hypothesis for m in diagnosis.details] == list(diagnosis.matches)
    assert diagnosis.details[1].variant == "sbs form-encoded ('+' for space): 'a+b'"
    assert signature_cause(sbs, RANSTR, given_mm, SECRET) == Cause(
        "plus-kept-literal", diagnosis.headline
    )


def test_a_reading_equal_to_the_decoded_value_is_no_mistake() -> None:
    # A caller passes the value as signed and its raw text alike: reading the raw '+'
    # as '+' gives the value itself, the right signature, which names no mistake.
    right = correct("a+b", "x y", SECRET)
    diagnosis = diagnose_signature("a+b", "x y", right.upper(), SECRET, raw_sbs="a+b")
    assert diagnosis.matches == ("uppercase-hex",)
    # ... and the next reading of the same hypothesis is still tried.
    given_mm = correct("a+b", "x+y", SECRET)
    diagnosis = diagnose_signature(
        "a+b", "x y", given_mm, SECRET, raw_sbs="a+b", raw_ranstr="x+y"
    )
    assert diagnosis.matches[0] == "plus-kept-literal"
    assert diagnosis.details[0].variant == (
        "ranstr with '+' kept where the page reads a space: 'x+y'"
    )


# ---------------------------------------------------------------------------
# The raw text: what only it reveals


def test_raw_sbs_text_reveals_what_the_values_alone_do_not() -> None:
    # '%41' is 'A': the server hashed the text as written, an encoding no encoder makes.
    raw, value = "%41bc", "Abc"
    given_mm = correct(raw, RANSTR, SECRET)
    assert signature_cause(value, RANSTR, given_mm, SECRET) == Cause(None, UNKNOWN)
    headline = (
        "The percent-encoded text of sbs or ranstr was hashed instead of the decoded value "
        "(sbs as written in the link: '%41bc')."
    )
    assert signature_cause(value, RANSTR, given_mm, SECRET, raw_sbs=raw) == Cause(
        "raw-encoded-values", headline
    )
    batch = [link(OTHER_SBS, OTHER_RANSTR, "0" * 32)]
    assert signature_cause(value, RANSTR, given_mm, SECRET, raw_sbs=raw, batch=batch) == Cause(
        "raw-encoded-values", headline
    )
    diagnosis = explain(link(value, RANSTR, given_mm, raw_sbs=raw), secret=SECRET)
    assert diagnosis.headline == headline
    assert diagnosis.raw_sbs == raw and diagnosis.sbs == value


def test_raw_ranstr_text_reveals_what_the_values_alone_do_not() -> None:
    raw, value = "%58k9", "Xk9"
    given_mm = correct(SBS, raw, SECRET)
    assert signature_cause(SBS, value, given_mm, SECRET) == Cause(None, UNKNOWN)
    headline = (
        "The percent-encoded text of sbs or ranstr was hashed instead of the decoded value "
        "(ranstr as written in the link: '%58k9')."
    )
    assert signature_cause(SBS, value, given_mm, SECRET, raw_ranstr=raw) == Cause(
        "raw-encoded-values", headline
    )
    batch = [link(OTHER_SBS, OTHER_RANSTR, "0" * 32)]
    assert signature_cause(
        SBS, value, given_mm, SECRET, raw_ranstr=raw, batch=batch
    ) == Cause("raw-encoded-values", headline)
    diagnosis = explain(link(SBS, value, given_mm, raw_ranstr=raw), secret=SECRET)
    assert diagnosis.headline == headline
    assert diagnosis.raw_ranstr == raw and diagnosis.ranstr == value


# ---------------------------------------------------------------------------
# The SDK's reading


def test_sdk_view_from_the_raw_sbs_alone() -> None:
    app_signed = correct("a+b", RANSTR, SECRET)
    diagnosis = diagnose_signature("a b", RANSTR, app_signed, SECRET, raw_sbs="a+b")
    assert diagnosis.sdk == SdkView("a+b", RANSTR, True)
    browser_signed = correct("a b", RANSTR, SECRET)
    diagnosis = diagnose_signature("a b", RANSTR, browser_signed, SECRET, raw_sbs="a+b")
    assert diagnosis.ok is True
    assert diagnosis.sdk == SdkView("a+b", RANSTR, False)


def test_sdk_view_from_the_raw_ranstr_alone() -> None:
    app_signed = correct(SBS, "x+y", SECRET)
    diagnosis = diagnose_signature(SBS, "x y", app_signed, SECRET, raw_ranstr="x+y")
    assert diagnosis.sdk == SdkView(SBS, "x+y", True)
    diagnosis = diagnose_signature(SBS, "x y", "0" * 32, SECRET, raw_ranstr="x+y")
    assert diagnosis.sdk == SdkView(SBS, "x+y", False)


def test_sdk_view_where_only_the_ranstr_is_rejected() -> None:
    diagnosis = diagnose_signature(SBS, "a%zz", "0" * 32, SECRET, raw_sbs=SBS, raw_ranstr="a%zz")
    assert diagnosis.sdk == SdkView(SBS, None, None)
    diagnosis = diagnose_signature("a%zz", RANSTR, "0" * 32, SECRET, raw_sbs="a%zz")
    assert diagnosis.sdk == SdkView(None, RANSTR, None)


def test_sdk_view_absent_where_the_raw_text_reads_the_same() -> None:
    raw = quote(SBS, safe="")
    assert diagnose_signature(SBS, RANSTR, "0" * 32, SECRET, raw_sbs=raw).sdk is None
    assert diagnose_signature(SBS, RANSTR, "0" * 32, SECRET, raw_ranstr=RANSTR).sdk is None
    assert diagnose_signature(
        SBS, RANSTR, "0" * 32, SECRET, raw_sbs=raw, raw_ranstr=RANSTR
    ).sdk is None


def test_explain_passes_the_raw_ranstr() -> None:
    given_mm = correct(SBS, "x+y", SECRET)
    diagnosis = explain(link(SBS, "x y", given_mm, raw_ranstr="x+y"), secret=SECRET)
    assert diagnosis.ranstr == "x y" and diagnosis.raw_ranstr == "x+y"
    assert diagnosis.sdk == SdkView(SBS, "x+y", True)
    assert diagnosis.matches[0] == "plus-kept-literal"


# ---------------------------------------------------------------------------
# explain: what it refuses and what it passes on


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("ranstr=abc&sbs_mm=" + "0" * 32,
         "the link has no sbs: there is no signature to explain"),
        ("sbs=1&sbs_mm=" + "0" * 32,
         "the link has no ranstr: there is no signature to explain"),
        ("sbs=1&ranstr=abc",
         "the link has no sbs_mm: there is no signature to explain"),
        ("direct=1",
         "the link has no sbs or ranstr or sbs_mm: there is no signature to explain"),
        ("sbs=1#ranstr=abc&sbs_mm=" + "0" * 32,
         "the link has no ranstr or sbs_mm: there is no signature to explain (ranstr, sbs_mm "
         "sit after '#', where the page does not read them)"),
        ("sbs=1&ranstr=abc#sbs=2&sbs_mm=" + "0" * 32,
         "the link has no sbs_mm: there is no signature to explain (sbs_mm sit after '#', "
         "where the page does not read them)"),
        ("sbs=1&sbs_mm=" + "0" * 32 + "#x=1",
         "the link has no ranstr: there is no signature to explain"),
        ("direct=1#sbs_mm=0&sbs=1&sbs_mm=2&sbs=3",
         "the link has no sbs or ranstr or sbs_mm: there is no signature to explain (sbs, sbs_mm "
         "sit after '#', where the page does not read them)"),
    ],
)
def test_explain_names_what_is_missing(query: str, message: str) -> None:
    url = f"{BASE}?{query}"
    with pytest.raises(ExplainError) as raised:
        explain(url, secret=SECRET)
    assert str(raised.value) == message
    with pytest.raises(ExplainError) as again:
        explain(parse(url), secret=SECRET)
    assert str(again.value) == message


def test_explain_takes_a_parsed_link() -> None:
    given_mm = correct(SBS, RANSTR, SECRET)
    diagnosis = explain(parse(link(SBS, RANSTR, given_mm)), secret=Secret(SECRET))
    assert diagnosis.ok is True
    assert diagnosis.expected == given_mm


def test_explain_refuses_wrong_argument_types() -> None:
    with pytest.raises(TypeError) as raised:
        explain(42, secret=SECRET)  # type: ignore[arg-type]
    assert str(raised.value) == "explain() argument 'url' must be a str or a DirectLink, not int"
    with pytest.raises(TypeError) as raised:
        explain(link(SBS, RANSTR, "0" * 32), secret=42)  # type: ignore[arg-type]
    assert str(raised.value) == "explain() argument 'secret' must be a Secret or a str, not int"


def test_explain_refuses_a_link_over_the_limit() -> None:
    url = link(SBS, RANSTR, "0" * 32) + "&x=" + "a" * MAX_LINK_CHARS
    with pytest.raises(LinkTooLongError):
        explain(url, secret=SECRET)


def test_explain_passes_candidates_and_batch() -> None:
    by_staging = explain(
        link(SBS, RANSTR, correct(SBS, RANSTR, STAGING)), secret=SECRET,
        candidates={"staging": STAGING},
    )
    assert by_staging.details[0].secret_label == "staging"
    other = link(OTHER_SBS, OTHER_RANSTR, "0" * 32)
    mixed = explain(link(SBS, RANSTR, correct(OTHER_SBS, RANSTR, SECRET)), secret=SECRET,
                    batch=[other])
    assert mixed.details[0].batch_link == other


# ---------------------------------------------------------------------------
# The diagnosis' data and its JSON-ready form


def test_diagnosis_data_of_a_mismatch_found_in_a_link() -> None:
    # The link writes sbs as "a+b" (the page reads "a b"); the server signed with the
    # staging secret. The AppSecret also sits inside the value: it is masked in the data.
    sbs_read = f"a b {SECRET}"
    raw_sbs = f"a+b+{SECRET}"
    given_mm = correct(sbs_read, RANSTR, STAGING)
    url = link(sbs_read, RANSTR, given_mm, raw_sbs=raw_sbs)
    diagnosis = explain(url, secret=SECRET, candidates={"staging": STAGING})
    assert diagnosis.ok is False
    assert diagnosis.expected == correct(sbs_read, RANSTR, SECRET)
    assert diagnosis.given == given_mm
    assert (diagnosis.sbs, diagnosis.ranstr) == (sbs_read, RANSTR)
    assert (diagnosis.raw_sbs, diagnosis.raw_ranstr) == (raw_sbs, RANSTR)
    assert diagnosis.secret_length == len(SECRET)
    assert diagnosis.secret_fingerprint == fingerprint_of(
        hashlib.sha256(SECRET.encode()).hexdigest()
    )
    masked_read = "a b <AppSecret>"
    masked_raw = "a+b+<AppSecret>"
    item = hypothesis("other-secret")
    inner = md5(f"{sbs_read}_{STAGING}")
    assert diagnosis_to_dict(diagnosis) == {
        "ok": False,
        "headline": "sbs_mm was signed with another secret from the candidate list "
                    "(candidate secret 'staging').",
        "expected": correct(sbs_read, RANSTR, SECRET),
        "given": given_mm,
        "given_problem": None,
        "sbs": masked_read,
        "ranstr": RANSTR,
        "raw_sbs": masked_raw,
        "raw_ranstr": RANSTR,
        "secret_length": len(SECRET),
        "secret_fingerprint": fingerprint_of(hashlib.sha256(SECRET.encode()).hexdigest()),
        "sdk": {"sbs": "a+b+<AppSecret>", "ranstr": RANSTR, "ok": False},
        "steps": [
            {**step, "hashed": step["hashed"].replace(SECRET, "<AppSecret>")}  # type: ignore[union-attr]
            for step in correct_step_dicts(sbs_read, RANSTR, SECRET)
        ],
        "matches": ["other-secret"],
        "suggested": [],
        "details": [
            {
                "hypothesis": "other-secret",
                "description": item.description,
                "fix": item.fix,
                "variant": "candidate secret 'staging'",
                "uppercase": False,
                "secret_label": "staging",
                "batch_index": None,
                "batch_link": None,
                "steps": [
                    {"label": "inner digest", "algorithm": "md5", "encoding": "utf-8",
                     "hashed": f"{masked_read}_<candidate secret staging>", "key": None,
                     "result": fingerprint_of(inner)},
                    {"label": "sbs_mm", "algorithm": "md5", "encoding": "utf-8",
                     "hashed": f"<inner digest {fingerprint_of(inner)}>_{RANSTR}", "key": None,
                     "result": given_mm},
                ],
            }
        ],
    }


def test_diagnosis_data_without_raw_text_candidates_or_batch() -> None:
    given_mm = "A" * 32
    diagnosis = diagnose_signature(SBS, RANSTR, given_mm, Secret(SECRET))
    assert diagnosis_to_dict(diagnosis) == {
        "ok": False,
        "headline": UNKNOWN,
        "expected": correct(SBS, RANSTR, SECRET),
        "given": given_mm,
        "given_problem": UPPER_PROBLEM,
        "sbs": SBS,
        "ranstr": RANSTR,
        "raw_sbs": None,
        "raw_ranstr": None,
        "secret_length": len(SECRET),
        "secret_fingerprint": fingerprint_of(hashlib.sha256(SECRET.encode()).hexdigest()),
        "sdk": None,
        "steps": correct_step_dicts(SBS, RANSTR, SECRET),
        "matches": [],
        "suggested": ["uppercase-hex"],
        "details": [],
    }


def test_diagnosis_data_of_a_batch_link_and_an_sdk_rejection() -> None:
    # The batch link holds a candidate secret in its text: masked there too.
    other = link(OTHER_SBS, OTHER_RANSTR, "0" * 32) + "&note=" + STAGING
    given_mm = correct(OTHER_SBS, RANSTR, SECRET)
    diagnosis = diagnose_signature(
        "a%zz", RANSTR, given_mm, SECRET, candidates=[STAGING], batch=[other],
        raw_sbs="a%zz", raw_ranstr="b%zz",
    )
    data = diagnosis_to_dict(diagnosis)
    assert data["sdk"] == {"sbs": None, "ranstr": None, "ok": None}
    assert data["raw_sbs"] == "a%zz" and data["raw_ranstr"] == "b%zz"
    (detail,) = data["details"]  # type: ignore[misc]
    assert detail["hypothesis"] == "other-link-values"
    assert detail["secret_label"] is None
    assert detail["batch_index"] == 0
    assert detail["batch_link"] == other.replace(STAGING, "<AppSecret>")
    assert detail["variant"] == "the sbs of batch link 1"
    assert detail["steps"][0]["hashed"] == f"{OTHER_SBS}_<AppSecret>"


def test_diagnosis_data_masks_a_secret_in_the_given_value_and_steps() -> None:
    given_mm = f"{SECRET}"
    diagnosis = diagnose_signature(SECRET, RANSTR, given_mm, SECRET)
    data = diagnosis_to_dict(diagnosis)
    assert data["given"] == "<AppSecret>"
    assert data["sbs"] == "<AppSecret>"
    assert data["given_problem"] == "sbs_mm holds 'S', which is not a hex digit"
    assert data["steps"][0]["hashed"] == "<AppSecret>_<AppSecret>"  # type: ignore[index]
    assert SECRET not in repr(data)
