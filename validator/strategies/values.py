"""Value strategies: secrets, ids, languages, signature inputs, customer fields, hostile text.

The values are chosen so that a link written in ANY dialect is clean: no
quotes (``encodeURIComponent`` leaves ``'`` bare), and no spaces where a
dialect writes a space as ``+`` (``spaces=False``).
"""

from __future__ import annotations

import hashlib
import string
from base64 import urlsafe_b64encode
from typing import Final

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from validator import spec
from validator.signature import Secret, md5_hex


def seeded_token(seed: int, length: int, alphabet: str | None = None) -> str:
    """A random-looking token derived from ``seed``: varied even when shrunk to seed 0."""
    digest = b""
    counter = 0
    while len(digest) * 4 // 3 < length + 4:
        digest += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    if alphabet is None:
        return urlsafe_b64encode(digest).decode("ascii")[:length]
    return "".join(alphabet[byte % len(alphabet)] for byte in digest[:length])


def secrets() -> SearchStrategy[Secret]:
    """Realistic AppSecrets: 32 random-looking lower-case hex characters.

    Long and random so that a secret never appears inside a generated link by
    chance (which DL309 would rightly report).
    """
    return st.integers(min_value=0, max_value=2**64).map(
        lambda seed: Secret(md5_hex(f"secret:{seed}"))
    )


def app_ids() -> SearchStrategy[str]:
    """App ids in both real forms: 32 lower-case hex, or ``demo_app``-like names."""
    hex_ids = st.integers(min_value=0, max_value=2**128 - 1).map(lambda n: f"{n:032x}")
    named = st.from_regex(
        r"[a-z][a-z0-9]{1,10}(_[a-z0-9]{1,8}){0,2}(-[a-z0-9]{1,6})?", fullmatch=True
    )
    return st.one_of(hex_ids, st.just("demo_app"), named.filter(_not_placeholder_like))


def _not_placeholder_like(value: str) -> bool:
    upper = value.upper()
    return "YOUR" not in upper and "APP_ID" not in upper and "CHAT_ID" not in upper


def hosts() -> SearchStrategy[str]:
    """Production hosts and arbitrary lower-case DNS names."""
    label = st.from_regex(r"[a-z]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
    tld = st.sampled_from(("com", "net", "org", "cn", "io", "de", "co.uk"))
    custom = st.builds(
        lambda labels, top: ".".join([*labels, top]), st.lists(label, min_size=1, max_size=3), tld
    )
    return st.one_of(st.sampled_from(spec.PRODUCTION_HOSTS), custom)


def ports() -> SearchStrategy[int | None]:
    explicit = st.integers(min_value=1, max_value=65535).filter(lambda port: port != 443)
    return st.one_of(st.none(), explicit)


def base_paths() -> SearchStrategy[str]:
    """``""`` or ``/seg[/seg]``: the path in front of ``/direct/<app_id>``."""
    segment = st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True).filter(
        lambda s: s != spec.DIRECT_SEGMENT
    )
    return st.one_of(
        st.just(""), st.lists(segment, min_size=1, max_size=2).map(lambda s: "/" + "/".join(s))
    )


def chat_ids() -> SearchStrategy[str]:
    """Chat (session) ids: UUIDs, numbers, and ids made of letters, digits, ``-_.~``."""
    return st.one_of(
        st.uuids().map(str),
        st.integers(min_value=1, max_value=10**12).map(str),
        st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.~-]{0,39}", fullmatch=True).filter(
            _not_placeholder_like
        ),
    )


def languages(profile: str = "default") -> SearchStrategy[str]:
    """The supported ``lang`` codes of a profile (``default``, ``legacy`` or ``sdk``)."""
    return st.sampled_from(spec.LANGUAGE_PROFILES[profile])


def sbs_values() -> SearchStrategy[str]:
    """Customer identities for ``sbs``: ids, e-mail-like ids, and non-ASCII names.

    Never a space or ``+`` (DL311): the page reads ``+`` as a space.
    """
    ascii_ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,39}", fullmatch=True).filter(
        _not_placeholder_like
    )
    han = st.characters(min_codepoint=0x4E00, max_codepoint=0x62FF)
    cjk = st.text(alphabet=han, min_size=1, max_size=8)
    return st.one_of(ascii_ids, cjk, st.builds(lambda a, b: f"{a}_{b}", ascii_ids, cjk))


