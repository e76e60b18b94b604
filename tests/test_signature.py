"""Signing, constant-time verification, and the secret type."""

from __future__ import annotations

import hashlib
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from validator import Secret, sign, verify
from validator.signature import fingerprint, inner_digest


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
    if other != signature:
        assert not verify(sbs, ranstr, other, secret)
