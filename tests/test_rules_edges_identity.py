"""Identity rules (DL3xx): exact messages, spans, fixes and near misses."""

from __future__ import annotations

import hashlib

import pytest
from rule_helpers import only

from validator import Config
from validator.build import derived_ranstr
from validator.model import Finding
from validator.rules.identity import ranstr_weakness
from validator.signature import sign

B = "https://visitorchat.twt.com/direct/demo_app"
R = "Qm9yTnx3aWZpLXN0YXI"
M = "0cc175b9c0f1b6a831c399e269772661"
SECRET = "s3cret"
# An everyday link is answered by the engine's screen; a fragment sends it to the full rules.
TAILS = pytest.mark.parametrize("tail", ["", "#top"])


def fix_of(finding: Finding) -> tuple[object, ...] | None:
    fix = finding.fix
    return None if fix is None else (fix.description, fix.safe, fix.edits, fix.replacements)


def md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


# DL301 / DL303: the re-signing fix -----------------------------------------


def test_unsigned_sbs_without_a_secret_has_no_fix() -> None:
    [finding] = only(f"{B}?sbs=42", "DL301")
    assert finding.severity == "error"
    assert (finding.param, finding.span) == ("sbs", (44, 50))
    assert finding.message == "sbs='42' has no sbs_mm: the page cannot verify the customer"
    assert finding.fix is None
    assert only(f"{B}?sbs=42&sbs_mm={M}", "DL301") == []
    assert only(B, "DL301") == []


def test_unsigned_sbs_gets_a_ranstr_and_a_signature() -> None:
    url = f"{B}?sbs=42&x=1"
    ranstr = derived_ranstr(SECRET, url)
    signature = sign("42", ranstr, SECRET)
    [finding] = only(url, "DL301", secret=SECRET)
    assert fix_of(finding) == (
        "sign with the known secret", True,
        (("ranstr", ranstr), ("sbs_mm", signature)),
        (((50, 50), f"&ranstr={ranstr}&sbs_mm={signature}"),),
    )
    assert signature == md5(md5(f"42_{SECRET}") + "_" + ranstr)


def test_unsigned_sbs_with_its_ranstr_gets_only_a_signature() -> None:
    [finding] = only(f"{B}?ranstr={R}&sbs=a%20b", "DL301", secret=SECRET)
    signature = sign("a b", R, SECRET)
    assert finding.span == (71, 80)
    assert fix_of(finding) == ("sign with the known secret", True, (("sbs_mm", signature),),
                               (((80, 80), f"&sbs_mm={signature}"),))


def test_missing_ranstr() -> None:
    [finding] = only(f"{B}?sbs=42&sbs_mm={M}", "DL303")
    assert finding.severity == "error"
    assert (finding.param, finding.span) == ("sbs_mm", (51, 90))
    assert finding.message == "sbs_mm without ranstr: the signature cannot be checked"
    assert finding.fix is None
    assert only(f"{B}?sbs=42&sbs_mm={M}&ranstr={R}", "DL303") == []
    assert only(f"{B}?sbs_mm={M}", "DL303") == []
    assert only(f"{B}?sbs=42", "DL303") == []


def test_missing_ranstr_is_added_and_the_value_re_signed() -> None:
    url = f"{B}?sbs=42&sbs_mm={M}"
    ranstr = derived_ranstr(SECRET, url)
    signature = sign("42", ranstr, SECRET)
    [finding] = only(url, "DL303", secret=SECRET)
    assert fix_of(finding) == (
        "sign with the known secret", True,
        (("ranstr", ranstr), ("sbs_mm", signature)),
        (((58, 90), signature), ((50, 50), f"&ranstr={ranstr}")),
    )


def test_a_bare_sbs_mm_key_is_replaced_with_a_whole_pair() -> None:
    url = f"{B}?sbs=42&sbs_mm"
    ranstr = derived_ranstr(SECRET, url)
    signature = sign("42", ranstr, SECRET)
    [finding] = only(url, "DL303", secret=SECRET)
    assert finding.span == (51, 57)
    assert finding.fix is not None
    assert finding.fix.replacements == (
        ((51, 57), f"sbs_mm={signature}"), ((50, 50), f"&ranstr={ranstr}"))


# DL302 ---------------------------------------------------------------------