def ranstrs(min_size: int = spec.MIN_RANSTR_LENGTH, max_size: int = 32) -> SearchStrategy[str]:
    """Random strings for ``ranstr``: URL-safe, high variety, ``min_size`` or longer."""
    return st.builds(
        seeded_token,
        st.integers(min_value=0, max_value=2**64),
        st.integers(min_value=min_size, max_value=max_size),
    )


_NAME_LETTERS: Final = string.ascii_letters + "éüñçøåÉÜ" + "张王李赵刘陈杨黄周吴" + "ДмитрийАнна"


def customer_names(*, spaces: bool = True) -> SearchStrategy[str]:
    """Display names: Latin, accented, Chinese, Cyrillic; inner spaces where ``spaces``."""
    word = st.text(alphabet=_NAME_LETTERS, min_size=1, max_size=12)
    joiner = " " if spaces else ""
    return st.lists(word, min_size=1, max_size=3).map(joiner.join)


def _valid_email(address: str) -> bool:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def emails() -> SearchStrategy[str]:
    """Syntactically valid e-mail addresses (``email-validator`` accepts every one)."""
    local = st.from_regex(r"[a-z0-9]{1,10}([._+-][a-z0-9]{1,8}){0,2}", fullmatch=True)
    domain = st.from_regex(r"[a-z]{2,10}(\.[a-z]{2,8})?\.(com|net|org|cn|de|io)", fullmatch=True)
    return st.builds(lambda a, b: f"{a}@{b}", local, domain).filter(_valid_email)


_PHONE_REGIONS: Final = ("CN", "US", "GB", "DE", "FR", "JP", "BR", "IN", "RU", "KR", "SG", "AU")


def _phone_from(region: str, tail: int) -> str | None:
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        return None
    national = str(example.national_number)
    number = phonenumbers.parse(f"+{example.country_code}{national[:-4]}{tail:04d}")
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phones() -> SearchStrategy[str]:
    """Valid mobile numbers in E.164 (``+8613123456789``), from twelve regions."""
    drawn = st.builds(
        _phone_from, st.sampled_from(_PHONE_REGIONS), st.integers(min_value=0, max_value=9999)
    )
    return drawn.filter(lambda number: number is not None).map(lambda number: number or "")


def free_text(*, spaces: bool, max_size: int = 40) -> SearchStrategy[str]:
    alphabet = _NAME_LETTERS + string.digits + "-._~!*()," + (" " if spaces else "")
    return st.text(alphabet=alphabet, min_size=1, max_size=max_size).filter(
        lambda text: text.strip() == text and _not_placeholder_like(text)
    )


def page_urls() -> SearchStrategy[str]:
    path = st.from_regex(r"(/[a-z0-9-]{1,10}){0,3}", fullmatch=True)
    return st.builds(lambda host, p: f"https://{host}{p}", hosts(), path)



def hostile_text(max_size: int = 200) -> SearchStrategy[str]:
    """Any text at all: lone surrogates, NUL and other controls, every plane."""
    anything = st.characters(codec=None, exclude_categories=())
    return st.text(anything, max_size=max_size)


_LINK_PIECES: Final = (
    "https://", "http://", "visitorchat.twt.com", "/direct/", "demo_app", "?", "&", "=", "#",
    "%", "%2", "%FF", "%C3%A9", "%25", "+", " ", "\t", "\n", "\x00", "\ud800", "\\", "@", ":",
    "[", "]", "direct=1", "chatid=", "chat_id=", "lang=pt-BR", "sbs=", "sbs_mm=", "ranstr=",
    "{SESSION_ID}", "${x}", "<a href=\"", "\">", "xn--", "..", "/./", "\u00e9", "\U0001f600",
)


def link_like_text(max_pieces: int = 30) -> SearchStrategy[str]:
    """Text stitched from URL pieces and hostile characters: near-links that stress a parser."""
    piece = st.one_of(st.sampled_from(_LINK_PIECES), hostile_text(max_size=6))
    return st.lists(piece, max_size=max_pieces).map("".join)
