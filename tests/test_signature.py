"""Signing, constant-time verification, and the secret type."""

from __future__ import annotations

import hashlib
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validator import Secret, sign, verify
from validator.signature import fingerprint, inner_digest, signs


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def test_sign_follows_the_documented_formula() -> None:
    assert sign("42", "abcdefghijklmnop", "s3cr3t") == md5(md5("42_s3cr3t") + "_abcdefghijklmnop")
    assert sign("42", "r", Secret("s3cr3t")) == sign("42", "r", "s3cr3t")


def test_utf8_values() -> None:
    assert sign("李", "é", "秘密") == md5(md5("李_秘密") + "_é")


def test_verify_accepts_only_the_exact_lower_case_digest() -> None:
    good = sign("42", "r" * 16, "k")
    assert verify("42", "r" * 16, good, "k")
    assert not verify("42", "r" * 16, good.upper(), "k")
    assert not verify("42", "r" * 16, good[:-1], "k")
    assert not verify("42", "r" * 16, "é" * 32, "k")
    assert not verify("43", "r" * 16, good, "k")


def test_secret_never_shows() -> None:
    secret = Secret("hunter2-value")
    for text in (
        repr(secret),
        str(secret),
        f"{secret}",
        f"{secret!r}",
        f"{secret:>20}",
        str([secret]),
    ):
        assert "hunter2" not in text
    assert secret.reveal() == "hunter2-value"
    assert secret == Secret("hunter2-value")
    assert secret != Secret("other")
    assert pickle.loads(pickle.dumps(secret)) == secret
    with pytest.raises(AttributeError):
        secret._value = "x"  # type: ignore[misc]
    with pytest.raises(ValueError):
        Secret("")


def test_fingerprint_is_short() -> None:
    digest = inner_digest("42", "k")
    assert fingerprint(digest) == digest[:6] + "…"


@given(
    st.text(),
    st.text(),
    st.text(min_size=1),
    st.text(alphabet="0123456789abcdef", min_size=32, max_size=32),
)
def test_verify_holds_for_sign_and_fails_for_other_digests(
    sbs: str, ranstr: str, secret: str, other: str
) -> None:
    signature = sign(sbs, ranstr, secret)
    assert verify(sbs, ranstr, signature, secret)
    assert signs(sbs, ranstr, signature, secret)
    assert signs(sbs, ranstr, signature, Secret(secret))
    if other != signature:
        assert not verify(sbs, ranstr, other, secret)
        assert not signs(sbs, ranstr, other, Secret(secret))


def test_secret_mask_is_the_documented_placeholder() -> None:
    secret = Secret("hunter2-value")
    assert repr(secret) == str(secret) == f"{secret}" == f"{secret:>30}" == "Secret('********')"
    assert len(secret) == len("hunter2-value")


def test_a_secret_made_from_a_secret_is_the_same_secret() -> None:
    original = Secret("hunter2-value")
    copy = Secret(original)
    assert copy == original
    assert copy.reveal() == "hunter2-value"
    assert sign("42", "r", copy) == sign("42", "r", "hunter2-value")