def test_orphan_signature_names_sbs_mm_before_ranstr() -> None:
    [both] = only(f"{B}?ranstr={R}&sbs_mm={M}", "DL302")
    assert both.severity == "error"
    assert (both.param, both.span) == ("sbs_mm", (71, 110))
    assert both.message == "sbs_mm without sbs: there is no customer to sign"
    [alone] = only(f"{B}?ranstr={R}", "DL302")
    assert (alone.param, alone.span) == ("ranstr", (44, 70))
    assert alone.message == "ranstr without sbs: there is no customer to sign"
    assert only(f"{B}?sbs=42&sbs_mm={M}&ranstr={R}", "DL302") == []
    assert only(B, "DL302") == []


# DL304 ---------------------------------------------------------------------


def test_short_ranstr_against_the_default_and_configured_minimum() -> None:
    [finding] = only(f"{B}?sbs=42&sbs_mm={M}&ranstr=abcdefghijklmno", "DL304")
    assert finding.severity == "warning"
    assert (finding.param, finding.span) == ("ranstr", (98, 113))
    assert finding.message == "ranstr is 15 characters, shorter than the minimum 16"
    assert only(f"{B}?ranstr=abcdefghijklmnop", "DL304") == []
    [configured] = only(f"{B}?ranstr=abc", "DL304", Config(min_ranstr_length=4))
    assert configured.message == "ranstr is 3 characters, shorter than the minimum 4"
    assert configured.span == (51, 54)
    assert only(f"{B}?ranstr=abc", "DL304", Config(min_ranstr_length=3)) == []
    assert only(B, "DL304") == []


# DL305 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "weakness"),
    [("aa", "one repeated character"), ("aaaaaaaaaaaaaaaa", "one repeated character"),
     ("1700000000", "a plain timestamp"), ("1700000000000", "a plain timestamp"),
     ("1700000000000000", "a plain timestamp"), ("1700000000000000000", "a plain timestamp"),
     ("0946684800", "a plain timestamp"), ("4102444800", "a plain timestamp"),
     ("20240131", "a plain timestamp"), ("202401311230", "a plain timestamp"),
     ("20240131123000", "a plain timestamp"), ("19991201", "a plain timestamp"),
     ("19990101", "a plain timestamp"), ("abcd", "a sequential run"),
     ("dcba", "a sequential run"), ("7890123", "a sequential run"),
     ("3210987", "a sequential run"), ("xyzabc", "a sequential run"),
     ("XYZABC", "a sequential run"), ("abcdefghix", "a sequential run"),
     ("abcdeXYghij", "a sequential run"),
     ("abcabcabc", "a pattern of 3 characters repeated"),
     ("axbyaxbyaxby", "a pattern of 4 characters repeated"),
     ("acbacbacbacb", "a pattern of 3 characters repeated"),
     ("acacac", "a pattern of 2 characters repeated"),
     ("acacacac", "a pattern of 2 characters repeated"),
     ("aabbaabb", "only 2 distinct characters"), ("abcabcab", "only 3 distinct characters"),
     ("aabbccab", "only 3 distinct characters")],
)
def test_weak_random_strings(value: str, weakness: str) -> None:
    assert ranstr_weakness(value) == weakness


@pytest.mark.parametrize(
    "value",
    ["", "a", "ab", "abc", "abce", "aba", "946684800", "0946684799", "4102444801",
     "18991201", "20241301", "20240001", "2024013", "172401311230", "abcdeXghij",
     "abcdefghxx", "abcab", "abcdabce", "ab1ab2ab", "aabbcca", "xayb",
     R, "ZA", "Zabc9", "a9b0", "za", "acaca", "abcxab", "abcdxzab"],
)
def test_random_enough_strings(value: str) -> None:
    assert ranstr_weakness(value) is None


def test_wraps_count_as_sequential() -> None:
    assert ranstr_weakness("89012") == "a sequential run"
    assert ranstr_weakness("21098") == "a sequential run"
    assert ranstr_weakness("yzabc") == "a sequential run"
    assert ranstr_weakness("YZABC") == "a sequential run"
    # Only those wraps: "a" to "z" going down is no neighbour of "a".
    assert ranstr_weakness("cbazy") is None
    assert ranstr_weakness("CBAZY") is None


