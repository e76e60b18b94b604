"""The mistake catalogue: each construction it tries, named as the diagnosis names it.

``tests/test_diagnose.py`` shows that every hypothesis id is found. Here each
*variant* of each hypothesis is reproduced by an independent mistaken signer
(written the way an integrator's server would be, with ``hashlib`` and
``hmac``, not with the catalogue's helpers), and the diagnosis must name it
exactly: the hypothesis, the words of the variant and of the headline, and
every step it shows (what was hashed, with which algorithm, encoding and key,
and the result), with the secret as ``<AppSecret>`` and credential digests only
as fingerprints.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import quote

import pytest

from validator.diagnose import (
    HYPOTHESES,
    UNKNOWN_CAUSE,
    Diagnosis,
    Match,
    Step,
    diagnose_signature,
    diagnosis_to_dict,
    hypotheses_markdown,
    hypothesis,
)
from validator.report.explain_text import render_diagnosis

SBS = "张三 john"
RANSTR = "Xk9fQ2mZ7pL4wR8t"
SECRET = "s3cr3t-key"
MASK = "<AppSecret>"


def md5(data: str | bytes, encoding: str = "utf-8") -> str:
    raw = data.encode(encoding) if isinstance(data, str) else data
    return hashlib.md5(raw).hexdigest()


def hexdigest(algorithm: str, text: str) -> str:
    return hashlib.new(algorithm, text.encode()).hexdigest()


def hmac_md5(key: str, message: str) -> str:
    return hmac.new(key.encode(), message.encode(), "md5").hexdigest()


def fp(digest: str) -> str:
    """How a credential digest is shown: its first 6 characters and an ellipsis."""
    return digest[:6] + "…"


def correct(sbs: str, ranstr: str, secret: str) -> str:
    return md5(md5(f"{sbs}_{secret}") + "_" + ranstr)


INNER = md5(f"{SBS}_{SECRET}")
EXPECTED = correct(SBS, RANSTR, SECRET)

StepView = tuple[str, str, str, str, str, str | None]


def view(steps: tuple[Step, ...]) -> list[StepView]:
    return [(s.label, s.algorithm, s.hashed, s.result, s.encoding, s.key) for s in steps]


def correct_view(sbs: str = SBS, ranstr: str = RANSTR, secret: str = SECRET) -> list[StepView]:
    inner = md5(f"{sbs}_{secret}")
    return [
        ("inner digest", "md5", f"{sbs}_{MASK}", fp(inner), "utf-8", None),
        ("sbs_mm", "md5", f"<inner digest {fp(inner)}>_{ranstr}", correct(sbs, ranstr, secret),
         "utf-8", None),
    ]


def two_step_view(
    inner_hashed: str,
    inner: str,
    outer_hashed: str,
    result: str,
    *,
    inner_algorithm: str = "md5",
    outer_algorithm: str = "md5",
    inner_encoding: str = "utf-8",
    outer_encoding: str = "utf-8",
) -> list[StepView]:
    return [
        ("inner digest", inner_algorithm, inner_hashed, fp(inner), inner_encoding, None),
        ("sbs_mm", outer_algorithm, outer_hashed, result, outer_encoding, None),
    ]


def first(diagnosis: Diagnosis) -> Match:
    assert not diagnosis.ok
    assert diagnosis.details, diagnosis.headline
    return diagnosis.details[0]


def named(
    given_mm: str, sbs: str = SBS, ranstr: str = RANSTR, secret: str = SECRET, **options: object
) -> Match:
    """The first mistake the diagnosis names for ``given_mm``, checked against its headline."""
    diagnosis = diagnose_signature(sbs, ranstr, given_mm, secret, **options)  # type: ignore[arg-type]
    match = first(diagnosis)
    assert diagnosis.matches[0] == match.hypothesis
    headline = f"{match.description} ({match.variant})."
    if not headline.startswith(("sbs", "ranstr")):
        headline = headline[0].upper() + headline[1:]
    assert diagnosis.headline == headline
    return match


def hypothesis_ids(diagnosis: Diagnosis) -> list[str]:
    return [m.hypothesis for m in diagnosis.details]


# ---------------------------------------------------------------------------
# The two-step construction with one thing changed


def test_uppercase_hex_shows_the_correct_digest_upper_cased() -> None:
    assert EXPECTED.upper() != EXPECTED
    given_mm = EXPECTED.upper()
    match = named(given_mm)
    assert match.hypothesis == "uppercase-hex"
    assert match.variant == "MD5 hex digest upper-cased"
    assert not match.uppercase
    assert view(match.steps) == [
        *correct_view(),
        ("upper-cased", "upper", EXPECTED, given_mm, "utf-8", None),
    ]


def test_uppercase_inner_digest_shows_the_upper_cased_fingerprint() -> None:
    upper = INNER.upper()
    given_mm = md5(upper + "_" + RANSTR)
    match = named(given_mm)
    assert match.hypothesis == "uppercase-inner-digest"
    assert match.variant == "inner digest in upper case before the second MD5"
    assert view(match.steps) == two_step_view(
        f"{SBS}_{MASK}", upper, f"<inner digest (upper-cased) {fp(upper)}>_{RANSTR}", given_mm
    )


@pytest.mark.parametrize(
    ("variant", "inner_sep", "outer_sep"),
    [
        ("no '_' in either step", "", ""),
        ("no '_' between sbs and the secret", "", "_"),
        ("no '_' between the inner digest and ranstr", "_", ""),
    ],
)
def test_missing_separator_names_the_step(variant: str, inner_sep: str, outer_sep: str) -> None:
    inner = md5(f"{SBS}{inner_sep}{SECRET}")
    given_mm = md5(f"{inner}{outer_sep}{RANSTR}")
    match = named(given_mm)
    assert match.hypothesis == "missing-separator"
    assert match.variant == variant
    assert view(match.steps) == two_step_view(
        f"{SBS}{inner_sep}{MASK}", inner, f"<inner digest {fp(inner)}>{outer_sep}{RANSTR}",
        given_mm,
    )


SEPARATORS = ("-", "|", ":", ",", ".", ";", "+", "&", "=", "/", " ", "__")


@pytest.mark.parametrize("separator", SEPARATORS)
@pytest.mark.parametrize("where", ["both", "inner", "outer"])
def test_wrong_separator_names_the_separator_and_the_step(separator: str, where: str) -> None:
    inner_sep = "_" if where == "outer" else separator
    outer_sep = "_" if where == "inner" else separator
    inner = md5(f"{SBS}{inner_sep}{SECRET}")
    given_mm = md5(f"{inner}{outer_sep}{RANSTR}")
    match = named(given_mm)
    assert match.hypothesis == "wrong-separator"
    assert match.variant == {
        "both": f"{separator!r} instead of '_' in both steps",
        "inner": f"{separator!r} instead of '_' between sbs and the secret",
        "outer": f"{separator!r} instead of '_' before ranstr",
    }[where]
    assert view(match.steps) == two_step_view(
        f"{SBS}{inner_sep}{MASK}", inner, f"<inner digest {fp(inner)}>{outer_sep}{RANSTR}",
        given_mm,
    )


def test_a_separator_not_in_the_list_is_an_unknown_cause() -> None:
    inner = md5(f"{SBS}#{SECRET}")
    diagnosis = diagnose_signature(SBS, RANSTR, md5(f"{inner}#{RANSTR}"), SECRET)
    assert diagnosis.matches == ()
    assert diagnosis.headline == UNKNOWN_CAUSE


def test_swapped_order_secret_first() -> None:
    inner = md5(f"{SECRET}_{SBS}")
    given_mm = md5(f"{inner}_{RANSTR}")
    match = named(given_mm)
    assert match.hypothesis == "swapped-order"
    assert match.variant == "secret before sbs: md5(AppSecret + '_' + sbs)"
    assert view(match.steps) == two_step_view(
        f"{MASK}_{SBS}", inner, f"<inner digest {fp(inner)}>_{RANSTR}", given_mm
    )


def test_swapped_order_ranstr_first() -> None:
    given_mm = md5(f"{RANSTR}_{INNER}")
    match = named(given_mm)
    assert match.hypothesis == "swapped-order"
    assert match.variant == "ranstr before the inner digest"
    assert view(match.steps) == two_step_view(
        f"{SBS}_{MASK}", INNER, f"{RANSTR}_<inner digest {fp(INNER)}>", given_mm
    )


def test_swapped_order_in_both_steps() -> None:
    inner = md5(f"{SECRET}_{SBS}")
    given_mm = md5(f"{RANSTR}_{inner}")
    match = named(given_mm)
    assert match.hypothesis == "swapped-order"
    assert match.variant == "both steps in reverse order"
    assert view(match.steps) == two_step_view(
        f"{MASK}_{SBS}", inner, f"{RANSTR}_<inner digest {fp(inner)}>", given_mm
    )


def test_swapped_order_sbs_and_ranstr_exchanged() -> None:
    inner = md5(f"{RANSTR}_{SECRET}")
    given_mm = md5(f"{inner}_{SBS}")
    match = named(given_mm)
    assert match.hypothesis == "swapped-order"
    assert match.variant == "sbs and ranstr exchanged"
    assert view(match.steps) == two_step_view(
        f"{RANSTR}_{MASK}", inner, f"<inner digest {fp(inner)}>_{SBS}", given_mm
    )


@pytest.mark.parametrize(
    ("used", "variant", "shown"),
    [
        (SECRET + "\n", "the secret with a trailing newline", MASK + "\\n"),
        (SECRET + "\r\n", "the secret with a trailing CR LF", MASK + "\\r\\n"),
        (SECRET + " ", "the secret with a trailing space", MASK + "␠"),
        (SECRET + "  ", "the secret with two trailing spaces", MASK + "␠␠"),
        (SECRET + "\t", "the secret with a trailing tab", MASK + "\\t"),
        (" " + SECRET, "the secret with a leading space", "␠" + MASK),
    ],
)
def test_secret_whitespace_names_what_was_added(used: str, variant: str, shown: str) -> None:
    inner = md5(f"{SBS}_{used}")
    given_mm = md5(f"{inner}_{RANSTR}")
    match = named(given_mm)
    assert match.hypothesis == "secret-whitespace"
    assert match.variant == variant
    assert view(match.steps) == two_step_view(
        f"{SBS}_{shown}", inner, f"<inner digest {fp(inner)}>_{RANSTR}", given_mm
    )


@pytest.mark.parametrize(
    ("secret", "used", "variant", "shown"),
    [
        (" \tpadded\n", "padded", "the secret with its surrounding whitespace trimmed",
         "<AppSecret trimmed>"),
        (" \tpadded\n", " \tpadded", "the secret with its trailing whitespace trimmed",
         "<AppSecret right-trimmed>"),
        (" \tpadded\n", "padded\n", "the secret with its leading whitespace trimmed",
         "<AppSecret left-trimmed>"),
        ("padded \n", "padded", "the secret with its surrounding whitespace trimmed",
         "<AppSecret trimmed>"),
        ("\t padded", "padded", "the secret with its surrounding whitespace trimmed",
         "<AppSecret trimmed>"),
    ],
)
def test_secret_whitespace_trimmed(secret: str, used: str, variant: str, shown: str) -> None:
    inner = md5(f"{SBS}_{used}")
    given_mm = md5(f"{inner}_{RANSTR}")
    match = named(given_mm, secret=secret)
    assert match.hypothesis == "secret-whitespace"
    assert match.variant == variant
    assert view(match.steps) == two_step_view(
        f"{SBS}_{shown}", inner, f"<inner digest {fp(inner)}>_{RANSTR}", given_mm
    )


def test_a_secret_of_only_whitespace_is_never_trimmed_to_nothing() -> None:
    # Signing with an empty secret is not "the secret trimmed": nothing is left of it.
    given_mm = correct(SBS, RANSTR, "")
    diagnosis = diagnose_signature(SBS, RANSTR, given_mm, "  \n")
    assert "secret-whitespace" not in diagnosis.matches
    assert diagnosis.headline == UNKNOWN_CAUSE


def test_other_secret_names_the_label_in_the_variant_and_the_step() -> None:
    staging = "staging-secret-0001"
    inner = md5(f"{SBS}_{staging}")
    given_mm = md5(f"{inner}_{RANSTR}")
    match = named(given_mm, candidates={"rotated": "old-secret-1", "staging": staging})
    assert match.hypothesis == "other-secret"
    assert match.variant == "candidate secret 'staging'"
    assert match.secret_label == "staging"
    assert match.batch_index is None and match.batch_link is None
    assert view(match.steps) == two_step_view(
        f"{SBS}_<candidate secret staging>", inner, f"<inner digest {fp(inner)}>_{RANSTR}",
        given_mm,
    )


def test_a_candidate_equal_to_the_secret_is_not_another_secret() -> None:
    given_mm = md5(f"{md5(f'{SBS}_other-secret-1')}_{RANSTR}")
    diagnosis = diagnose_signature(
        SBS, RANSTR, given_mm, SECRET, candidates={"same": SECRET, "old": "other-secret-1"}
    )
    assert [m.secret_label for m in diagnosis.details] == ["old"]


# ---------------------------------------------------------------------------
# Constructions of another shape: one hash, HMAC, other algorithms, raw bytes


@pytest.mark.parametrize(
    ("variant", "hashed"),
    [
        ("md5(sbs + '_' + AppSecret + '_' + ranstr)", "{b}_{k}_{r}"),
        ("md5(sbs + AppSecret + ranstr)", "{b}{k}{r}"),
        ("md5(sbs + '_' + ranstr + '_' + AppSecret)", "{b}_{r}_{k}"),
        ("md5(AppSecret + '_' + sbs + '_' + ranstr)", "{k}_{b}_{r}"),
    ],
)
def test_single_md5_names_the_order(variant: str, hashed: str) -> None:
    given_mm = md5(hashed.format(b=SBS, r=RANSTR, k=SECRET))
    match = named(given_mm)
    assert match.hypothesis == "single-md5"
    assert match.variant == variant
    assert view(match.steps) == [
        ("sbs_mm", "md5", hashed.format(b=SBS, r=RANSTR, k=MASK), given_mm, "utf-8", None)
    ]


HMAC_INNER = hmac_md5(SECRET, SBS)
HMAC_INNER_STEP: StepView = ("inner digest", "hmac-md5", SBS, fp(HMAC_INNER), "utf-8", MASK)
CORRECT_INNER_STEP: StepView = correct_view()[0]


@pytest.mark.parametrize(
    ("variant", "given_mm", "steps"),
    [
        (
            "inner digest = HMAC-MD5(key=AppSecret, sbs), then md5(inner + '_' + ranstr)",
            md5(f"{HMAC_INNER}_{RANSTR}"),
            [HMAC_INNER_STEP, ("sbs_mm", "md5", f"<inner digest {fp(HMAC_INNER)}>_{RANSTR}",
                               md5(f"{HMAC_INNER}_{RANSTR}"), "utf-8", None)],
        ),
        (
            "HMAC-MD5 keyed with the AppSecret in both steps",
            hmac_md5(SECRET, f"{HMAC_INNER}_{RANSTR}"),
            [HMAC_INNER_STEP, ("sbs_mm", "hmac-md5", f"<inner digest {fp(HMAC_INNER)}>_{RANSTR}",
                               hmac_md5(SECRET, f"{HMAC_INNER}_{RANSTR}"), "utf-8", MASK)],
        ),
        (
            "one HMAC-MD5(key=AppSecret, sbs + '_' + ranstr)",
            hmac_md5(SECRET, f"{SBS}_{RANSTR}"),
            [("sbs_mm", "hmac-md5", f"{SBS}_{RANSTR}", hmac_md5(SECRET, f"{SBS}_{RANSTR}"),
              "utf-8", MASK)],
        ),
        (
            "HMAC-MD5(key=inner digest, ranstr)",
            hmac_md5(INNER, RANSTR),
            [CORRECT_INNER_STEP, ("sbs_mm", "hmac-md5", RANSTR, hmac_md5(INNER, RANSTR), "utf-8",
                                  f"<inner digest {fp(INNER)}>")],
        ),
        (
            "plain inner MD5, then HMAC-MD5(key=AppSecret, inner + '_' + ranstr)",
            hmac_md5(SECRET, f"{INNER}_{RANSTR}"),
            [CORRECT_INNER_STEP, ("sbs_mm", "hmac-md5", f"<inner digest {fp(INNER)}>_{RANSTR}",
                                  hmac_md5(SECRET, f"{INNER}_{RANSTR}"), "utf-8", MASK)],
        ),
    ],
)
def test_hmac_md5_names_the_construction(
    variant: str, given_mm: str, steps: list[StepView]
) -> None:
    match = named(given_mm)
    assert match.hypothesis == "hmac-md5"
    assert match.variant == variant
    assert view(match.steps) == steps


def test_hmac_keys_are_the_utf8_of_the_secret() -> None:
    secret = "clé-秘密"
    given_mm = hmac.new(secret.encode("utf-8"), f"{SBS}_{RANSTR}".encode(), "md5").hexdigest()
    match = named(given_mm, secret=secret)
    assert match.variant == "one HMAC-MD5(key=AppSecret, sbs + '_' + ranstr)"


@pytest.mark.parametrize(("algorithm", "name"), [("sha1", "SHA-1"), ("sha256", "SHA-256")])
@pytest.mark.parametrize("where", ["both", "outer", "inner"])
def test_other_algorithm_names_the_step(algorithm: str, name: str, where: str) -> None:
    inner_algorithm = "md5" if where == "outer" else algorithm
    outer_algorithm = "md5" if where == "inner" else algorithm
    inner = hexdigest(inner_algorithm, f"{SBS}_{SECRET}")
    given_mm = hexdigest(outer_algorithm, f"{inner}_{RANSTR}")
    match = named(given_mm)
    assert match.hypothesis == algorithm
    assert match.variant == {
        "both": f"{name} in both steps",
        "outer": f"{name} for the outer step only",
        "inner": f"{name} for the inner step only",
    }[where]
    assert view(match.steps) == two_step_view(
        f"{SBS}_{MASK}", inner, f"<inner digest {fp(inner)}>_{RANSTR}", given_mm,
        inner_algorithm=inner_algorithm, outer_algorithm=outer_algorithm,
    )


@pytest.mark.parametrize(
    ("variant", "separator"),
    [("md5(raw 16 digest bytes + '_' + ranstr)", "_"), ("md5(raw 16 digest bytes + ranstr)", "")],
)
def test_raw_digest_bytes_names_the_separator(variant: str, separator: str) -> None:
    raw = hashlib.md5(f"{SBS}_{SECRET}".encode()).digest()
    given_mm = md5(raw + separator.encode() + RANSTR.encode())
    match = named(given_mm)
    assert match.hypothesis == "raw-digest-bytes"
    assert match.variant == variant
    assert view(match.steps) == [
        CORRECT_INNER_STEP,
        ("sbs_mm", "md5", f"<16 raw bytes of inner digest {fp(INNER)}>{separator}{RANSTR}",
         given_mm, "utf-8", None),
    ]


def test_raw_digest_bytes_with_a_non_ascii_ranstr() -> None:
    ranstr = "随机-ranstr"
    raw = hashlib.md5(f"{SBS}_{SECRET}".encode()).digest()
    given_mm = md5(raw + b"_" + ranstr.encode("utf-8"))
    assert named(given_mm, ranstr=ranstr).hypothesis == "raw-digest-bytes"


# ---------------------------------------------------------------------------
# Legacy encodings


@pytest.mark.parametrize(
    ("sbs", "ranstr", "codec", "where", "variant"),
    [
        ("张三", RANSTR, "gbk", "inner",
         "the first hashed string (sbs + '_' + AppSecret) encoded as GBK"),
        ("abc", "张三", "gbk", "outer",
         "the second hashed string (inner digest + '_' + ranstr) encoded as GBK"),
        ("张三", "李四", "gbk", "both", "both hashed strings encoded as GBK"),
        ("😀", RANSTR, "gb18030", "inner",
         "the first hashed string (sbs + '_' + AppSecret) encoded as GB18030"),
        ("abc", "😀", "gb18030", "outer",
         "the second hashed string (inner digest + '_' + ranstr) encoded as GB18030"),
        ("ñ", RANSTR, "latin-1", "inner",
         "the first hashed string (sbs + '_' + AppSecret) encoded as Latin-1"),
        ("ñ", "ü", "latin-1", "both", "both hashed strings encoded as Latin-1"),
        ("Œuvre", RANSTR, "cp1252", "inner",
         "the first hashed string (sbs + '_' + AppSecret) encoded as Windows-1252"),
        ("abc", "Œuvre", "cp1252", "outer",
         "the second hashed string (inner digest + '_' + ranstr) encoded as Windows-1252"),
    ],
)
def test_non_utf8_names_the_encoding_and_the_string(
    sbs: str, ranstr: str, codec: str, where: str, variant: str
) -> None:
    inner_encoding = "utf-8" if where == "outer" else codec
    outer_encoding = "utf-8" if where == "inner" else codec
    inner = md5(f"{sbs}_{SECRET}", inner_encoding)
    given_mm = md5(f"{inner}_{ranstr}", outer_encoding)
    match = named(given_mm, sbs=sbs, ranstr=ranstr)
    assert match.hypothesis == "non-utf8-encoding"
    assert match.variant == variant
    assert view(match.steps) == two_step_view(
        f"{sbs}_{MASK}", inner, f"<inner digest {fp(inner)}>_{ranstr}", given_mm,
        inner_encoding=inner_encoding, outer_encoding=outer_encoding,
    )
    text = render_diagnosis(diagnose_signature(sbs, ranstr, given_mm, SECRET))
    assert f" as {codec} bytes)" in text


@pytest.mark.parametrize(
    ("sbs", "ranstr", "variant"),
    [
        ("abc", "ранстр", "the second hashed string (inner digest + '_' + ranstr) encoded as GBK"),
        ("абв", "xyz", "the first hashed string (sbs + '_' + AppSecret) encoded as GBK"),
    ],
)
def test_non_utf8_where_only_one_value_is_not_ascii(sbs: str, ranstr: str, variant: str) -> None:
    # Both strings hashed as GB18030 (GBK writes Cyrillic the same way); one of them is ASCII,
    # so only the other's encoding shows, and the first codec that writes it is named.
    given_mm = md5(md5(f"{sbs}_{SECRET}", "gb18030") + "_" + ranstr, "gb18030")
    match = named(given_mm, sbs=sbs, ranstr=ranstr)
    assert match.hypothesis == "non-utf8-encoding"
    assert match.variant == variant


def test_non_utf8_of_a_string_some_codec_cannot_write_tries_the_next() -> None:
    # GBK cannot write U+00D1 in a secret; GB18030 can, and is named.
    secret = "Ñ-key"
    given_mm = md5(md5(f"abc_{secret}", "gb18030") + "_" + RANSTR)
    match = named(given_mm, sbs="abc", secret=secret)
    assert match.variant == "the first hashed string (sbs + '_' + AppSecret) encoded as GB18030"


# ---------------------------------------------------------------------------
# Values signed as written, not as the page decodes them

PLUS = "with '+' kept where the page reads a space"


@pytest.mark.parametrize(
    ("raw", "value", "signed"),
    [
        ("john+doe", "john doe", "john+doe"),
        ("a+b%20c", "a b c", "a+b c"),  # a '%20' is a space the link wrote as a space
        ("a%2Bb+c", "a+b c", "a+b+c"),  # a '%2B' is a '+' already
        ("%E5%BC%A0+j", "张 j", "张+j"),
    ],
)
def test_plus_kept_literal_in_sbs_from_the_raw_text(raw: str, value: str, signed: str) -> None:
    given_mm = correct(signed, RANSTR, SECRET)
    match = named(given_mm, sbs=value, raw_sbs=raw)
    assert match.hypothesis == "plus-kept-literal"
    assert match.variant == f"sbs {PLUS}: {signed!r}"
    assert view(match.steps) == correct_view(sbs=signed)


def test_plus_kept_literal_in_ranstr_from_the_raw_text() -> None:
    given_mm = correct(SBS, "x+y", SECRET)
    match = named(given_mm, ranstr="x y", raw_ranstr="x+y")
    assert match.hypothesis == "plus-kept-literal"
    assert match.variant == f"ranstr {PLUS}: 'x+y'"
    assert view(match.steps) == correct_view(ranstr="x+y")


def test_plus_kept_literal_in_both_from_the_raw_text() -> None:
    given_mm = correct("a+b", "c+d", SECRET)
    match = named(given_mm, sbs="a b", ranstr="c d", raw_sbs="a+b", raw_ranstr="c+d")
    assert match.hypothesis == "plus-kept-literal"
    assert match.variant == f"sbs and ranstr {PLUS}"
    assert view(match.steps) == correct_view(sbs="a+b", ranstr="c+d")


def test_plus_kept_literal_in_both_without_the_raw_text_takes_every_space() -> None:
    given_mm = correct("a+b+c", "d+e", SECRET)
    match = named(given_mm, sbs="a b c", ranstr="d e")
    assert match.variant == f"sbs and ranstr {PLUS}"
    assert view(match.steps) == correct_view(sbs="a+b+c", ranstr="d+e")


def test_a_space_the_link_wrote_as_percent_20_was_never_a_plus() -> None:
    # The raw text says where the '+' were: here none, so '+' for space is a form encoding.
    given_mm = correct("a+b", RANSTR, SECRET)
    match = named(given_mm, sbs="a b", raw_sbs="a%20b")
    assert match.hypothesis == "raw-encoded-values"
    assert match.variant == "sbs form-encoded ('+' for space): 'a+b'"
    without_raw = named(given_mm, sbs="a b")
    assert without_raw.hypothesis == "plus-kept-literal"
    given_mm = correct(SBS, "x+y", SECRET)
    match = named(given_mm, ranstr="x y", raw_ranstr="x%20y")
    assert match.variant == "ranstr form-encoded ('+' for space): 'x+y'"
    assert named(given_mm, ranstr="x y").variant == f"ranstr {PLUS}: 'x+y'"


def test_plus_kept_literal_is_never_named_where_the_raw_text_has_no_plus() -> None:
    # Whatever the raw text a caller passes decodes to, without a '+' there is no '+' to keep.
    given_mm = correct("q r", RANSTR, SECRET)
    diagnosis = diagnose_signature("a b", RANSTR, given_mm, SECRET, raw_sbs="q%20r")
    assert "plus-kept-literal" not in diagnosis.matches
    diagnosis = diagnose_signature(
        SBS, "c d", correct(SBS, "q r", SECRET), SECRET, raw_ranstr="q%20r"
    )
    assert "plus-kept-literal" not in diagnosis.matches


def _spaces_as_plus(value: str, chosen: tuple[int, ...]) -> str:
    chars = list(value)
    positions = [i for i, ch in enumerate(value) if ch == " "]
    for n in chosen:
        chars[positions[n]] = "+"
    return "".join(chars)


@pytest.mark.parametrize(
    "chosen", [(0,), (1,), (2,), (0, 1), (0, 2), (1, 2), (0, 1, 2)]
)
@pytest.mark.parametrize("field", ["sbs", "ranstr"])
def test_plus_kept_literal_without_the_raw_text_tries_each_subset(
    chosen: tuple[int, ...], field: str
) -> None:
    value = "a b c d"
    signed = _spaces_as_plus(value, chosen)
    values = {"sbs": SBS, "ranstr": RANSTR, field: value}
    signed_values = {**values, field: signed}
    given_mm = correct(signed_values["sbs"], signed_values["ranstr"], SECRET)
    match = named(given_mm, sbs=values["sbs"], ranstr=values["ranstr"])
    assert match.hypothesis == "plus-kept-literal"
    assert match.variant == f"{field} {PLUS}: {signed!r}"


def test_plus_subsets_are_tried_up_to_five_spaces() -> None:
    five = "a b c d e f"
    signed = _spaces_as_plus(five, (3,))
    match = named(correct(signed, RANSTR, SECRET), sbs=five)
    assert match.variant == f"sbs {PLUS}: {signed!r}"
    six = "a b c d e f g"
    every = six.replace(" ", "+")
    assert named(correct(every, RANSTR, SECRET), sbs=six).variant == f"sbs {PLUS}: {every!r}"
    some = _spaces_as_plus(six, (3,))
    diagnosis = diagnose_signature(six, RANSTR, correct(some, RANSTR, SECRET), SECRET)
    assert "plus-kept-literal" not in diagnosis.matches
    assert "5 spaces" in hypothesis("plus-kept-literal").tries


ENCODED = "%E5%BC%A0%E4%B8%89%20john"  # SBS, percent-encoded


@pytest.mark.parametrize(
    ("how", "form"),
    [
        ("percent-encoded", ENCODED),
        ("percent-encoded with lower-case hex", "%e5%bc%a0%e4%b8%89%20john"),
        ("form-encoded ('+' for space)", "%E5%BC%A0%E4%B8%89+john"),
    ],
)
def test_raw_encoded_sbs_names_the_encoding(how: str, form: str) -> None:
    given_mm = correct(form, RANSTR, SECRET)
    match = named(given_mm)
    assert match.hypothesis == "raw-encoded-values"
    assert match.variant == f"sbs {how}: {form!r}"
    assert view(match.steps) == correct_view(sbs=form)


@pytest.mark.parametrize(
    ("value", "how", "form"),
    [
        ("a/B", "percent-encoded", "a%2FB"),  # '/' is encoded too
        ("a/B", "percent-encoded with lower-case hex", "a%2fB"),  # only the escape's digits
        ("Ab/", "percent-encoded with lower-case hex", "Ab%2f"),
        ("é/", "percent-encoded with lower-case hex", "%c3%a9%2f"),
        ("a b/", "form-encoded ('+' for space)", "a+b%2F"),
    ],
)
def test_raw_encoded_ranstr_names_the_encoding(value: str, how: str, form: str) -> None:
    given_mm = correct(SBS, form, SECRET)
    match = named(given_mm, ranstr=value)
    assert match.hypothesis == "raw-encoded-values"
    assert match.variant == f"ranstr {how}: {form!r}"
    assert view(match.steps) == correct_view(ranstr=form)


def test_raw_encoded_as_written_in_the_link_comes_first() -> None:
    # The link wrote the value exactly as a percent-encoder would: it is named as written.
    given_mm = correct(ENCODED, RANSTR, SECRET)
    match = named(given_mm, raw_sbs=ENCODED)
    assert match.variant == f"sbs as written in the link: {ENCODED!r}"
    odd = "%E5%BC%A0%E4%B8%89%20j%6Fhn"  # no encoder writes 'o' as %6F
    match = named(correct(odd, RANSTR, SECRET), raw_sbs=odd)
    assert match.variant == f"sbs as written in the link: {odd!r}"
    ranstr_written = "r%2Fs"
    match = named(correct(SBS, ranstr_written, SECRET), ranstr="r/s", raw_ranstr=ranstr_written)
    assert match.variant == f"ranstr as written in the link: {ranstr_written!r}"


@pytest.mark.parametrize(
    ("sbs_how", "sbs_form", "ranstr_how", "ranstr_form"),
    [
        ("percent-encoded", ENCODED, "percent-encoded", "r%2Fs%20t"),
        ("percent-encoded with lower-case hex", "%e5%bc%a0%e4%b8%89%20john",
         "percent-encoded with lower-case hex", "r%2fs%20t"),
        ("form-encoded ('+' for space)", "%E5%BC%A0%E4%B8%89+john",
         "form-encoded ('+' for space)", "r%2Fs+t"),
    ],
)
def test_raw_encoded_both_values_pairs_the_same_encoding(
    sbs_how: str, sbs_form: str, ranstr_how: str, ranstr_form: str
) -> None:
    given_mm = correct(sbs_form, ranstr_form, SECRET)
    match = named(given_mm, ranstr="r/s t")
    assert match.hypothesis == "raw-encoded-values"
    assert match.variant == f"sbs {sbs_how} and ranstr {ranstr_how}"
    assert view(match.steps) == correct_view(sbs=sbs_form, ranstr=ranstr_form)


def test_raw_encoded_both_values_pairs_forms_after_the_duplicates_go() -> None:
    # sbs as written equals its percent-encoding, and its form-encoding too (no space):
    # its forms are "as written" and "lower-case hex"; ranstr's are percent and lower-case.
    given_mm = correct("a%2fb", "c%2fd", SECRET)
    match = named(given_mm, sbs="a/b", ranstr="c/d", raw_sbs="a%2Fb")
    assert match.variant == (
        "sbs percent-encoded with lower-case hex and ranstr percent-encoded with lower-case hex"
    )
    paired = named(correct("a%2Fb", "c%2Fd", SECRET), sbs="a/b", ranstr="c/d", raw_sbs="a%2Fb")
    assert paired.variant == "sbs as written in the link and ranstr percent-encoded"


def test_values_no_encoder_changes_have_no_encoded_form() -> None:
    given_mm = correct("abc", "A-b_c.d~e", SECRET)
    diagnosis = diagnose_signature("abc", "A-b_c.d~e", given_mm + "0", SECRET)
    assert "raw-encoded-values" not in diagnosis.matches
    assert diagnose_signature("abc", "A-b_c.d~e", given_mm, SECRET).ok


# ---------------------------------------------------------------------------
# Values of another link in a batch


def _batch_link(sbs: str | None, ranstr: str | None) -> str:
    query = "direct=1&chatid=7"
    if sbs is not None:
        query += f"&sbs={quote(sbs, safe='')}"
    if ranstr is not None:
        query += f"&ranstr={quote(ranstr, safe='')}"
    return f"https://visitorchat.twt.com/direct/demo_app?{query}&sbs_mm={'0' * 32}"


OTHER_SBS = "李四"
OTHER_RANSTR = "Qw3rTy7uIo9pAs2d"


@pytest.mark.parametrize(
    ("other", "signed", "variant"),
    [
        ((OTHER_SBS, RANSTR), (OTHER_SBS, RANSTR), "the sbs of batch link 2"),
        ((OTHER_SBS, OTHER_RANSTR), (OTHER_SBS, RANSTR), "the sbs of batch link 2"),
        ((OTHER_SBS, None), (OTHER_SBS, RANSTR), "the sbs of batch link 2"),
        ((SBS, OTHER_RANSTR), (SBS, OTHER_RANSTR), "the ranstr of batch link 2"),
        ((OTHER_SBS, OTHER_RANSTR), (SBS, OTHER_RANSTR), "the ranstr of batch link 2"),
        ((None, OTHER_RANSTR), (SBS, OTHER_RANSTR), "the ranstr of batch link 2"),
        ((OTHER_SBS, OTHER_RANSTR), (OTHER_SBS, OTHER_RANSTR),
         "the sbs and ranstr of batch link 2"),
    ],
)
def test_other_link_values_names_what_was_taken(
    other: tuple[str | None, str | None], signed: tuple[str, str], variant: str
) -> None:
    other_link = _batch_link(*other)
    batch = [_batch_link("x", "y" * 16), other_link]
    given_mm = correct(*signed, SECRET)
    match = named(given_mm, batch=batch)
    assert match.hypothesis == "other-link-values"
    assert match.variant == variant
    assert match.batch_index == 1
    assert match.batch_link == other_link
    assert view(match.steps) == correct_view(*signed)


def test_other_link_values_with_the_same_sbs_in_two_links() -> None:
    batch = [_batch_link(OTHER_SBS, "r" * 16), _batch_link(OTHER_SBS, OTHER_RANSTR)]
    for index, ranstr in enumerate(("r" * 16, OTHER_RANSTR)):
        match = named(correct(OTHER_SBS, ranstr, SECRET), batch=batch)
        assert match.variant == f"the sbs and ranstr of batch link {index + 1}"
        assert match.batch_index == index
    match = named(correct(OTHER_SBS, RANSTR, SECRET), batch=batch)
    assert (match.variant, match.batch_index) == ("the sbs of batch link 1", 0)


def test_other_link_values_from_parsed_links_and_an_unrelated_batch() -> None:
    from validator import parse

    other = _batch_link(OTHER_SBS, OTHER_RANSTR)
    given_mm = correct(OTHER_SBS, RANSTR, SECRET)
    match = named(given_mm, batch=[parse(other)])
    assert (match.variant, match.batch_link) == ("the sbs of batch link 1", other)
    unrelated = diagnose_signature(SBS, RANSTR, given_mm, SECRET, batch=[_batch_link("x", "y")])
    assert unrelated.matches == () and unrelated.headline == UNKNOWN_CAUSE


# ---------------------------------------------------------------------------
# The catalogue as the docs show it, and what a diagnosis lets out


def test_the_catalogue_table_has_one_line_per_hypothesis_in_order() -> None:
    lines = hypotheses_markdown().splitlines()
    assert len(lines) == 2 + len(HYPOTHESES)
    for number, (line, item) in enumerate(zip(lines[2:], HYPOTHESES, strict=True), start=1):
        assert line.startswith(f"| {number} | `{item.id}` | {item.description} | ")
        assert line.endswith(f" | {item.fix} |")
        # A '|' inside a cell is escaped, so every row has the header's five cells.
        assert line.replace("\\|", "").count("|") == 6
    assert "'-', '\\|', ':'" in hypotheses_markdown()


@pytest.mark.parametrize("given_mm", ["0" * 32, EXPECTED.upper()])
def test_a_value_holding_the_secret_is_masked_in_every_output(given_mm: str) -> None:
    staging = "staging-secret-0001"
    sbs = f"id {SECRET} and {staging}"
    diagnosis = diagnose_signature(
        sbs, RANSTR, given_mm, SECRET, candidates={"staging": staging},
        raw_sbs=quote(sbs, safe=""),
    )
    assert diagnosis.redact(sbs) == f"id {MASK} and {MASK}"
    data = diagnosis_to_dict(diagnosis)
    assert data["sbs"] == f"id {MASK} and {MASK}"
    assert data["raw_sbs"] == f"id%20{MASK}%20and%20{MASK}"
    text = render_diagnosis(diagnosis) + repr(data)
    assert SECRET not in text and staging not in text


def test_other_link_values_after_a_link_with_an_empty_sbs() -> None:
    batch = [_batch_link("", "r" * 16), _batch_link(OTHER_SBS, OTHER_RANSTR)]
    for index, sbs in enumerate(("", OTHER_SBS)):
        match = named(correct(sbs, RANSTR, SECRET), batch=batch)
        assert (match.variant, match.batch_index) == (f"the sbs of batch link {index + 1}", index)
        assert view(match.steps) == correct_view(sbs=sbs)


def test_a_batch_link_without_ranstr_lends_no_ranstr() -> None:
    # A server that wrote a missing ranstr as the text "None" is no mix-up of batch values.
    batch = [_batch_link(OTHER_SBS, None)]
    for sbs in (SBS, OTHER_SBS):
        diagnosis = diagnose_signature(
            SBS, RANSTR, correct(sbs, "None", SECRET), SECRET, batch=batch
        )
        assert "other-link-values" not in diagnosis.matches