def test_a_secret_is_made_only_from_non_empty_text() -> None:
    with pytest.raises(TypeError, match=r"^a Secret is made from a str, not bytes$"):
        Secret(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^a Secret is made from a str, not NoneType$"):
        Secret(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^the secret is empty$"):
        Secret("")
    with pytest.raises(ValueError, match=r"^the secret holds a lone surrogate"):
        Secret("a\ud800b")


def test_secret_is_immutable_with_a_clear_error() -> None:
    secret = Secret("hunter2-value")
    with pytest.raises(AttributeError, match=r"^Secret is immutable$"):
        secret.anything = "x"  # type: ignore[attr-defined]
    assert secret.reveal() == "hunter2-value"


def test_secret_equality_and_hash_follow_the_value() -> None:
    one, same, other = Secret("value-one"), Secret("value-one"), Secret("value-two")
    assert one == same and hash(one) == hash(same)
    assert one != other and hash(one) != hash(other)
    assert one != "value-one"  # a Secret never equals plain text
    assert (one == "value-one") is False
    assert len({one, same, other}) == 2
    assert {one: 1}[same] == 1
    # Unicode secrets compare by their text, not by an encoding of it.
    assert Secret("秘密") == Secret("秘密") and Secret("秘密") != Secret("秘")


def test_secret_survives_pickling_with_its_value() -> None:
    restored = pickle.loads(pickle.dumps(Secret("hunter2-value")))
    assert isinstance(restored, Secret)
    assert restored.reveal() == "hunter2-value"


def test_verify_refuses_non_ascii_and_wrong_length_digests_without_raising() -> None:
    good = sign("42", "r" * 16, "k")
    assert not verify("42", "r" * 16, "", "k")
    assert not verify("42", "r" * 16, good + "0", "k")
    assert not verify("42", "r" * 16, good[:-1] + "é", "k")
    assert not signs("42", "r" * 16, good[:-1] + "é", "k")
    assert not signs("42", "r" * 16, good.upper(), "k")
    assert verify("42", "r" * 16, good, Secret("k"))


def test_inner_digest_and_sign_are_the_two_md5_steps() -> None:
    assert inner_digest("42", "k") == md5("42_k")
    assert inner_digest("42", Secret("k")) == md5("42_k")
    assert sign("", "", "k") == md5(md5("_k") + "_")
    assert fingerprint(inner_digest("42", "k")) == md5("42_k")[:6] + "…"


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: sign(1, "r", "k"), TypeError, "sign() argument 'sbs' must be a str, not int"),
        (lambda: sign("s", None, "k"), TypeError,
         "sign() argument 'ranstr' must be a str, not None"),
        (lambda: sign("s", "r", 5), TypeError,
         "sign() argument 'secret' must be a Secret or a str, not int"),
        (lambda: verify(1, "r", "x", "k"), TypeError,
         "verify() argument 'sbs' must be a str, not int"),
        (lambda: verify("s", 1, "x", "k"), TypeError,
         "verify() argument 'ranstr' must be a str, not int"),
        (lambda: verify("s", "r", 1, "k"), TypeError,
         "verify() argument 'sbs_mm' must be a str, not int"),
        (lambda: verify("s", "r", "x", 2), TypeError,
         "verify() argument 'secret' must be a Secret or a str, not int"),
        (lambda: sign("\ud800", "r", "k"), ValueError,
         "sign() argument 'sbs' holds a lone surrogate (U+D800..U+DFFF), which is not text "
         "and has no UTF-8 form"),
        (lambda: verify("s", "r\udc00", "x", "k"), ValueError,
         "verify() argument 'ranstr' holds a lone surrogate (U+D800..U+DFFF), which is not "
         "text and has no UTF-8 form"),
        (lambda: Secret("a\ud800"), ValueError,
         "the secret holds a lone surrogate (U+D800..U+DFFF): not UTF-8 text"),
    ],
)
def test_signing_arguments_are_checked_with_a_message_naming_them(
    call: object, error: type[Exception], message: str
) -> None:
    assert callable(call)
    with pytest.raises(error) as raised:
        call()
    assert str(raised.value) == message


def test_a_non_ascii_sbs_mm_is_refused_not_raised() -> None:
    assert verify("s", "r", "x\ud800", "k") is False


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"secret": 5}, "check() argument 'secret' must be a Secret, a str or None, not int"),
        ({"secrets": 5},
         "check() argument 'secrets' must be a mapping of app id to secret, not int"),
        ({"secrets": {1: "k"}}, "check() argument 'secrets key' must be a str, not int"),
        ({"secrets": {"a": 5}},
         "check() argument \"secrets['a']\" must be a Secret or a str, not int"),
    ],
)
def test_secret_arguments_of_the_public_calls_name_what_is_wrong(
    options: dict[str, object], message: str
) -> None:
    from validator import check

    link = "https://visitorchat.twt.com/direct/demo_app?direct=1&chatid=1"
    with pytest.raises(TypeError) as raised:
        check(link, **options)  # type: ignore[arg-type]
    assert str(raised.value) == message
    plain = check(link, secret=None, secrets=None)
    signed = check(link, secret=Secret("k"), secrets={"demo_app": "k", "other": Secret("j")})
    assert plain.codes() == signed.codes()