def test_weak_ranstr_finding() -> None:
    [finding] = only(f"{B}?sbs=42&sbs_mm={M}&ranstr=1700000000000000", "DL305")
    assert finding.severity == "warning"
    assert (finding.param, finding.span) == ("ranstr", (98, 114))
    assert finding.message == "ranstr='1700000000000000' is not random: a plain timestamp"
    assert only(f"{B}?ranstr={R}", "DL305") == []
    assert only(B, "DL305") == []


# DL306 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sbs_mm", "span", "message"),
    [("", (51, 58), "sbs_mm is empty"),
     (M.upper(), (58, 90),
      "sbs_mm has upper-case hex digits; MD5 output must be 32 lower-case hex"),
     ("a" * 40, (58, 98), "sbs_mm has 40 hex digits, the length of SHA-1, not MD5 (32)"),
     ("a" * 64, (58, 122), "sbs_mm has 64 hex digits, the length of SHA-256, not MD5 (32)"),
     ("a" * 31, (58, 89), "sbs_mm has 31 hex digits, not the 32 of an MD5"),
     ("a" * 33, (58, 91), "sbs_mm has 33 hex digits, not the 32 of an MD5"),
     ("f" * 31, (58, 89), "sbs_mm has 31 hex digits, not the 32 of an MD5"),
     ("abcg", (58, 62), "sbs_mm holds 'g', not a hex digit; MD5 output is 32 lower-case hex"),
     ("0X1", (58, 61), "sbs_mm holds 'X', not a hex digit; MD5 output is 32 lower-case hex"),
     ("Fab%C3%A9", (58, 67),
      "sbs_mm holds 'é', not a hex digit; MD5 output is 32 lower-case hex"),
     ("%D9%A1", (58, 64),
      "sbs_mm holds '١', not a hex digit; MD5 output is 32 lower-case hex")],
)
def test_malformed_sbs_mm_says_what_is_wrong(sbs_mm: str, span: tuple[int, int],
                                             message: str) -> None:
    [finding] = only(f"{B}?sbs=42&sbs_mm={sbs_mm}&ranstr={R}", "DL306")
    assert finding.severity == "error"
    assert (finding.param, finding.span, finding.message) == ("sbs_mm", span, message)
    assert finding.fix is None


def test_malformed_sbs_mm_with_a_secret_carries_the_diagnosis_and_the_fix() -> None:
    right = sign("42", R, SECRET)
    [finding] = only(f"{B}?sbs=42&sbs_mm={right.upper()}&ranstr={R}", "DL306", secret=SECRET)
    assert finding.message == (
        "sbs_mm has upper-case hex digits; MD5 output must be 32 lower-case hex. "
        "Diagnosis: sbs_mm was computed with upper-case hex digits (MD5 hex digest upper-cased)."
    )
    assert fix_of(finding) == ("sign with the known secret", True, (("sbs_mm", right),),
                               (((58, 90), right),))


def test_malformed_sbs_mm_without_ranstr_has_no_diagnosis_nor_fix() -> None:
    [finding] = only(f"{B}?sbs=42&sbs_mm={M.upper()}", "DL306", secret=SECRET)
    assert finding.message == (
        "sbs_mm has upper-case hex digits; MD5 output must be 32 lower-case hex"
    )
    assert finding.fix is None
    [orphan] = only(f"{B}?sbs_mm={M.upper()}&ranstr={R}", "DL306", secret=SECRET)
    assert orphan.message == (
        "sbs_mm has upper-case hex digits; MD5 output must be 32 lower-case hex"
    )
    assert orphan.fix is None
    assert only(f"{B}?sbs=42&sbs_mm={M}&ranstr={R}", "DL306", secret=SECRET) == []


# DL307 ---------------------------------------------------------------------


@TAILS
def test_signature_mismatch_names_the_mistake(tail: str) -> None:
    wrong = md5(md5(f"42{SECRET}") + R)  # no '_' separators
    right = sign("42", R, SECRET)
    [finding] = only(f"{B}?sbs=42&sbs_mm={wrong}&ranstr={R}{tail}", "DL307", secret=SECRET)
    assert (finding.severity, finding.name) == ("error", "signature-mismatch")
    assert (finding.param, finding.span) == ("sbs_mm", (58, 90))
    assert finding.message == (
        "sbs_mm does not match sbs and ranstr for this app's secret: "
        "sbs_mm was computed without the '_' separator (no '_' in either step)."
    )
    assert fix_of(finding) == ("sign with the known secret", True, (("sbs_mm", right),),
                               (((58, 90), right),))


def test_signature_mismatch_of_unknown_cause() -> None:
    [finding] = only(f"{B}?sbs=42&sbs_mm={M}&ranstr={R}", "DL307", secret=SECRET)
    assert finding.message == (
        "sbs_mm does not match sbs and ranstr for this app's secret: "
        "No known mistake reproduces the given sbs_mm (unknown cause)."
    )


def test_no_mismatch_without_a_secret_a_ranstr_or_a_well_formed_value() -> None:
    assert only(f"{B}?sbs=42&sbs_mm={M}&ranstr={R}", "DL307") == []
    assert only(f"{B}?sbs=42&sbs_mm={M}", "DL307", secret=SECRET) == []
    assert only(f"{B}?sbs=42&sbs_mm={M.upper()}&ranstr={R}", "DL307", secret=SECRET) == []
    right = sign("42", R, SECRET)
    assert only(f"{B}?sbs=42&sbs_mm={right}&ranstr={R}", "DL307", secret=SECRET) == []


# DL308 ---------------------------------------------------------------------


@TAILS
def test_signature_not_checked_names_the_app(tail: str) -> None:
    [finding] = only(f"{B}?sbs=42&sbs_mm={M}&ranstr={R}{tail}", "DL308")
    assert finding.severity == "info"
    assert (finding.param, finding.span) == ("sbs_mm", (51, 90))
    assert finding.message == "no secret known for app 'demo_app': the signature was not verified"
    [no_app] = only(f"https://visitorchat.twt.com/direct/?sbs=42&sbs_mm={M}{tail}", "DL308")
    assert no_app.message == "no secret known for app: the signature was not verified"
    assert only(f"{B}?sbs=42&sbs_mm={M}&ranstr={R}", "DL308", secret=SECRET) == []
    assert only(f"{B}?sbs_mm={M}", "DL308") == []
    assert only(f"{B}?sbs=42&ranstr={R}", "DL308") == []


# DL309 ---------------------------------------------------------------------


def test_parameters_named_like_a_secret() -> None:
    url = f"{B}?App-Secret=1&sbs=42#APPSECRET=2&secret_=3"
    findings = only(url, "DL309")
    assert [(f.param, f.span, f.message, f.severity) for f in findings] == [
        ("App-Secret", (44, 56),
         "parameter 'App-Secret' is named like a secret: never put the AppSecret in a link",
         "error"),
        ("APPSECRET", (64, 75),
         "parameter 'APPSECRET' is named like a secret: never put the AppSecret in a link",
         "error"),
        ("secret_", (76, 85),
         "parameter 'secret_' is named like a secret: never put the AppSecret in a link",
         "error"),
    ]
    assert only(f"{B}?secrets=1&mysecret=2", "DL309") == []


LONG = "s3cretvalue42"


def test_the_secret_itself_in_the_link() -> None:
    [value] = only(f"{B}?sbs=42&x=a{LONG}b", "DL309", secret=LONG)
    assert value.severity == "error"
    assert (value.param, value.span) == ("x", (51, 68))
    assert value.message == "the AppSecret appears in the link (in x): rotate it"
    [path] = only(f"https://visitorchat.twt.com/direct/{LONG}", "DL309", secret=LONG)
    assert (path.span, path.param) == ((35, 48), None)
    assert path.message == "the AppSecret appears in the link (URL): rotate it"
    [name] = only(f"{B}?{LONG}=1", "DL309", secret=LONG)
    assert (name.span, name.param) == ((44, 59), None)
    assert name.message == "the AppSecret appears in the link (a parameter name): rotate it"
    [encoded] = only(f"{B}?x=s3cret%76alue42", "DL309", secret=LONG)
    assert (encoded.span, encoded.param) == ((44, 61), "x")
    assert only(f"{B}?x=s3cretvalue4", "DL309", secret=LONG) == []


def test_a_known_secret_of_another_app_is_reported_once() -> None:
    url = f"{B}?x=other-secret-9&y={LONG}"
    findings = only(url, "DL309", secret=LONG, known_secrets=["other-secret-9"])
    assert [(f.param, f.span) for f in findings] == [("y", (61, 76))]
    [other] = only(url, "DL309", known_secrets=["other-secret-9"])
    assert (other.param, other.span) == ("x", (44, 60))
    assert only(f"{B}?x=1", "DL309", secret=LONG, known_secrets=["other-secret-9"]) == []


def test_a_secret_like_name_holding_the_secret_is_reported_once() -> None:
    findings = only(f"{B}?secret={LONG}", "DL309", secret=LONG)
    assert [(f.param, f.span) for f in findings] == [("secret", (44, 64))]


# DL311 ---------------------------------------------------------------------


def test_plus_in_the_signed_fields() -> None:
    url = f"{B}?name=a+b&sbs=john+doe&ranstr=ab+cd+ef"
    findings = only(url, "DL311")
    assert [(f.param, f.span, f.message, f.severity, fix_of(f)) for f in findings] == [
        ("sbs", (57, 65),
         "raw sbs 'john+doe' holds '+': a browser reads 'john doe', the native SDK 'john+doe'",
         "warning", ("write + as %20", True, (), (((57, 65), "john%20doe"),))),
        ("ranstr", (73, 81),
         "raw ranstr 'ab+cd+ef' holds '+': a browser reads 'ab cd ef', the native SDK "
         "'ab+cd+ef'", "warning",
         ("write + as %20", True, (), (((73, 81), "ab%20cd%20ef"),))),
    ]
    assert only(f"{B}?name=a+b&sbs=42&ranstr=x", "DL311") == []
    assert only(f"{B}?sbs=a%2Bb&ranstr", "DL311") == []
    assert only("https://visitorchat.twt.com/direct/a+b?sbs=42#sbs=a+b", "DL311") == []


# DL312 ---------------------------------------------------------------------


@TAILS
def test_unsigned_customer_fields_in_their_documented_order(tail: str) -> None:
    [finding] = only(f"{B}?x=1&phone=1&name=Ann&email={tail}", "DL312")
    assert finding.severity == "info"
    assert (finding.param, finding.span) == ("phone", (48, 55))
    assert finding.message == (
        "name, email, phone not covered by the signature: anyone with the link can change "
        "what the agent sees"
    )
    assert only(f"{B}?sbs=42&x=1", "DL312") == []


# DL313 ---------------------------------------------------------------------


@TAILS
def test_bearer_link_is_a_warning_in_public_contexts(tail: str) -> None:
    url = f"{B}?sbs=42&sbs_mm={sign('42', R, SECRET)}&ranstr={R}{tail}"
    [private] = only(url, "DL313", secret=SECRET)
    assert private.severity == "info"
    assert (private.param, private.span) == ("sbs", (44, 50))
    assert private.message == (
        "valid signature for customer '42': whoever holds this link is that customer, "
        "and it never expires"
    )
    [public] = only(url, "DL313", Config(context="qr"), secret=SECRET)
    assert public.severity == "warning"
    assert only(url, "DL313") == []
    assert only(url, "DL313", secret="other") == []


@TAILS
def test_the_diagnosis_reads_the_values_as_written(tail: str) -> None:
    # The server hashed the escaped text of the link instead of the decoded values.
    sbs_mm = sign("a%62c", R, SECRET)
    [sbs] = only(f"{B}?sbs=a%62c&sbs_mm={sbs_mm}&ranstr={R}{tail}", "DL307", secret=SECRET)
    assert sbs.message.endswith("(sbs as written in the link: 'a%62c').")
    ranstr = "Qm9yTnx3aWZpLXN0YX%49"
    sbs_mm = sign("42", ranstr, SECRET)
    [raw] = only(f"{B}?sbs=42&sbs_mm={sbs_mm}&ranstr={ranstr}{tail}", "DL307", secret=SECRET)
    assert raw.message.endswith(f"(ranstr as written in the link: {ranstr!r}).")
    [shape] = only(f"{B}?sbs=42&sbs_mm={sbs_mm.upper()}&ranstr={ranstr}{tail}", "DL306",
                   secret=SECRET)
    assert shape.message.endswith(
        f"(ranstr as written in the link: {ranstr!r}), and written in upper-case hex digits."
    )


def test_plus_in_ranstr_after_a_plain_sbs() -> None:
    [finding] = only(f"{B}?sbs=42&ranstr=ab+cd", "DL311")
    assert finding.param == "ranstr"
